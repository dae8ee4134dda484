/**
 * Turns a WhatsApp Cloud API `messages` webhook into provider-neutral inbound jobs (SPEC section 6).
 * Pure: no I/O. Meta batches many entries, changes, messages and statuses into one POST (Meta,
 * "Webhooks reference: messages"); every one of them is read, and one that cannot be read is
 * reported in `rejected` with its path and reason while the rest go on.
 *
 * Mapping of Meta's message `type` to the neutral type: text → text; image, video, document,
 * sticker → the same with `media`; audio → `voice` when `audio.voice` is true (a voice note), else
 * `audio`; location → location (name, address, `url`; Meta sends no live locations); contacts →
 * contact with the parsed cards in `contacts` (name, org, phones with their wa_id) and a vCard built
 * from them; interactive `list_reply` / `button_reply` → interactive with `menuChoice` = the row or
 * button id, `text` its title and `details.listReply` / `details.buttonReply`; `nfm_reply` (a
 * WhatsApp Flow's answer) → interactive with `details.interactive` = { kind, name, body, response:
 * the parsed `response_json` }; button (a template quick reply) → interactive with the payload as
 * `menuChoice` and `details.buttonReply`; anything else (unsupported, system, order,
 * request_welcome, …) → unknown, kept with its raw payload. `context.id` (a reply) → `replyTo` and
 * `quoted` (fromMe when `context.from` is our display number); `context.forwarded` /
 * `frequently_forwarded` → `details.forwarded`.
 *
 * Changes of earlier messages become their own jobs, not messages: `reaction` → a reaction event
 * (`emoji` '' or absent = removed; Meta, "Webhooks reference: messages", reaction object); `edit`
 * and `revoke` (Meta, "Edit / Revoke messages webhook reference", sent for Coexistence numbers) →
 * edit and deletion events naming `original_message_id`.
 *
 * The sender: `from` is the wa_id (a phone number in international form without "+"), absent for a
 * user who adopted a username; `from_user_id` and `contacts[].user_id` are the business-scoped user id
 * (Meta, "Business-scoped user IDs"); `contacts[].profile.name` and `.username` the display names.
 */
import type { z } from 'zod';
import { validationError } from '../../errors';
import type { ParsedWebhook } from '../driver';
import {
  inboundMessageSchema,
  unreadableMessage,
  type DeliveryStatusEvent,
  type InboundJob,
  type InboundMessage,
  type MessageChangeJob,
  type MessageType,
} from '../inbound-event';
import { cleanString, truncate } from '@whatsapp-helpdesk/contract/normalise';
import { cleanRaw, describeIssues, isRecord } from '../inbound-normalise';
import { describeGraphError } from './graph-errors';
import {
  baseMessageSchema,
  changeSchema,
  contactSchema,
  contentSchemas,
  editSchema,
  entrySchema,
  envelopeSchema,
  messagesValueSchema,
  revokeSchema,
  statusSchema,
  webhookErrorSchema,
  type CloudContact,
  type CloudMedia,
} from './webhook-payload';

export interface CloudWebhookParseOptions {
  /**
   * The channel's phone number id, or the ids of the channels whose app secret signed the webhook:
   * changes addressed to another phone number id are rejected.
   */
  phoneNumberId: string | ReadonlySet<string>;
  /**
   * `<CLOUD_API_BASE_URL>/<CLOUD_API_VERSION>`, e.g. https://graph.facebook.com/v23.0; an inbound
   * media's `url` is `<graphUrl>/<media id>` (the first step of the media download).
   */
  graphUrl: string;
}

type Rejected = ParsedWebhook['rejected'];

/**
 * Reads a Cloud API webhook body (already JSON-parsed and signature-checked).
 * @returns one job per message and per status, and one rejection (path and reason) per item that
 *   could not be read, per change of another field than `messages`, per change for another phone
 *   number id, and per error Meta reported in `value.errors`.
 * @throws AppError validation_failed (400) when the body is not a `whatsapp_business_account`
 *   notification with an `entry` array.
 */
export function parseCloudWebhook(body: unknown, options: CloudWebhookParseOptions): ParsedWebhook {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) throw validationError(envelope.error);
  const jobs: InboundJob[] = [];
  const rejected: Rejected = [];
  envelope.data.entry.forEach((rawEntry, entryIndex) => {
    const entryPath = `entry[${entryIndex}]`;
    const entry = entrySchema.safeParse(rawEntry);
    if (!entry.success) return rejected.push({ reason: `${entryPath}: ${describeIssues(entry.error)}` });
    entry.data.changes.forEach((rawChange, changeIndex) => {
      readChange(rawChange, `${entryPath}.changes[${changeIndex}]`, options, jobs, rejected);
    });
  });
  return { jobs, rejected };
}

function readChange(
  rawChange: unknown,
  path: string,
  options: CloudWebhookParseOptions,
  jobs: InboundJob[],
  rejected: Rejected,
): void {
  const change = changeSchema.safeParse(rawChange);
  if (!change.success) {
    rejected.push({ reason: `${path}: ${describeIssues(change.error)}` });
    return;
  }
  if (change.data.field !== 'messages') {
    rejected.push({ reason: `${path}: field "${change.data.field}" is not handled (only "messages")` });
    return;
  }
  const value = messagesValueSchema.safeParse(change.data.value);
  if (!value.success) {
    rejected.push({ reason: `${path}.value: ${describeIssues(value.error)}` });
    return;
  }
  const channel = value.data.metadata.phone_number_id;
  const accepted =
    typeof options.phoneNumberId === 'string'
      ? channel === options.phoneNumberId
      : options.phoneNumberId.has(channel);
  if (!accepted) {
    rejected.push({
      reason: `${path}: phone number id ${channel} is not this helpdesk's (no enabled channel of the app whose secret signed it)`,
    });
    return;
  }
  const contacts: CloudContact[] = [];
  for (const [index, raw] of (value.data.contacts ?? []).entries()) {
    const contact = contactSchema.safeParse(raw);
    if (contact.success) contacts.push(contact.data);
    else rejected.push({ reason: `${path}.value.contacts[${index}]: ${describeIssues(contact.error)}` });
  }
  const displayPhoneNumber = value.data.metadata.display_phone_number ?? null;
  for (const [index, raw] of (value.data.messages ?? []).entries()) {
    const itemPath = `${path}.value.messages[${index}]`;
    const changeJob = readMessageChange(raw, channel, contacts);
    if (changeJob) {
      if ('reason' in changeJob) rejected.push({ reason: `${itemPath}: ${changeJob.reason}` });
      else jobs.push(changeJob);
      continue;
    }
    const result = readMessage(raw, channel, contacts, { ...options, displayPhoneNumber });
    if ('reason' in result) rejected.push({ reason: `${itemPath}: ${result.reason}` });
    else
      jobs.push({
        kind: 'message',
        eventId: `cloud:${channel}:${result.providerMessageId}`,
        message: result,
      });
  }
  for (const [index, raw] of (value.data.statuses ?? []).entries()) {
    const result = readStatus(raw, channel);
    if ('reason' in result) rejected.push({ reason: `${path}.value.statuses[${index}]: ${result.reason}` });
    else
      jobs.push({
        kind: 'status',
        eventId: `cloud:${channel}:${result.providerMessageId}:status:${result.status}`,
        provider: 'cloud',
        status: result,
      });
  }
  for (const [index, raw] of (value.data.errors ?? []).entries()) {
    const error = webhookErrorSchema.safeParse(raw);
    rejected.push({
      reason: `${path}.value.errors[${index}]: Meta reported ${
        error.success ? describeGraphError(webhookError(error.data)) : 'an unreadable error'
      }`,
    });
  }
}

/**
 * Reads one inbound message.
 * @returns the neutral message; an `unknown` message with a note when it cannot be read in full
 *   but its id and sender can (a customer's message is kept, not dropped); or the reason it cannot
 *   be read at all (no id, or no sender).
 */
export function readMessage(
  raw: unknown,
  channel: string,
  contacts: readonly CloudContact[],
  options: Pick<CloudWebhookParseOptions, 'graphUrl'> & {
    /** Our number as Meta writes it (`metadata.display_phone_number`): a quote by it is ours. */
    displayPhoneNumber?: string | null;
  },
): InboundMessage | { reason: string } {
  const record = isRecord(raw) ? raw : {};
  const found = senderOf(record, contacts);
  if ('reason' in found) return found;
  const { sender, contact } = found;
  const kept = { message: raw, contact: contact ?? null };

  /** What could not be read: kept as `unknown` with the reason when the id can be read. */
  const unreadable = (reason: string): InboundMessage | { reason: string } => {
    const seconds = typeof record.timestamp === 'string' ? Number(record.timestamp) : record.timestamp;
    const timestamp =
      typeof seconds === 'number' && Number.isSafeInteger(seconds) && seconds >= 0
        ? new Date(seconds * 1000).toISOString()
        : null;
    const text = isRecord(record.text) ? record.text.body : undefined;
    return (
      unreadableMessage(
        {
          provider: 'cloud',
          channel,
          providerMessageId: record.id,
          timestamp: timestamp ?? undefined,
          from: sender,
          text,
          raw: kept,
        },
        reason,
      ) ?? { reason }
    );
  };

  const base = baseMessageSchema.safeParse(raw);
  if (!base.success) return unreadable(describeIssues(base.error));
  const message = base.data;
  const content = readContent(raw, message.type, options);
  if ('reason' in content) return unreadable(content.reason);
  const context = message.context;
  const forwarded = Boolean(context?.forwarded || context?.frequently_forwarded);
  const { details: contentDetails, ...rest } = content;
  const details = forwarded || contentDetails ? { ...contentDetails, forwarded } : null;
  const quotedByUs =
    context?.from !== undefined && options.displayPhoneNumber
      ? digitsOf(context.from) === digitsOf(options.displayPhoneNumber)
      : null;
  const event = inboundMessageSchema.safeParse({
    provider: 'cloud',
    channel,
    providerMessageId: message.id,
    timestamp: new Date(message.timestamp * 1000).toISOString(),
    from: sender,
    text: null,
    caption: null,
    media: null,
    location: null,
    menuChoice: null,
    replyTo: context?.id ?? null,
    quoted: context?.id
      ? {
          providerMessageId: context.id,
          participant: quotedByUs === false && context.from ? `+${digitsOf(context.from)}` : null,
          fromMe: quotedByUs,
          type: null,
          text: null,
        }
      : null,
    contacts: null,
    details,
    ...rest,
    raw: kept,
  });
  if (!event.success) return unreadable(describeIssues(event.error));
  return event.data;
}

type Content = Partial<Omit<InboundMessage, 'type' | 'details'>> & {
  type: MessageType;
  /** What the content adds to `details` (list, button and interactive replies). */
  details?: Record<string, unknown>;
};

/** The digits of a phone number as Meta writes it ("15550783881", "+1 555-078-3881"). */
function digitsOf(value: string): string {
  return value.replace(/\D/g, '');
}

/**
 * The sender of a message: `from` (the wa_id) or `from_user_id`, with the matching contact of
 * `value.contacts` (or the only one).
 * @returns the neutral sender and its contact, or the reason there is none.
 */
function senderOf(
  record: Record<string, unknown>,
  contacts: readonly CloudContact[],
):
  | {
      sender: InboundMessage['from'];
      contact: CloudContact | undefined;
    }
  | { reason: string } {
  const from = typeof record.from === 'string' ? record.from : undefined;
  const fromUserId = typeof record.from_user_id === 'string' ? record.from_user_id : undefined;
  const contact =
    contacts.find(
      (candidate) =>
        (from !== undefined && candidate.wa_id === from) ||
        (fromUserId !== undefined && candidate.user_id === fromUserId),
    ) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const waId = from ?? contact?.wa_id ?? null;
  if (waId !== null && !/^\d{6,15}$/.test(waId)) {
    return { reason: `from: "${waId}" is not a wa_id (digits of an international phone number)` };
  }
  const userId = fromUserId ?? contact?.user_id ?? null;
  if (waId === null && userId === null) {
    return { reason: 'the sender has neither from (wa_id) nor a business-scoped user id' };
  }
  return {
    sender: {
      phone: waId === null ? null : `+${waId}`,
      lid: null,
      userId,
      name: contact?.profile?.name ?? null,
      username: contact?.profile?.username ?? null,
    },
    contact,
  };
}

/**
 * A message that changes an earlier one: `reaction`, `edit` or `revoke` (see the module comment).
 * @returns its job; the reason it cannot be read; or null for any other message type.
 */
export function readMessageChange(
  raw: unknown,
  channel: string,
  contacts: readonly CloudContact[],
): MessageChangeJob | { reason: string } | null {
  const record = isRecord(raw) ? raw : {};
  const type = record.type;
  if (type !== 'reaction' && type !== 'edit' && type !== 'revoke') return null;
  const base = baseMessageSchema.safeParse(raw);
  if (!base.success) return { reason: describeIssues(base.error) };
  const message = base.data;
  const timestamp = new Date(message.timestamp * 1000).toISOString();
  const eventId = `cloud:${channel}:${type}:${message.id}`;
  const common = { provider: 'cloud' as const, channel, timestamp, raw: cleanRaw(raw) };
  if (type === 'reaction') {
    const found = senderOf(record, contacts);
    if ('reason' in found) return found;
    const parsed = contentSchemas.reaction.safeParse(raw);
    if (!parsed.success) return { reason: `type reaction: ${describeIssues(parsed.error)}` };
    const reaction = parsed.data.reaction;
    const { phone, lid, userId } = found.sender;
    return {
      kind: 'reaction',
      eventId,
      provider: 'cloud',
      reaction: {
        ...common,
        providerMessageId: reaction.message_id,
        from: { phone, lid, userId },
        // An empty or absent emoji: the customer removed the reaction.
        emoji: reaction.emoji ?? '',
      },
    };
  }
  if (type === 'edit') {
    const parsed = editSchema.safeParse(raw);
    if (!parsed.success) return { reason: `type edit: ${describeIssues(parsed.error)}` };
    const edit = parsed.data.edit;
    const content = edit.message;
    const media = content?.type && isRecord(content[content.type]) ? content[content.type] : null;
    const text =
      content?.text?.body ?? (isRecord(media) && typeof media.caption === 'string' ? media.caption : null);
    return {
      kind: 'edit',
      eventId,
      provider: 'cloud',
      edit: { ...common, providerMessageId: edit.original_message_id, text },
    };
  }
  const parsed = revokeSchema.safeParse(raw);
  if (!parsed.success) return { reason: `type revoke: ${describeIssues(parsed.error)}` };
  return {
    kind: 'deletion',
    eventId,
    provider: 'cloud',
    deletion: { ...common, providerMessageId: parsed.data.revoke.original_message_id },
  };
}

function readContent(
  raw: unknown,
  type: string,
  options: Pick<CloudWebhookParseOptions, 'graphUrl'>,
): Content | { reason: string } {
  if (!Object.hasOwn(contentSchemas, type)) return { type: 'unknown' };
  const schema = contentSchemas[type as keyof typeof contentSchemas];
  const parsed = (schema as z.ZodType).safeParse(raw);
  if (!parsed.success) return { reason: `type ${type}: ${describeIssues(parsed.error)}` };
  const data = parsed.data as Record<string, unknown>;
  switch (type) {
    case 'text':
      return { type: 'text', text: (data.text as { body: string }).body };
    case 'image':
    case 'video':
    case 'document':
    case 'sticker':
      return mediaContent(type, data[type] as CloudMedia, options);
    case 'audio': {
      const audio = data.audio as CloudMedia;
      return mediaContent(audio.voice ? 'voice' : 'audio', audio, options);
    }
    case 'location': {
      const location = (data as z.infer<typeof contentSchemas.location>).location;
      return {
        type: 'location',
        location: {
          latitude: location.latitude,
          longitude: location.longitude,
          name: location.name ?? null,
          address: location.address ?? null,
          live: false,
          url: location.url ?? null,
        },
      };
    }
    case 'contacts': {
      const cards = (data as z.infer<typeof contentSchemas.contacts>).contacts;
      return { type: 'contact', text: describeContactCards(cards), contacts: cards.map(sharedContact) };
    }
    case 'interactive': {
      const interactive = (data as z.infer<typeof contentSchemas.interactive>).interactive;
      if (interactive.list_reply) {
        const row = interactive.list_reply;
        return {
          type: 'interactive',
          menuChoice: row.id,
          text: row.title,
          details: { listReply: { id: row.id, title: row.title, description: row.description ?? null } },
        };
      }
      if (interactive.button_reply) {
        const button = interactive.button_reply;
        return {
          type: 'interactive',
          menuChoice: button.id,
          text: button.title,
          details: { buttonReply: { id: button.id, text: button.title } },
        };
      }
      const flow = interactive.nfm_reply;
      return {
        type: 'interactive',
        text: flow?.body ?? null,
        details: {
          interactive: {
            kind: interactive.type,
            name: flow?.name ?? null,
            body: flow?.body ?? null,
            response: parseJson(flow?.response_json),
          },
        },
      };
    }
    case 'button': {
      const button = (data as z.infer<typeof contentSchemas.button>).button;
      return {
        type: 'interactive',
        menuChoice: button.payload ?? null,
        text: button.text,
        details: { buttonReply: { id: button.payload ?? null, text: button.text } },
      };
    }
    default: {
      // `system` (e.g. the customer changed number): unknown, with Meta's sentence as the text.
      const system = (data as z.infer<typeof contentSchemas.system>).system;
      return { type: 'unknown', text: system?.body ?? null };
    }
  }
}

function mediaContent(
  type: 'image' | 'video' | 'document' | 'sticker' | 'audio' | 'voice',
  media: CloudMedia,
  options: Pick<CloudWebhookParseOptions, 'graphUrl'>,
): Content {
  return {
    type,
    caption: media.caption ?? null,
    media: {
      id: media.id,
      mimeType: media.mime_type ?? 'application/octet-stream',
      filename: media.filename ?? null,
      size: null,
      sha256: sha256ToHex(media.sha256),
      url: `${options.graphUrl}/${encodeURIComponent(media.id)}`,
    },
  };
}

/** Reads one delivery status; returns the neutral status or the reason it cannot be read. */
export function readStatus(raw: unknown, channel: string): DeliveryStatusEvent | { reason: string } {
  const parsed = statusSchema.safeParse(raw);
  if (!parsed.success) return { reason: describeIssues(parsed.error) };
  const status = parsed.data;
  // "played": a voice note was played, which implies it was read (Meta, "Audio messages").
  const neutral = status.status === 'played' ? 'read' : status.status;
  if (neutral !== 'sent' && neutral !== 'delivered' && neutral !== 'read' && neutral !== 'failed') {
    return { reason: `status "${status.status}" of ${status.id} is not tracked` };
  }
  const error = status.errors?.[0];
  return {
    provider: 'cloud',
    channel,
    providerMessageId: status.id,
    status: neutral,
    // One sentence that names the code and, for the known ones, what it means (e.g. 131047: outside
    // the 24-hour customer-service window); it becomes the message's `error` as it is.
    error:
      neutral === 'failed'
        ? error
          ? truncate(cleanString(describeGraphError(webhookError(error))), 2048)
          : 'failed (Meta gave no error)'
        : null,
    timestamp: new Date(status.timestamp * 1000).toISOString(),
  };
}

function webhookError(error: z.infer<typeof webhookErrorSchema>) {
  return { code: error.code, title: error.title ?? error.message, details: error.error_data?.details };
}

/**
 * Meta's media `sha256` as lower-case hex: webhooks give it in base64 (32 bytes) in some payloads and
 * as 64 hex characters in others. @returns null when it is neither.
 */
export function sha256ToHex(value: string | undefined): string | null {
  if (!value) return null;
  if (/^[0-9a-f]{64}$/i.test(value)) return value.toLowerCase();
  if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(value)) {
    const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 32) return bytes.toString('hex');
  }
  return null;
}

/** A Flow's `response_json` parsed; the string itself when it is not JSON; null when absent. */
function parseJson(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

type CloudContactCard = z.infer<typeof contentSchemas.contacts>['contacts'][number];

/**
 * A shared contact card in the neutral form: name (formatted, else first and last), organisation,
 * phones with their wa_id, and a vCard 3.0 written from these fields (Meta sends the fields, not
 * the vCard; the original card stays in `raw`).
 */
function sharedContact(card: CloudContactCard): NonNullable<InboundMessage['contacts']>[number] {
  const name =
    card.name?.formatted_name ??
    ([card.name?.first_name, card.name?.last_name].filter(Boolean).join(' ') || null);
  const org = card.org?.company ?? null;
  const phones = (card.phones ?? []).flatMap((phone) => {
    const number = phone.phone ?? (phone.wa_id ? `+${phone.wa_id}` : null);
    return number ? [{ number, waId: phone.wa_id ?? null, type: phone.type ?? null }] : [];
  });
  const escape = (value: string) => value.replace(/[\\;,]/g, (char) => `\\${char}`).replace(/\n/g, '\\n');
  const lines = [
    'BEGIN:VCARD',
    'VERSION:3.0',
    ...(name ? [`FN:${escape(name)}`] : []),
    ...(org ? [`ORG:${escape(org)}`] : []),
    ...phones.map(
      (phone) =>
        `TEL;${phone.type ? `type=${escape(phone.type)};` : ''}${phone.waId ? `waid=${phone.waId}:` : ':'}${phone.number}`,
    ),
    'END:VCARD',
  ];
  return { name, org, phones, vcard: lines.join('\n') };
}

/** "Name: +phone, +phone" per shared contact card, one per line. */
function describeContactCards(cards: readonly CloudContactCard[]): string {
  return cards
    .map((card) => {
      const phones = (card.phones ?? []).map(
        (phone) => phone.phone ?? (phone.wa_id ? `+${phone.wa_id}` : ''),
      );
      const name = card.name?.formatted_name ?? 'Contact';
      const numbers = phones.filter(Boolean).join(', ');
      return numbers ? `${name}: ${numbers}` : name;
    })
    .join('\n');
}
