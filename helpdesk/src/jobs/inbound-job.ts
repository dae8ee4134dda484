/**
 * The inbound job: one webhook event. A message runs the inbound pipeline, then the sending of the
 * bot's replies is enqueued and waiting tickets are assigned; a delivery status updates its message.
 */
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config';
import { SkipEventError } from '../errors';
import type { Database } from '../infra/db';
import type { Logger } from '../infra/logger';
import { messagesReceived } from '../infra/metrics';
import { requestAssignment } from '../services/assignment';
import { ingestInboundMessage, type IngestDependencies } from '../services/ingest-inbound-message';
import { realtimePublisherFor } from '../realtime/publish';
import { recordDeliveryStatus } from '../services/record-delivery-status';
import type { DriverRegistry } from '../whatsapp';
import type { InboundJob } from '../whatsapp/inbound-event';
import { enqueueOutbound, type Queues } from './queues';

export interface InboundJobDependencies extends Omit<IngestDependencies, 'driver' | 'log'> {
  db: Database;
  drivers: DriverRegistry;
  queues: Queues;
  log: Logger;
  /** With both (the process context has them), realtime events reach agents' consoles. */
  redis?: Redis;
  config?: Config;
}

/** Processes one inbound job; throws to have BullMQ retry it with backoff. */
export async function handleInboundJob(deps: InboundJobDependencies, job: Job<InboundJob>): Promise<string> {
  const data = job.data;
  const log = deps.log.child({
    jobId: job.id,
    eventId: data.eventId,
    kind: data.kind,
    requestId: data.requestId,
  });
  if (data.kind === 'status') {
    const changed = await recordDeliveryStatus(deps.pool, data.provider, data.status);
    log.debug(
      { providerMessageId: data.status.providerMessageId, status: data.status.status, changed },
      'delivery status',
    );
    if (changed) {
      await realtimePublisherFor(deps)?.publishDeliveryStatus(data.provider, data.status.providerMessageId);
    }
    return changed ? 'status-updated' : 'status-unchanged';
  }
  const event = data.message;
  const driver = deps.drivers.forChannel(event.provider, event.channel);
  try {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const result = await ingestInboundMessage({ ...deps, driver, log }, event, { lastAttempt });
    if (!result.duplicate) messagesReceived.inc({ provider: event.provider, type: event.type });
    await enqueueOutbound(
      deps.queues,
      `reply|${result.messageId}`,
      result.outboundMessageIds,
      data.requestId,
    );
    let assigneeId = result.assigneeId;
    if (result.needsAssignment) {
      const assignments = await requestAssignment(deps.pool);
      await realtimePublisherFor(deps)?.publishAssignments(assignments);
      if (assignments.length) log.info({ assignments: assignments.length }, 'tickets assigned');
      assigneeId = assignments.find((made) => made.ticketId === result.ticketId)?.agentId ?? assigneeId;
    }
    if (!result.duplicate) {
      // Should another process have assigned the ticket meanwhile, the event goes to everyone,
      // as for a waiting ticket: consoles then re-read through the API, which applies visibility.
      await realtimePublisherFor(deps)?.publishMessageCreated({
        id: result.messageId,
        ticketId: result.ticketId,
        ticketNumber: result.ticketNumber,
        assigneeId,
        direction: 'inbound',
        author: 'customer',
        type: event.type,
      });
    }
    log.info(
      {
        ticketId: result.ticketId,
        type: event.type,
        duplicate: result.duplicate,
        replies: result.outboundMessageIds.length,
      },
      'inbound message processed',
    );
    return result.duplicate ? 'duplicate' : 'stored';
  } catch (error) {
    if (error instanceof SkipEventError) {
      log.warn(
        { providerMessageId: event.providerMessageId, reason: error.message },
        'inbound message skipped',
      );
      return 'skipped';
    }
    throw error;
  }
}
