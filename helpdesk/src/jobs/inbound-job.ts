/**
 * The inbound jobs: webhook events. Messages run the inbound pipeline, then the sending of the
 * bot's replies is enqueued and waiting tickets are assigned; a delivery status updates its message.
 * Jobs come in batches (workers.ts gathers them): a batch's messages are stored together
 * (use-cases/inbound/ingest-messages.ts), their replies enqueued in one round trip to Redis, packed
 * into as few outbound jobs as the provider allows (queues.ts, `enqueueOutboundMany`),
 * assignment requested once and the realtime events published in one pipeline.
 */
import type { Job } from 'bullmq';
import { CSAT_LOW_SCORE } from '../domain/csat';
import { SkipEventError } from '../errors';
import type { Database } from '../store/database';
import type { DatabaseHealth } from '../store/database-health';
import type { Logger } from '../infra/logger';
import { messagesReceived } from '../infra/metrics';
import { requestAssignment, type Assignment } from '../use-cases/assignment/request-assignment';
import type { IngestDependencies } from '../use-cases/inbound/ingest-message';
import { ingestInboundMessages } from '../use-cases/inbound/ingest-messages';
import type { IngestResult } from '../use-cases/inbound/save-messages';
import { audienceOf } from '../realtime/events';
import type { RealtimePublisher } from '../realtime/publish';
import { applyDeletion } from '../use-cases/messages/apply-deletion';
import { applyEdit } from '../use-cases/messages/apply-edit';
import { applyKeptChanges } from '../use-cases/messages/apply-kept-changes';
import { applyReaction } from '../use-cases/messages/apply-reaction';
import { recordDeliveryStatus } from '../use-cases/messages/record-delivery-status';
import type { DriverRegistry } from '../whatsapp';
import type { WhatsAppDriver } from '../whatsapp/driver';
import type { InboundJob, InboundMessage, MessageChangeJob } from '../whatsapp/inbound-event';
import type { InboundQueueJob } from './inbound-queue';
import { enqueueOutboundMany, type Queues } from './queues';

export interface InboundJobDependencies extends Omit<IngestDependencies, 'driver' | 'log'> {
  db: Database;
  drivers: DriverRegistry;
  queues: Queues;
  log: Logger;
  /** Tells agents' consoles about stored messages, assignments and statuses. */
  realtime: RealtimePublisher;
  /** Told by the jobs when the database stops or starts answering (see infra/database-health.ts). */
  databaseHealth: DatabaseHealth;
}

/** A job's outcome: what happened (`stored`, `duplicate`, `skipped`, `status-updated`, …) or its error. */
export type InboundJobOutcome = string | Error;

/** One webhook event of the jobs being handled: a job of its own, or one of a batch job's. */
interface EventEntry {
  /** Its place among the events (the outcome it gets). */
  index: number;
  data: InboundJob;
  /** Logged with its job's id. */
  jobId: string | undefined;
  /** Its job is on its last try (never for a batch job's events: a failed one retries on its own). */
  lastAttempt: boolean;
}

/**
 * Processes a batch of inbound jobs.
 * @returns one outcome per job, in order: an Error makes BullMQ retry that job with backoff (a
 *   message stored before the error is then recognised as a redelivery and its replies re-enqueued);
 *   an infrastructure error (database or Redis unreachable) waits without using an attempt
 *   (workers.ts, infrastructure-retry.ts). A batch job (inbound-queue.ts, `InboundBatchJob`) whose events
 *   did not all succeed re-enqueues those as jobs of their own, which retry as any other; it fails
 *   itself (and is retried whole, its done events then redeliveries) only when that enqueue fails.
 */
export async function handleInboundJobs(
  deps: InboundJobDependencies,
  jobs: ReadonlyArray<Job<InboundQueueJob>>,
): Promise<InboundJobOutcome[]> {
  const entries: EventEntry[] = [];
  for (const job of jobs) {
    const data = job.data;
    if (data.kind === 'batch') {
      for (const event of data.events)
        entries.push({ index: entries.length, data: event, jobId: job.id, lastAttempt: false });
    } else {
      entries.push({ index: entries.length, data, jobId: job.id, lastAttempt: isLastAttempt(job) });
    }
  }
  const outcomes = await handleEvents(deps, entries);
  const jobOutcomes: InboundJobOutcome[] = [];
  let next = 0;
  for (const job of jobs) {
    const data = job.data;
    if (data.kind !== 'batch') {
      jobOutcomes.push(outcomes[next++]!);
      continue;
    }
    const own = outcomes.slice(next, next + data.events.length);
    next += data.events.length;
    const failed = data.events.filter((_, position) => own[position] instanceof Error);
    if (failed.length === 0) {
      jobOutcomes.push(`batch of ${data.events.length}`);
      continue;
    }
    try {
      await deps.queues.inbound.addSeparately(failed);
      deps.log.warn(
        { jobId: job.id, events: data.events.length, failed: failed.length },
        'batch job: failed events enqueued as jobs of their own',
      );
      jobOutcomes.push(`batch of ${data.events.length}, ${failed.length} retried on their own`);
    } catch (error) {
      jobOutcomes.push(error as Error);
    }
  }
  return jobOutcomes;
}

/** Handles webhook events, in order, as `handleInboundJobs` describes. */
async function handleEvents(
  deps: InboundJobDependencies,
  entries: readonly EventEntry[],
): Promise<InboundJobOutcome[]> {
  const outcomes: InboundJobOutcome[] = new Array<InboundJobOutcome>(entries.length);
  const messageJobs: Array<{ index: number; entry: EventEntry; event: InboundMessage; log: Logger }> = [];
  for (const entry of entries) {
    const { index, data } = entry;
    const log = deps.log.child({
      jobId: entry.jobId,
      eventId: data.eventId,
      kind: data.kind,
      requestId: data.requestId,
    });
    if (data.kind === 'message') messageJobs.push({ index, entry, event: data.message, log });
    else if (data.kind === 'status')
      outcomes[index] = await handleStatus(deps, data, log).catch((error: Error) => error);
    else
      outcomes[index] = await handleMessageChange(deps, data, entry.lastAttempt, log).catch(
        (error: Error) => error,
      );
  }
  if (messageJobs.length === 0) return outcomes;
  // Each message's channel driver, from the channel directory in memory; a channel not known (yet)
  // fails that job alone, retried with backoff.
  const channelDrivers = new Map<InboundMessage, WhatsAppDriver>();
  for (let position = messageJobs.length - 1; position >= 0; position -= 1) {
    const entry = messageJobs[position]!;
    try {
      channelDrivers.set(
        entry.event,
        await deps.drivers.forChannel(entry.event.provider, entry.event.channel),
      );
    } catch (error) {
      outcomes[entry.index] = error as Error;
      messageJobs.splice(position, 1);
    }
  }
  if (messageJobs.length === 0) return outcomes;

  const ingested = await ingestInboundMessages(
    deps,
    messageJobs.map(({ entry, event }) => ({
      event,
      driver: channelDrivers.get(event)!,
      lastAttempt: entry.lastAttempt,
    })),
  );
  const stored: Array<{
    index: number;
    entry: EventEntry;
    event: InboundMessage;
    log: Logger;
    result: IngestResult;
  }> = [];
  messageJobs.forEach((entry, position) => {
    const outcome = ingested[position]!;
    if (outcome instanceof SkipEventError) {
      entry.log.warn(
        { providerMessageId: entry.event.providerMessageId, reason: outcome.message },
        'inbound message skipped',
      );
      outcomes[entry.index] = 'skipped';
    } else if (outcome instanceof Error) {
      outcomes[entry.index] = outcome;
    } else {
      stored.push({ ...entry, result: outcome });
    }
  });

  // Counted as soon as stored, before their replies are enqueued: a scrape never counts a reply
  // sent to a message it does not count yet (a redelivery is a duplicate, counted once before).
  for (const { event, result } of stored) {
    if (!result.duplicate) messagesReceived.inc({ provider: event.provider, type: event.type });
  }
  // The replies' enqueue (Redis) and the assignment request (PostgreSQL) at once: the consoles hear
  // of the messages after both, not after one and then the other. Should the enqueue fail, every
  // stored message's job retries (as a redelivery it enqueues its queued replies again), but what
  // was stored and assigned is announced now: a redelivery is a duplicate and announces nothing.
  const [enqueued, requested] = await Promise.allSettled([
    enqueueOutboundMany(
      deps.queues,
      stored.map(({ entry, result }) => ({
        key: `reply|${result.messageId}`,
        messageIds: result.outboundMessageIds,
        requestId: entry.data.requestId,
      })),
    ),
    stored.some(({ result }) => result.needsAssignment) ? requestAssignment(deps.pool) : [],
  ]);
  if (enqueued.status === 'rejected') {
    for (const { index } of stored) outcomes[index] = enqueued.reason as Error;
  }
  let assignments: Assignment[] = [];
  if (requested.status === 'fulfilled') {
    assignments = requested.value;
    if (assignments.length) deps.log.info({ assignments: assignments.length }, 'tickets assigned');
  } else {
    for (const { index, result } of stored) {
      if (result.needsAssignment) outcomes[index] ??= requested.reason as Error;
    }
  }

  const created = stored.filter(({ result }) => !result.duplicate);
  const assigneeOf = (result: IngestResult) =>
    assignments.find((made) => made.ticketId === result.ticketId)?.agentId ?? result.assigneeId;
  await deps.realtime.publishInboundBatch(
    assignments,
    // Should another process have assigned a ticket meanwhile, its event goes to everyone, as
    // for a waiting ticket: consoles then re-read through the API, which applies visibility.
    created.map(({ event, result }) => ({
      id: result.messageId,
      ticketId: result.ticketId,
      ticketNumber: result.ticketNumber,
      assigneeId: assigneeOf(result),
      direction: 'inbound',
      author: 'customer',
      type: event.type,
    })),
  );
  // Changes that ran out of attempts before their message arrived apply now (issue 12), after the
  // message's own announcement: their `message.updated` follows its `message.created`.
  await applyKeptChanges(
    deps,
    created.map(({ event }) => ({ provider: event.provider, providerMessageId: event.providerMessageId })),
  );
  // A customer's message ended a snooze (stored once: a redelivery is a duplicate, never here):
  // announced like the snooze's own end (use-cases/tickets/end-snooze.ts), with its own reason.
  const unsnoozed = created.filter(({ result }) => result.endedSnooze);
  if (unsnoozed.length > 0) {
    for (const { log, result } of unsnoozed) {
      log.info({ ticketId: result.ticketId }, 'snooze ended: the customer wrote, ticket open again');
    }
    await deps.realtime.publishAll(
      unsnoozed.map(({ result }) => ({
        type: 'ticket.status',
        ticketId: result.ticketId,
        ticketNumber: result.ticketNumber,
        data: { status: 'open', previousStatus: 'pending', reason: 'customer_replied' },
        audience: audienceOf(assigneeOf(result)),
      })),
    );
  }
  // A customer rated a resolved ticket (CSAT): consoles showing it re-read it; a low rating
  // (domain/csat.ts, CSAT_LOW_SCORE) alerts the admins (team leads).
  const rated = created.filter(({ result }) => result.csat);
  if (rated.length > 0) {
    await deps.realtime.publishAll(
      rated.flatMap(({ result }) => {
        const csat = { score: result.csat!.score, comment: result.csat!.comment };
        const updated = {
          type: 'ticket.updated' as const,
          ticketId: result.ticketId,
          ticketNumber: result.ticketNumber,
          data: { csat },
          audience: audienceOf(result.assigneeId),
        };
        if (csat.score > CSAT_LOW_SCORE) return [updated];
        return [
          updated,
          {
            type: 'csat.low' as const,
            ticketId: result.ticketId,
            ticketNumber: result.ticketNumber,
            data: { ...csat, assigneeId: result.assigneeId },
            audience: { agentIds: [], everyone: false },
          },
        ];
      }),
    );
  }
  for (const { index, event, log, result } of stored) {
    log.info(
      {
        ticketId: result.ticketId,
        type: event.type,
        duplicate: result.duplicate,
        replies: result.outboundMessageIds.length,
      },
      'inbound message processed',
    );
    outcomes[index] ??= result.duplicate ? 'duplicate' : 'stored';
  }
  return outcomes;
}

/** True on a job's last try (BullMQ counts the attempts made before this one). */
function isLastAttempt(job: Job<InboundQueueJob>): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/**
 * An edit, deletion or reaction of a stored message (use-cases/messages/apply-*.ts).
 * @returns `edit-applied`, `deletion-duplicate`, `reaction-kept`, …
 * @throws MessageNotStoredYet while its message is not stored and attempts remain (retried).
 */
async function handleMessageChange(
  deps: InboundJobDependencies,
  data: MessageChangeJob,
  lastAttempt: boolean,
  log: Logger,
): Promise<string> {
  const changeDeps = { pool: deps.pool, realtime: deps.realtime, log };
  const options = { lastAttempt };
  const outcome =
    data.kind === 'edit'
      ? await applyEdit(changeDeps, data.eventId, data.edit, options)
      : data.kind === 'deletion'
        ? await applyDeletion(changeDeps, data.eventId, data.deletion, options)
        : await applyReaction(changeDeps, data.eventId, data.reaction, options);
  log.debug({ outcome }, 'message change');
  return `${data.kind}-${outcome}`;
}

async function handleStatus(
  deps: InboundJobDependencies,
  data: Extract<InboundJob, { kind: 'status' }>,
  log: Logger,
): Promise<string> {
  const changed = await recordDeliveryStatus(deps.pool, data.provider, data.status, log);
  log.debug(
    { providerMessageId: data.status.providerMessageId, status: data.status.status, changed },
    'delivery status',
  );
  if (changed) {
    await deps.realtime.publishDeliveryStatus(data.provider, data.status.providerMessageId);
  }
  return changed ? 'status-updated' : 'status-unchanged';
}
