/**
 * WPPConnect edits, deletions and reactions -> the helpdesk's `edit`, `deletion` and `reaction` events
 * (pure; the sender's lid is resolved before, like a message's).
 *
 * Sources, each read as WPPConnect 2.3 delivers it (wpp-types.ts has the shapes):
 * - `client.onMessageEdit` (wa-js `chat.msg_edited`): the edited message with its new `body`/`caption`;
 * - `client.onRevokedMessage` (wa-js `chat.msg_revoke`): `refId`, the deleted message;
 * - `client.onReactionMessage` (wa-js `chat.new_reaction`): `msgId`, the message reacted to;
 * - and the same changes should they come through `onMessage` as messages: type `revoked` (a message
 *   deleted before we saw it: its own id) or `protocol` (subtype `revoke`/`sender_revoke`/`admin_revoke`
 *   or `message_edit`, acting on `protocolMessageKey`). They are never forwarded as message bubbles.
 * Only the customer's changes are forwarded: ours (made on the phone) and those in status broadcasts,
 * newsletters, and groups unless FORWARD_GROUPS, are not, as for messages (should-forward.ts).
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/layers/listener.layer.js
 * @see node_modules/@wppconnect/wa-js/dist/chat/events/eventTypes.d.ts
 */
import {
  FIELD_LIMITS,
  type SidecarDeletion,
  type SidecarEdit,
  type SidecarReaction,
} from '@whatsapp-helpdesk/contract/sidecar-events';
import { cleanString, truncate } from '@whatsapp-helpdesk/contract/normalise';
import { deletionEventId, editEventId, reactionEventId } from './event-id';
import { MEDIA_TYPES, chatKey, rawForAudit, userCaptionOf } from './normalize-message';
import { fitId, sanitizeRaw } from './sanitize';
import { skipReason, type SkipReason } from './should-forward';
import { parseMessageId, serializedMessageId, whatsappTimeMs, widString } from './wpp-ids';
import type { WppEdit, WppMessage, WppReaction, WppRevoke } from './wpp-types';

/** Why a change is not forwarded. */
export type ChangeSkipReason = SkipReason | 'malformed' | 'not_a_change' | 'other_protocol_message';

/** A change ready for the outbox: the event, its id, and the chat whose lane keeps it in order. */
export type Change =
  | { type: 'edit'; eventId: string; chat: string; edit: SidecarEdit }
  | { type: 'deletion'; eventId: string; chat: string; deletion: SidecarDeletion }
  | { type: 'reaction'; eventId: string; chat: string; reaction: SidecarReaction };

export interface ChangeOptions {
  channel: string;
  forwardGroups: boolean;
  now?: Date;
}

/** `protocol` subtypes that delete a message (wa-js `registerRevokeMessageEvent`). */
const REVOKE_SUBTYPES = new Set(['revoke', 'sender_revoke', 'admin_revoke']);

/** A message id as the helpdesk knows it: cleaned and fitted like `providerMessageId`. */
function fitMessageId(id: string): string {
  return fitId(cleanString(id), FIELD_LIMITS.providerMessageId);
}

/** Whole seconds in ms: an edit seen both as `onMessageEdit` and as a `protocol` message gets one id. */
function toSecondMs(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** Skips a change in a chat the sidecar does not forward (status, broadcast, newsletter, group). */
function chatSkip(chat: string, author: string | null, options: ChangeOptions): SkipReason | null {
  return skipReason(
    { id: '', type: 'chat', from: chat, author: author ?? undefined, isGroupMsg: chat.endsWith('@g.us') },
    { forwardGroups: options.forwardGroups },
  );
}

/**
 * @param data - what `onMessageEdit` delivered.
 * @returns the `edit` event, or why it is not forwarded (our own message, a skipped chat, no message).
 */
export function toEdit(data: WppEdit, options: ChangeOptions): Change | { skip: ChangeSkipReason } {
  const msg = data?.msg;
  const id = typeof msg?.id === 'string' ? msg.id : typeof data?.id === 'string' ? data.id : null;
  if (!msg || !id || typeof msg.from !== 'string') return { skip: 'malformed' };
  const reason = skipReason(msg, { forwardGroups: options.forwardGroups });
  if (reason) return { skip: reason };
  if (parseMessageId(id)?.fromMe === true) return { skip: 'own_message' };
  const ms = toSecondMs(
    whatsappTimeMs(msg.latestEditSenderTimestampMs) ?? (options.now ?? new Date()).getTime(),
  );
  const text = MEDIA_TYPES.has(msg.type) ? userCaptionOf(msg) : textOf(msg.body);
  const providerMessageId = fitMessageId(id);
  return {
    type: 'edit',
    eventId: editEventId(options.channel, providerMessageId, ms),
    chat: chatKey(msg),
    edit: {
      provider: 'wppconnect',
      channel: options.channel,
      providerMessageId,
      text: text === null ? null : truncate(text, FIELD_LIMITS.text),
      timestamp: new Date(ms).toISOString(),
      raw: { ...rawForAudit(msg), sidecarSource: 'onMessageEdit' },
    },
  };
}

/**
 * @param data - what `onRevokedMessage` delivered (`refId` the deleted message, `id` the revoke itself).
 * @returns the `deletion` event, or why it is not forwarded (we deleted it, a skipped chat, no id).
 */
export function toDeletion(data: WppRevoke, options: ChangeOptions): Change | { skip: ChangeSkipReason } {
  const refId = serializedMessageId(data?.refId);
  const parsed = refId ? parseMessageId(refId) : null;
  if (!refId || !parsed) return { skip: 'malformed' };
  // A revoke sent from this account (`id.fromMe`), or of one of our messages: not the customer's doing.
  const revokeId = serializedMessageId(data.id);
  if (parsed.fromMe || (revokeId && parseMessageId(revokeId)?.fromMe === true))
    return { skip: 'own_message' };
  const author = widString(data.author);
  const reason = chatSkip(parsed.chat, author, options);
  if (reason) return { skip: reason };
  return deletion(refId, parsed.chat, options, sanitizeRaw({ ...data, sidecarSource: 'onRevokedMessage' }));
}

function deletion(messageId: string, chat: string, options: ChangeOptions, raw: unknown): Change {
  const providerMessageId = fitMessageId(messageId);
  return {
    type: 'deletion',
    eventId: deletionEventId(options.channel, providerMessageId),
    chat,
    deletion: {
      provider: 'wppconnect',
      channel: options.channel,
      providerMessageId,
      timestamp: (options.now ?? new Date()).toISOString(),
      raw: (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>,
    },
  };
}

/**
 * Who reacted: `onReactionMessage`'s `sender` (a Wid: its string after the JSON crossing); payloads without
 * it (published in rocket.connect issue 109, from wppconnect-server: only `id`, `msgId`, `reactionText`,
 * `read`, `orphan`, `timestamp`) are read from the reaction's own key: its participant in a group, else
 * the chat (a customer's reaction in a 1:1 chat). Null for our own reactions and when nothing tells.
 */
export function reactionSender(data: WppReaction): string | null {
  const explicit = widString(data?.sender);
  if (explicit) return explicit;
  const key = serializedMessageId(data?.id);
  const parsed = key ? parseMessageId(key) : null;
  if (!parsed || parsed.fromMe) return null;
  if (parsed.participant && parsed.participant.includes('@')) return parsed.participant;
  return parsed.chat.endsWith('@g.us') || parsed.chat.endsWith('@broadcast') ? null : parsed.chat;
}

/**
 * @param data - what `onReactionMessage` delivered.
 * @param from - who reacted: E.164 phone and/or `…@lid` (resolved by the caller from `reactionSender`).
 * @returns the `reaction` event, or why it is not forwarded (our own reaction, a skipped chat, no target).
 */
export function toReaction(
  data: WppReaction,
  from: { phone: string | null; lid: string | null },
  options: ChangeOptions,
): Change | { skip: ChangeSkipReason } {
  const target = serializedMessageId(data?.msgId);
  const parsedTarget = target ? parseMessageId(target) : null;
  const sender = reactionSender(data);
  if (!target || !parsedTarget || !sender) return { skip: 'malformed' };
  const own = serializedMessageId(data.id);
  const ownKey =
    data.id && typeof data.id === 'object' ? (data.id as { fromMe?: unknown }).fromMe : undefined;
  if (ownKey === true || (own && parseMessageId(own)?.fromMe === true)) return { skip: 'own_message' };
  const reason = chatSkip(parsedTarget.chat, sender, options);
  if (reason) return { skip: reason };
  const ms = whatsappTimeMs(data.timestamp) ?? (options.now ?? new Date()).getTime();
  const providerMessageId = fitMessageId(target);
  const emoji =
    typeof data.reactionText === 'string' ? truncate(cleanString(data.reactionText), FIELD_LIMITS.emoji) : '';
  return {
    type: 'reaction',
    eventId: reactionEventId(options.channel, providerMessageId, fitId(sender, FIELD_LIMITS.userId), ms),
    chat: parsedTarget.chat,
    reaction: {
      provider: 'wppconnect',
      channel: options.channel,
      providerMessageId,
      from: {
        phone: from.phone !== null && from.phone.length <= FIELD_LIMITS.phone ? from.phone : null,
        lid: from.lid === null ? null : fitId(cleanString(from.lid), FIELD_LIMITS.lid),
        userId: null,
      },
      emoji,
      timestamp: new Date(ms).toISOString(),
      raw: sanitizeRaw({ ...data, sidecarSource: 'onReactionMessage' }) as Record<string, unknown>,
    },
  };
}

/**
 * A message `onMessage` delivered that is really a change: type `revoked` (deleted before it was seen:
 * a deletion of itself) or `protocol` (a revoke or an edit of `protocolMessageKey`; other protocol
 * messages are nothing to forward).
 * @returns the change, `{ skip: 'not_a_change' }` for an ordinary message, or why it is not forwarded.
 */
export function changeFromMessage(
  message: WppMessage,
  options: ChangeOptions,
): Change | { skip: ChangeSkipReason } {
  if (message.type !== 'revoked' && message.type !== 'protocol') return { skip: 'not_a_change' };
  const reason = skipReason(message, { forwardGroups: options.forwardGroups });
  if (reason) return { skip: reason };
  const raw = { ...rawForAudit(message), sidecarSource: `onMessage:${message.type}` };
  if (message.type === 'revoked') {
    const parsed = parseMessageId(message.id);
    if (!parsed || parsed.fromMe) return { skip: parsed ? 'own_message' : 'malformed' };
    return deletion(message.id, chatKey(message), options, raw);
  }
  const key = serializedMessageId(message.protocolMessageKey);
  const parsedKey = key ? parseMessageId(key) : null;
  if (!key || !parsedKey) return { skip: 'malformed' };
  if (parsedKey.fromMe) return { skip: 'own_message' };
  const subtype = typeof message.subtype === 'string' ? message.subtype : '';
  if (REVOKE_SUBTYPES.has(subtype)) return deletion(key, chatKey(message), options, raw);
  if (subtype === 'message_edit') {
    const seconds = whatsappTimeMs(message.latestEditSenderTimestampMs) ?? whatsappTimeMs(message.t);
    const ms = toSecondMs(seconds ?? (options.now ?? new Date()).getTime());
    const providerMessageId = fitMessageId(key);
    const text = textOf(message.body) ?? textOf(message.caption);
    return {
      type: 'edit',
      eventId: editEventId(options.channel, providerMessageId, ms),
      chat: chatKey(message),
      edit: {
        provider: 'wppconnect',
        channel: options.channel,
        providerMessageId,
        text: text === null ? null : truncate(text, FIELD_LIMITS.text),
        timestamp: new Date(ms).toISOString(),
        raw,
      },
    };
  }
  // Other protocol messages (ephemeral settings, history sync, key shares…) change nothing agents see.
  return { skip: 'other_protocol_message' };
}

function textOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = cleanString(value);
  return text.length > 0 ? text : null;
}
