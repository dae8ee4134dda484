/**
 * What the three message-change use cases (apply-edit.ts, apply-deletion.ts, apply-reaction.ts)
 * share: record and apply the change (store/message-changes.ts), announce `message.updated`, and
 * decide what a change for a message not stored yet does.
 *
 * Ordering: a change may be processed before the message it changes (the sidecar and Meta deliver
 * them as separate webhooks, and the inbound workers run several jobs at once). Such a change fails
 * its job with `MessageNotStoredYet`, so BullMQ tries it again with backoff (JOB_ATTEMPTS,
 * JOB_BACKOFF_MS), by which time the message is normally stored. On the job's last attempt it is
 * kept in `message_changes` with no message (logged as a warning) rather than dropped: it names a
 * message the helpdesk never stored (sent before the helpdesk existed, or lost upstream).
 */
import type { Logger } from '../../infra/logger';
import type { RealtimePublisher } from '../../realtime/publish';
import type { DatabasePool } from '../../store/inbound-database';
import { applyMessageChange, type MessageChange } from '../../store/message-changes';

/** What applying a change needs. */
export interface MessageChangeDependencies {
  pool: DatabasePool;
  realtime: RealtimePublisher;
  log: Logger;
}

/** The changed message is not stored (yet): the job tries again later. */
export class MessageNotStoredYet extends Error {
  constructor(providerMessageId: string) {
    super(`message ${providerMessageId} is not stored yet; the change is tried again`);
    this.name = 'MessageNotStoredYet';
  }
}

/**
 * Records and applies a change, then publishes `message.updated` `{ messageId, change }` to the
 * ticket's assignee (or everyone while it waits) and admins.
 * @param options.lastAttempt the job's last try: a change without its message is kept, not retried.
 * @returns `applied`, `duplicate` (recorded before) or `kept` (no message, last attempt).
 * @throws MessageNotStoredYet while the message is not stored and attempts remain.
 */
export async function applyChange(
  deps: MessageChangeDependencies,
  change: MessageChange,
  options: { lastAttempt: boolean },
): Promise<'applied' | 'duplicate' | 'kept'> {
  const result = await applyMessageChange(deps.pool, change, { keepUnmatched: options.lastAttempt });
  if (result.outcome === 'missing') throw new MessageNotStoredYet(change.providerMessageId);
  if (result.outcome === 'kept') {
    deps.log.warn(
      { providerMessageId: change.providerMessageId, kind: change.kind, eventId: change.eventId },
      'message change kept without its message: the message was never stored',
    );
    return 'kept';
  }
  if (result.outcome === 'applied') {
    await deps.realtime.publishTicketEvent(result.ticketId, 'message.updated', {
      messageId: result.messageId,
      change: change.kind,
    });
  }
  return result.outcome;
}
