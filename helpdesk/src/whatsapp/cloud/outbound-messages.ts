/**
 * Request bodies of the Cloud API's `POST /<version>/<phone number id>/messages` (Meta, "Messages"
 * reference and the per-type guides "Text messages", "Image/Video/Audio/Document/Sticker messages",
 * "Interactive list messages"). Pure: builds JSON, sends nothing.
 */
import type { Menu } from '../../domain/menu';
import { ProviderError } from '../../errors';
import type { OutboundMediaType, OutboundTemplate, Recipient } from '../driver';

/** Longest text body, characters (Meta, "Text messages": `body` maximum 4096 characters). */
export const TEXT_MAX_CHARS = 4096;

/**
 * Interactive list limits (Meta, "Interactive list messages", request parameters): button label
 * 20 characters, body 4096, header and footer 60, row title 24, row description 72, row id 200,
 * section title 24, at most 10 rows across all sections.
 */
export const LIST_LIMITS = {
  rows: 10,
  buttonChars: 20,
  bodyChars: 4096,
  headerChars: 60,
  rowTitleChars: 24,
  rowDescriptionChars: 72,
  rowIdChars: 200,
} as const;

/** Fields that address a message: `to` (phone) or `recipient` (business-scoped user id). */
export type Addressing = { to: string } | { recipient: string };

/**
 * Whom a message goes to. A phone number is preferred (Meta recommends it, and `to` wins when both
 * are given); without one, the business-scoped user id goes in `recipient` (Meta,
 * "Business-scoped user IDs"). The phone is sent as digits in international form, as wa_ids are.
 * @throws ProviderError (not retryable) when the customer has neither.
 */
export function addressing(to: Recipient): Addressing {
  if (to.phone) return { to: to.phone.replace(/^\+/, '') };
  if (to.userId) return { recipient: to.userId };
  throw new ProviderError(
    'the customer has neither a phone number nor a business-scoped user id the Cloud API can address',
    false,
  );
}

function envelope(to: Recipient, replyTo: string | null | undefined) {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    ...addressing(to),
    ...(replyTo ? { context: { message_id: replyTo } } : {}),
  };
}

/**
 * A text message with link previews off (`preview_url: false`).
 * @throws ProviderError (not retryable) when the text is empty or longer than 4096 characters.
 */
export function textMessage(to: Recipient, text: string, replyTo?: string | null): Record<string, unknown> {
  const length = [...text].length;
  if (length === 0) throw new ProviderError('cannot send an empty text message', false);
  if (length > TEXT_MAX_CHARS) {
    throw new ProviderError(
      `the text has ${length} characters; the Cloud API accepts at most ${TEXT_MAX_CHARS}`,
      false,
    );
  }
  return { ...envelope(to, replyTo), type: 'text', text: { preview_url: false, body: text } };
}

/**
 * A media message sending an uploaded media id. A voice note is `audio` with `voice: true` (Meta,
 * "Audio messages"); audio and stickers take no caption, documents also carry their filename.
 */
export function mediaMessage(
  to: Recipient,
  media: { type: OutboundMediaType; mediaId: string; caption?: string | null; filename?: string | null },
  replyTo?: string | null,
): Record<string, unknown> {
  const type = media.type === 'voice' ? 'audio' : media.type;
  const object: Record<string, unknown> = { id: media.mediaId };
  if (media.type === 'voice') object.voice = true;
  if (media.caption && (type === 'image' || type === 'video' || type === 'document')) {
    object.caption = media.caption;
  }
  if (type === 'document' && media.filename) object.filename = media.filename;
  return { ...envelope(to, replyTo), type, [type]: object };
}

/** Cuts text to `max` characters (code points), ending with "…" when cut. */
export function fit(text: string, max: number): string {
  const characters = [...text.trim()];
  if (characters.length <= max) return characters.join('');
  return `${characters
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

/**
 * Renders the service menu as an interactive list message within Meta's limits: one section, one
 * row per option (id = the option id), titles cut to 24 characters (the full title then goes in the
 * description when the option has none), descriptions to 72, the button label to 20 and the body to
 * 4096. Returns null when the menu has more than 10 options (a list cannot hold them; the driver
 * then sends the numbered text menu so no option is lost) or an option id longer than 200.
 */
export function listMessage(to: Recipient, menu: Menu): Record<string, unknown> | null {
  if (menu.options.length === 0 || menu.options.length > LIST_LIMITS.rows) return null;
  if (menu.options.some((option) => option.id.length > LIST_LIMITS.rowIdChars)) return null;
  const rows = menu.options.map((option) => {
    const title = fit(option.title, LIST_LIMITS.rowTitleChars);
    const description = option.description ?? (title !== option.title.trim() ? option.title : undefined);
    return {
      id: option.id,
      title,
      ...(description ? { description: fit(description, LIST_LIMITS.rowDescriptionChars) } : {}),
    };
  });
  return {
    ...envelope(to, null),
    type: 'interactive',
    interactive: {
      type: 'list',
      body: { text: fit(menu.body, LIST_LIMITS.bodyChars) },
      action: {
        button: fit(menu.buttonText, LIST_LIMITS.buttonChars),
        sections: [{ rows }],
      },
    },
  };
}

/**
 * A template message (Meta, "Send message templates",
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates):
 * `{ messaging_product, recipient_type, to, type: "template", template: { name, language: { code },
 * components: [{ type: "body", parameters: [{ type: "text", text }] }] } }`; `components` is left
 * out when the template has no variables.
 */
export function templateMessage(
  to: Recipient,
  template: OutboundTemplate,
  replyTo?: string | null,
): Record<string, unknown> {
  return {
    ...envelope(to, replyTo),
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      ...(template.components.length ? { components: template.components } : {}),
    },
  };
}
