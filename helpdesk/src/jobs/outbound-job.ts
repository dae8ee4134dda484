/**
 * The outbound job: claims its messages (one statement), then sends them, each
 * ticket's in the job's order and up to OUTBOUND_TICKETS_AT_ONCE tickets side by side, marking
 * each sent as it goes, and tells the consoles of the job's changes in one round trip. A job holds
 * one ticket's messages (an agent's reply) or the bot's replies to a batch of inbound messages
 * (queues.ts, `enqueueOutboundMany`). A retryable provider error stops that ticket's sending and
 * retries the job once the other tickets are done (messages already sent are skipped); on the last
 * attempt that ticket's rest are marked failed. A database or Redis outage uses no attempt: the job
 * waits and retries (infrastructure-retry.ts).
 */
import type { Job } from 'bullmq';
import pLimit from 'p-limit';
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

/**
 * How many tickets of one job send side by side: a slow chat (a large file, a provider's retry)
 * does not hold up the replies to other customers, and the provider is not sent a whole batch at
 * once (a WPPConnect session sends through one browser page).
 */
const OUTBOUND_TICKETS_AT_ONCE = 8;

/**
 * Sends one outbound job's messages, each ticket's in order.
 * @returns the outcome of each message in the job's order (`sent`, `failed`, `skipped`), joined by commas.
 * @throws the first error of a ticket whose sending stopped (a retryable ProviderError before the
 *   last attempt, a database error): BullMQ retries the job with backoff.
 */
export async function handleOutboundJob(
  deps: OutboundJobDependencies,
  job: Job<OutboundJob>,
): Promise<string> {
  const log = deps.log.child({ jobId: job.id, requestId: job.data.requestId });
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const outcomes = new Map<string, string>();
  // Every message of the job claimed before any is sent; one not claimed (no longer queued, or
  // held by another job) is skipped. A retry claims again those still queued (sent ones are not).
  const claimed = await claimMessagesToSend(deps, job.data.messageIds, job.id!);
  const tickets = new Map<string, string[]>();
  for (const messageId of job.data.messageIds) {
    const message = claimed.get(messageId);
    if (!message) {
      outcomes.set(messageId, 'skipped');
      continue;
    }
    const ticket = tickets.get(message.ticketId) ?? [];
    tickets.set(message.ticketId, ticket);
    ticket.push(messageId);
  }
  // Agents see "queued" turn into "sent" or "failed" without reloading: the job's changes are
  // published together once it stops (one round trip to Redis), also when it stops on an error;
  // the messages failed after the last attempt follow, as they happened.
  const changes: MessageStatusChange[] = [];
  const failedAtLastAttempt: string[] = [];

  /** Sends one ticket's messages in order; stops at the first error (thrown unless it was the last attempt). */
  const sendTicket = async (messageIds: readonly string[]): Promise<void> => {
    for (const [position, messageId] of messageIds.entries()) {
      // The request behind the message (a packed job's come from several): sends carry it to the
      // provider and are counted by type and result.
      const requestId = job.data.requestIds?.[messageId] ?? job.data.requestId;
      const messageLog = requestId === job.data.requestId ? log : log.child({ requestId });
      const sendDeps = { ...deps, drivers: tracedDrivers(deps.drivers, requestId) };
      try {
        const sent = await sendClaimedMessage(sendDeps, messageId, claimed.get(messageId)!);
        outcomes.set(messageId, sent.outcome);
        if (sent.outcome === 'failed') messageLog.warn({ messageId }, 'outbound message failed');
        changes.push(sent.change);
      } catch (error) {
        if (!(error instanceof ProviderError && lastAttempt)) throw error;
        for (const id of messageIds.slice(position)) {
          await markFailed(deps.pool, id, error.message);
          outcomes.set(id, 'failed');
          failedAtLastAttempt.push(id);
        }
        messageLog.error({ messageId, err: error }, 'outbound messages failed after the last attempt');
        return;
      }
    }
  };

  const limit = pLimit(OUTBOUND_TICKETS_AT_ONCE);
  let settled: Array<PromiseSettledResult<void>>;
  try {
    settled = await Promise.allSettled([...tickets.values()].map((ids) => limit(() => sendTicket(ids))));
  } finally {
    await deps.realtime.publishStatusChanges(changes);
    for (const id of failedAtLastAttempt) await deps.realtime.publishMessageStatus(id);
  }
  const stopped = settled.find((result) => result.status === 'rejected');
  if (stopped) throw stopped.reason;
  const inOrder = job.data.messageIds.map((messageId) => outcomes.get(messageId) ?? 'skipped');
  log.info(
    { messages: job.data.messageIds.length, tickets: tickets.size, outcomes: inOrder },
    'outbound batch done',
  );
  return inOrder.join(',');
}
