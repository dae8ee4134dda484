/**
 * The customer deleted a message for everyone: it is marked `deletedAt` (the first deletion's
 * time) and keeps what we stored, text and media, which agents see as "deleted by the customer"
 * (issue 12). See message-change.ts for redelivery and for a deletion that arrives before its
 * message.
 */
import type { MessageDeletionEvent } from '../../whatsapp/inbound-event';
import { applyChange, type MessageChangeDependencies } from './message-change';

/**
 * @param eventId the webhook event id (the same deletion redelivered applies once).
 * @returns `applied`, `duplicate` or `kept`.
 * @throws MessageNotStoredYet while the message is not stored and attempts remain.
 */
export async function applyDeletion(
  deps: MessageChangeDependencies,
  eventId: string,
  deletion: MessageDeletionEvent,
  options: { lastAttempt: boolean },
): Promise<'applied' | 'duplicate' | 'kept'> {
  return applyChange(
    deps,
    {
      kind: 'deletion',
      eventId,
      provider: deletion.provider,
      channel: deletion.channel,
      providerMessageId: deletion.providerMessageId,
      at: new Date(deletion.timestamp),
    },
    options,
  );
}
