/**
 * WhatsApp Cloud API webhook payloads shaped as Meta's "Webhooks reference: messages" examples
 * (text, image, audio/voice, video, document, sticker, location, contacts, interactive list and
 * button replies, template button, reaction, unsupported, statuses), with the ids, numbers and
 * times a test needs; and Meta's `X-Hub-Signature-256` signing.
 *
 * Message kinds (issue 12), each after the Meta page named on it: forwarded and frequently forwarded
 * messages and replies (`context`, "Webhooks reference: messages"), a full contact card ("contacts
 * object"), a location with a link ("location object"), a Flow's answer (`nfm_reply`, "Webhooks
 * reference: messages", interactive object, and "Flows: response message webhook"), a removed
 * reaction (the `reaction` object without `emoji`), and edits and deletions ("Edit messages webhook
 * reference" and "Revoke messages webhook reference", sent for WhatsApp Business app numbers on the
 * Cloud API, "Coexistence").
 */
import { createHash, createHmac } from 'node:crypto';

export const PHONE_NUMBER_ID = '106540352242922';
export const DISPLAY_PHONE_NUMBER = '15550783881';
export const WABA_ID = '102290129340398';
export const APP_SECRET = 'cloud-app-secret-0123456789abcdef';
export const VERIFY_TOKEN = 'cloud-verify-token-0123456789abcdef';

let counter = 0;

/** A fresh wamid as Meta formats them (base64 after "wamid."). */
export function wamid(): string {
  return `wamid.${Buffer.from(`HBgLMTY1MDM4Nzk0MzkVAgASGBQz-${Date.now()}-${++counter}`).toString('base64')}`;
}

/** `X-Hub-Signature-256` of a raw body: `sha256=` + hex HMAC-SHA256 keyed with the app secret. */
export function hubSignature(rawBody: string | Buffer, secret = APP_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** Meta's media sha256 as webhooks give it (base64 of the digest). */
export function mediaSha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64');
}

export interface Sender {
  /** wa_id: international digits without "+"; omit for a username user without a shared phone. */
  waId?: string;
  /** Business-scoped user id, e.g. "EG.13491208655302741918". */
  userId?: string;
  name?: string;
  username?: string;
}

/** The envelope with one entry and one `messages` change per value. */
export function notification(...values: Array<Record<string, unknown>>): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: WABA_ID,
        changes: values.map((value) => ({ value, field: 'messages' })),
      },
    ],
  };
}

function metadata(phoneNumberId = PHONE_NUMBER_ID) {
  return { display_phone_number: DISPLAY_PHONE_NUMBER, phone_number_id: phoneNumberId };
}

/** A `messages` change value: the sender's contact and the messages. */
export function messagesValue(
  sender: Sender,
  messages: Array<Record<string, unknown>>,
  phoneNumberId = PHONE_NUMBER_ID,
): Record<string, unknown> {
  return {
    messaging_product: 'whatsapp',
    metadata: metadata(phoneNumberId),
    contacts: [
      {
        profile: {
          name: sender.name ?? 'Kerry Fisher',
          ...(sender.username ? { username: sender.username } : {}),
        },
        ...(sender.waId ? { wa_id: sender.waId } : {}),
        ...(sender.userId ? { user_id: sender.userId } : {}),
      },
    ],
    messages,
  };
}

/** A `statuses` change value. */
export function statusesValue(statuses: Array<Record<string, unknown>>): Record<string, unknown> {
  return { messaging_product: 'whatsapp', metadata: metadata(), statuses };
}

function base(sender: Sender, type: string, overrides: { id?: string; context?: string } = {}) {
  return {
    ...(sender.waId ? { from: sender.waId } : {}),
    ...(sender.userId ? { from_user_id: sender.userId } : {}),
    id: overrides.id ?? wamid(),
    timestamp: String(Math.floor(Date.now() / 1000)),
    type,
    ...(overrides.context ? { context: { from: DISPLAY_PHONE_NUMBER, id: overrides.context } } : {}),
  };
}

export const message = {
  text: (sender: Sender, body: string, overrides?: { id?: string; context?: string }) => ({
    ...base(sender, 'text', overrides),
    text: { body },
  }),
  image: (sender: Sender, media: { id: string; bytes: Buffer; mimeType?: string; caption?: string }) => ({
    ...base(sender, 'image'),
    image: {
      ...(media.caption ? { caption: media.caption } : {}),
      mime_type: media.mimeType ?? 'image/png',
      sha256: mediaSha256(media.bytes),
      id: media.id,
    },
  }),
  audio: (sender: Sender, media: { id: string; voice: boolean }) => ({
    ...base(sender, 'audio'),
    audio: {
      mime_type: 'audio/ogg; codecs=opus',
      sha256: mediaSha256(Buffer.from(media.id)),
      id: media.id,
      voice: media.voice,
    },
  }),
  video: (sender: Sender, media: { id: string; caption?: string }) => ({
    ...base(sender, 'video'),
    video: {
      caption: media.caption ?? 'a video',
      mime_type: 'video/mp4',
      sha256: mediaSha256(Buffer.from(media.id)),
      id: media.id,
    },
  }),
  document: (sender: Sender, media: { id: string; filename: string }) => ({
    ...base(sender, 'document'),
    document: {
      caption: 'the invoice',
      filename: media.filename,
      mime_type: 'application/pdf',
      sha256: mediaSha256(Buffer.from(media.id)),
      id: media.id,
    },
  }),
  sticker: (sender: Sender, media: { id: string }) => ({
    ...base(sender, 'sticker'),
    sticker: {
      mime_type: 'image/webp',
      sha256: mediaSha256(Buffer.from(media.id)),
      id: media.id,
      animated: false,
    },
  }),
  location: (sender: Sender) => ({
    ...base(sender, 'location'),
    location: {
      latitude: 30.0444,
      longitude: 31.2357,
      name: 'Tahrir Pharmacy',
      address: 'Tahrir Square, Cairo',
    },
  }),
  contacts: (sender: Sender) => ({
    ...base(sender, 'contacts'),
    contacts: [
      {
        name: { formatted_name: 'Dr. Hany Aziz', first_name: 'Hany', last_name: 'Aziz' },
        phones: [{ phone: '+20 100 123 4599', wa_id: '201001234599', type: 'CELL' }],
      },
    ],
  }),
  listReply: (
    sender: Sender,
    row: { id: string; title: string; description?: string },
    context?: string,
  ) => ({
    ...base(sender, 'interactive', context ? { context } : {}),
    interactive: {
      type: 'list_reply',
      list_reply: {
        id: row.id,
        title: row.title,
        ...(row.description ? { description: row.description } : {}),
      },
    },
  }),
  buttonReply: (sender: Sender, button: { id: string; title: string }) => ({
    ...base(sender, 'interactive'),
    interactive: { type: 'button_reply', button_reply: { id: button.id, title: button.title } },
  }),
  button: (sender: Sender, button: { payload: string; text: string }, context: string) => ({
    ...base(sender, 'button', { context }),
    button: { payload: button.payload, text: button.text },
  }),
  reaction: (sender: Sender, reactedWamid: string, emoji: string) => ({
    ...base(sender, 'reaction'),
    reaction: { message_id: reactedWamid, emoji },
  }),
  /** Meta, "Webhooks reference: messages": `context.forwarded` / `frequently_forwarded` (> 5 hops). */
  forwarded: (sender: Sender, body: string, frequently = false) => ({
    ...base(sender, 'text'),
    context: frequently ? { frequently_forwarded: true } : { forwarded: true },
    text: { body },
  }),
  /** Meta, "Webhooks reference: messages", contacts object: every documented part of a card. */
  contactCard: (sender: Sender) => ({
    ...base(sender, 'contacts'),
    contacts: [
      {
        addresses: [
          { city: 'Cairo', country: 'Egypt', country_code: 'EG', street: '12 Tahrir St', type: 'WORK' },
        ],
        birthday: '1980-04-12',
        emails: [{ email: 'hany@nileclinic.example', type: 'WORK' }],
        name: { formatted_name: 'Dr. Hany Aziz', first_name: 'Hany', last_name: 'Aziz', prefix: 'Dr.' },
        org: { company: 'Nile Clinic', department: 'Cardiology', title: 'Consultant' },
        phones: [
          { phone: '+20 100 123 4599', wa_id: '201001234599', type: 'CELL' },
          { phone: '+20 2 2345 6789', type: 'WORK' },
        ],
        urls: [{ url: 'https://nileclinic.example', type: 'WORK' }],
      },
    ],
  }),
  /** Meta, "Webhooks reference: messages", location object with `url` (a shared place). */
  locationWithUrl: (sender: Sender) => ({
    ...base(sender, 'location'),
    location: {
      latitude: 30.0561,
      longitude: 31.2394,
      name: 'Zamalek Pharmacy',
      address: '26 July St, Zamalek, Cairo',
      url: 'https://maps.example/zamalek-pharmacy',
    },
  }),
  /** Meta, interactive `nfm_reply`: a WhatsApp Flow's answer, its data in `response_json` (a JSON string). */
  flowReply: (sender: Sender, response: Record<string, unknown>, context?: string) => ({
    ...base(sender, 'interactive', context ? { context } : {}),
    interactive: {
      type: 'nfm_reply',
      nfm_reply: { name: 'flow', body: 'Sent', response_json: JSON.stringify(response) },
    },
  }),
  /** Meta: a reaction removed is a `reaction` message without `emoji`. */
  reactionRemoved: (sender: Sender, reactedWamid: string) => ({
    ...base(sender, 'reaction'),
    reaction: { message_id: reactedWamid },
  }),
  /** Meta, "Edit messages webhook reference": `edit.original_message_id` and the new content. */
  edit: (sender: Sender, originalWamid: string, body: string) => ({
    ...base(sender, 'edit'),
    edit: { original_message_id: originalWamid, message: { type: 'text', text: { body } } },
  }),
  /** Meta, "Revoke messages webhook reference": `revoke.original_message_id`. */
  revoke: (sender: Sender, originalWamid: string) => ({
    ...base(sender, 'revoke'),
    revoke: { original_message_id: originalWamid },
  }),
  unsupported: (sender: Sender) => ({
    ...base(sender, 'unsupported'),
    errors: [
      {
        code: 131051,
        title: 'Message type unknown',
        message: 'Message type unknown',
        error_data: { details: 'Message type is currently not supported.' },
      },
    ],
  }),
};

/** A status as Meta's "statuses" examples give it; `failed` carries the error. */
export function status(
  id: string,
  value: 'sent' | 'delivered' | 'read' | 'failed' | 'played',
  recipient: { waId?: string; userId?: string },
  error?: { code: number; title: string; details: string },
): Record<string, unknown> {
  return {
    id,
    status: value,
    timestamp: String(Math.floor(Date.now() / 1000)),
    ...(recipient.waId ? { recipient_id: recipient.waId } : {}),
    ...(recipient.userId ? { recipient_user_id: recipient.userId } : {}),
    ...(value === 'failed'
      ? {
          errors: [
            {
              code: error?.code ?? 131000,
              title: error?.title ?? 'Something went wrong',
              message: error?.title ?? 'Something went wrong',
              error_data: { details: error?.details ?? 'Message failed to send' },
              href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
            },
          ],
        }
      : {
          conversation: { id: 'CONVERSATION_ID', origin: { type: 'service' } },
          pricing: { billable: false, pricing_model: 'PMP', category: 'service' },
        }),
  };
}

/** Meta's error response body ("Error codes", "Error response contents"). */
export const metaError = (code: number, message: string, details: string) => ({
  error: {
    message: `(#${code}) ${message}`,
    type: 'OAuthException',
    code,
    error_data: { messaging_product: 'whatsapp', details },
    fbtrace_id: 'Az8or2yhqkZfEZ-_4Qn_Bam',
  },
});
