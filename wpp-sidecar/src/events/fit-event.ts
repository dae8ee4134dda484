/**
 * The last step before the outbox: make a message event's JSON body fit the helpdesk's WEBHOOK_MAX_BYTES,
 * so it is never refused with 413 and dead-lettered. Field limits are already applied
 * (normalize-message.ts); what can still be too big is `raw` or, with a lowered limit, the text itself.
 */
import type { SidecarInboundMessage, SidecarWebhookEvent } from '@whatsapp-helpdesk/contract/sidecar-events';

type MessageEvent = Extract<SidecarWebhookEvent, { type: 'message' }>;
type ChangeEvent = Extract<SidecarWebhookEvent, { type: 'edit' | 'deletion' | 'reaction' }>;

/** Size of the body the outbox will POST, in bytes (UTF-8 of `JSON.stringify`). */
export function eventBytes(event: SidecarWebhookEvent): number {
  return Buffer.byteLength(JSON.stringify(event), 'utf8');
}

/** Visible to agents (Arabic and English) when a message had to be shortened to be forwarded at all. */
export function tooLargeNote(bytes: number, maxBytes: number): string {
  return (
    `[هذه الرسالة أكبر من الحد المسموح (${bytes} بايت، والحد ${maxBytes} بايت)، فاختُصرت.]\n` +
    `[This message was too large to forward (${bytes} bytes; the limit is ${maxBytes} bytes), so it was shortened.]`
  );
}

/**
 * @param event - a normalised message event.
 * @param maxBytes - the helpdesk's WEBHOOK_MAX_BYTES.
 * @returns the event unchanged when it fits; else with `raw` reduced to a summary and a note; and if that
 *   is still too big, with the contacts' vCard texts emptied (names and numbers kept; the vCards are in
 *   `text` too); and then as type `unknown` whose text is `tooLargeNote` followed by as much of the original
 *   text and caption as fits (location, menu choice and contacts dropped; `media`, `quoted`, `details` kept). Never drops the message: with an
 *   absurdly small limit the last attempt is returned as it is.
 */
export function fitMessageEvent(event: MessageEvent, maxBytes: number): MessageEvent {
  const original = eventBytes(event);
  if (original <= maxBytes) return event;
  const m = event.message;
  const why = `event was ${original} bytes, over the helpdesk's WEBHOOK_MAX_BYTES of ${maxBytes}`;
  const summary: Record<string, unknown> = {
    id: m.raw.id,
    type: m.raw.type,
    sidecarNote: `raw omitted: ${why}`,
  };
  for (const key of ['sidecarMediaError', 'sidecarTruncated'] as const) {
    if (m.raw[key] !== undefined) summary[key] = m.raw[key];
  }
  const slim: MessageEvent = { ...event, message: { ...m, raw: summary } };
  if (eventBytes(slim) <= maxBytes) return slim;
  // A share of many contacts: their vCards are also in `text`; keep the parsed names and numbers.
  if (m.contacts?.some((card) => card.vcard.length > 0)) {
    const cards: MessageEvent = {
      ...slim,
      message: { ...slim.message, contacts: m.contacts.map((card) => ({ ...card, vcard: '' })) },
    };
    if (eventBytes(cards) <= maxBytes) return cards;
  }

  const note = tooLargeNote(original, maxBytes);
  const content = [m.text, m.caption].filter((part): part is string => Boolean(part)).join('\n\n');
  const shortened = (keep: number): MessageEvent => {
    const message: SidecarInboundMessage = {
      ...m,
      type: 'unknown',
      text: keep > 0 ? `${note}\n\n${cutAt(content, keep)}` : note,
      caption: null,
      location: null,
      menuChoice: null,
      contacts: null,
      raw: { ...summary, sidecarNote: `shortened to type unknown: ${why}`, originalType: m.type },
    };
    return { ...event, message };
  };
  // Halve the kept text until the body fits (at most ~17 rounds for 65536 characters).
  for (let keep = content.length; keep > 0; keep = Math.floor(keep / 2)) {
    const attempt = shortened(keep);
    if (eventBytes(attempt) <= maxBytes) return attempt;
  }
  return shortened(0);
}

/** The first `keep` characters, not ending inside a surrogate pair. */
function cutAt(value: string, keep: number): string {
  if (keep >= value.length) return value;
  const last = value.charCodeAt(keep - 1);
  return value.slice(0, last >= 0xd800 && last <= 0xdbff ? keep - 1 : keep);
}

/**
 * @param event - an `edit`, `deletion` or `reaction` event.
 * @param maxBytes - the helpdesk's WEBHOOK_MAX_BYTES.
 * @returns the event unchanged when it fits; else with `raw` reduced to a note; and an edit whose new text is
 *   still too big with that text halved until it fits (a note says so). Never drops the change.
 */
export function fitChangeEvent(event: ChangeEvent, maxBytes: number): ChangeEvent {
  const original = eventBytes(event);
  if (original <= maxBytes) return event;
  const raw = {
    sidecarNote: `raw omitted: event was ${original} bytes, over WEBHOOK_MAX_BYTES of ${maxBytes}`,
  };
  let slim: ChangeEvent;
  if (event.type === 'edit') slim = { ...event, edit: { ...event.edit, raw } };
  else if (event.type === 'deletion') slim = { ...event, deletion: { ...event.deletion, raw } };
  else slim = { ...event, reaction: { ...event.reaction, raw } };
  if (slim.type !== 'edit' || eventBytes(slim) <= maxBytes) return slim;
  const note = tooLargeNote(original, maxBytes);
  const text = slim.edit.text ?? '';
  let attempt: ChangeEvent = slim;
  for (let keep = text.length; keep > 0; keep = Math.floor(keep / 2)) {
    attempt = { ...slim, edit: { ...slim.edit, text: `${note}\n\n${cutAt(text, keep)}` } };
    if (eventBytes(attempt) <= maxBytes) return attempt;
  }
  return { ...slim, edit: { ...slim.edit, text: note } };
}
