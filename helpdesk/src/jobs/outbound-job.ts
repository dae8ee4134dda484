/**
 * The outbound job: claims its messages (one statement for up to three), then sends them in order,
 * marking each sent as it goes, and tells the consoles of the job's changes in one round trip. A
 * retryable provider error stops the batch and retries it (messages already sent are skipped); on
 * the last attempt the rest are marked failed. A database or Redis outage uses no attempt: the job
 * waits and retries (infrastructure-retry.ts).
 */
import type { Job } from 'bullmq';
import { ProviderError } from '../errors';
import type { Logger } from '../infra/logger';
import type { MessageStatusChange, RealtimePublisher } from '../realtime/publish';
import { markFailed } from '../use-cases/messages/mark-outbound-failed';
import {
  claimMessagesToSend,
  sendClaimedMessage,
  type SendDependencies,
} from '../use-cases/messages/send-outbound-message';
import type { OutboundJob } from './queues';
import { tracedDrivers } from './traced-drivers';

export interface OutboundJobDependencies extends SendDependencies {
  log: Logger;
  /** Tells agents' consoles about messages sent or failed. */
  realtime: RealtimePublisher;
}

/** Sends one outbound job's messages in order; throws to have BullMQ retry it with backoff. */
export async function handleOutboundJob(
  deps: OutboundJobDependencies,
  job: Job<OutboundJob>,
): Promise<string> {
  const log = deps.log.child({ jobId: job.id, requestId: job.data.requestId });
  // Sends carry the request id to the provider and are counted by type and result.
  const sendDeps = { ...deps, drivers: tracedDrivers(deps.drivers, job.data.requestId) };
  const outcomes: string[] = [];
  // Every message of the job claimed before any is sent; one not claimed (no longer queued, or
  // held by another job) is skipped. A retry claims again those still queued (sent ones are not).
  const claimed = await claimMessagesToSend(deps, job.data.messageIds, job.id!);
  // Agents see "queued" turn into "sent" or "failed" without reloading: the job's changes are
  // published together once it stops (one round trip to Redis), also when it stops on an error.
  const changes: MessageStatusChange[] = [];
  try {
    for (const messageId of job.data.messageIds) {
      const message = claimed.get(messageId);
      if (!message) {
        outcomes.push('skipped');
        continue;
      }
      try {
        const sent = await sendClaimedMessage(sendDeps, messageId, message);
        outcomes.push(sent.outcome);
        if (sent.outcome === 'failed') log.warn({ messageId }, 'outbound message failed');
        changes.push(sent.change);
      } catch (error) {
        const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (error instanceof ProviderError && lastAttempt) {
          const remaining = job.data.messageIds.slice(job.data.messageIds.indexOf(messageId));
          // The messages sent before are announced first, as they happened.
          await deps.realtime.publishStatusChanges(changes.splice(0));
          for (const id of remaining) {
            await markFailed(deps.pool, id, error.message);
            await deps.realtime.publishMessageStatus(id);
          }
          log.error({ messageId, err: error }, 'outbound messages failed after the last attempt');
          return 'failed';
        }
        throw error;
      }
    }
  } finally {
    await deps.realtime.publishStatusChanges(changes);
  }
  log.info({ messages: job.data.messageIds.length, outcomes }, 'outbound batch done');
  return outcomes.join(',');
}
