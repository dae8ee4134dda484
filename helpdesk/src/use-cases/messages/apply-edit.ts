/**
 * The customer edited a message: its text (a media message's caption) becomes the edit's, the
 * earlier versions are kept oldest first, and `editedAt` shows when (issue 12). An edit older than
 * the text shown (it arrived late) only joins the history. See message-change.ts for redelivery
 * and for an edit that arrives before its message.
 */
import type { MessageEditEvent } from '../../whatsapp/inbound-event';
import { applyChange, type MessageChangeDependencies } from './message-change';

/**
 * @param eventId the webhook event id (the same edit redelivered applies once).
 * @returns `applied`, `duplicate` or `kept`.
 * @throws MessageNotStoredYet while the message is not stored and attempts remain.
 */
export async function applyEdit(
  deps: MessageChangeDependencies,
  eventId: string,
  edit: MessageEditEvent,
  options: { lastAttempt: boolean },
): Promise<'applied' | 'duplicate' | 'kept'> {
  return applyChange(
    deps,
    {
      kind: 'edit',
      eventId,
      provider: edit.provider,
      channel: edit.channel,
      providerMessageId: edit.providerMessageId,
      at: new Date(edit.timestamp),
      text: edit.text ?? null,
    },
    options,
  );
}
