/**
 * The customer reacted to a message, theirs or ours: the reaction is shown on it; a new one from
 * the same account replaces it and an empty emoji removes it (WhatsApp allows one reaction per
 * account and message; issue 12). See message-change.ts for redelivery and for a reaction that
 * arrives before its message.
 */
import type { MessageReactionEvent } from '../../whatsapp/inbound-event';
import { applyChange, type MessageChangeDependencies } from './message-change';

/**
 * @param eventId the webhook event id (the same reaction redelivered applies once).
 * @returns `applied`, `duplicate` or `kept`.
 * @throws MessageNotStoredYet while the message is not stored and attempts remain.
 */
export async function applyReaction(
  deps: MessageChangeDependencies,
  eventId: string,
  reaction: MessageReactionEvent,
  options: { lastAttempt: boolean },
): Promise<'applied' | 'duplicate' | 'kept'> {
  const from = reaction.from;
  return applyChange(
    deps,
    {
      kind: 'reaction',
      eventId,
      provider: reaction.provider,
      channel: reaction.channel,
      providerMessageId: reaction.providerMessageId,
      at: new Date(reaction.timestamp),
      emoji: reaction.emoji,
      sender: from.phone ?? from.lid ?? from.userId ?? 'customer',
    },
    options,
  );
}
