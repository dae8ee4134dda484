/**
 * A message in a few words, for the quote above the composer and inside a bubble: its text or
 * caption, else what it is (the contact's name, the place, the file's name, or its type in the
 * agent's language). Pure.
 */
import type { Message } from '../../api';
import type { Words } from '../../i18n';
import { parseContacts } from '../media/parse-contact';
import { messageParts } from './fields';

const TYPE_WORDS: Record<string, keyof Words> = {
  text: 'messageTypeText',
  image: 'messageTypeImage',
  video: 'messageTypeVideo',
  audio: 'messageTypeAudio',
  voice: 'messageTypeVoice',
  ptt: 'messageTypeVoice',
  document: 'messageTypeDocument',
  sticker: 'messageTypeSticker',
  location: 'messageTypeLocation',
  contact: 'messageTypeContact',
  interactive: 'messageTypeInteractive',
  reaction: 'messageTypeReaction',
  poll: 'messageTypePoll',
};

/** A message type in words ("Photo", "Voice note"…); unknown types read as "Message". */
export function typeWords(t: Words, type: string | null | undefined): string {
  return t[TYPE_WORDS[type ?? ''] ?? 'messageTypeUnknown'];
}

/** The message in one short line (at most `max` characters, "…" when cut). */
export function messageSummary(t: Words, message: Message, max = 160): string {
  const parts = messageParts(message);
  const contactName =
    parts.contacts?.find((card) => card.name)?.name ??
    (message.type === 'contact'
      ? (parseContacts(message.text).find((card) => card.name)?.name ?? null)
      : null);
  const text =
    (message.type === 'contact' ? contactName : null) ??
    message.text ??
    message.caption ??
    parts.location?.name ??
    parts.details?.listReply?.title ??
    parts.details?.buttonReply?.text ??
    message.attachments[0]?.filename ??
    null;
  const line = text?.replace(/\s+/g, ' ').trim() || typeWords(t, message.type);
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
