/**
 * The outbound job: sends a batch of messages in order. A retryable provider error stops the batch
 * and retries it (messages already sent are skipped); on the last attempt the rest are marked failed.
 */
import type { Job } from 'bullmq';
import { ProviderError } from '../errors';
import type { Logger } from '../infra/logger';
import { markFailed, sendOutboundMessage, type SendDependencies } from '../services/send-outbound-message';
import type { OutboundJob } from './queues';

export interface OutboundJobDependencies extends SendDependencies {
  log: Logger;
}

export async function handleOutboundJob(
  deps: OutboundJobDependencies,
  job: Job<OutboundJob>,
): Promise<string> {
  const log = deps.log.child({ jobId: job.id });
  const outcomes: string[] = [];
  for (const messageId of job.data.messageIds) {
    try {
      const outcome = await sendOutboundMessage(deps, messageId, job.id!);
      outcomes.push(outcome);
      if (outcome === 'failed') log.warn({ messageId }, 'outbound message failed');
    } catch (error) {
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (error instanceof ProviderError && lastAttempt) {
        const remaining = job.data.messageIds.slice(job.data.messageIds.indexOf(messageId));
        for (const id of remaining) await markFailed(deps.db, id, error.message);
        log.error({ messageId, err: error }, 'outbound messages failed after the last attempt');
        return 'failed';
      }
      throw error;
    }
  }
  log.info({ messages: job.data.messageIds.length, outcomes }, 'outbound batch done');
  return outcomes.join(',');
}
