/**
 * The provider-neutral inbound event (SPEC section 6): what every driver turns a provider's
 * webhook into, and what the inbound worker consumes. The schemas double as the validation of the
 * sidecar's webhook body (`POST /webhooks/wppconnect`).
 */
import { z } from 'zod';
import {
  cleanId,
  cleanRaw,
  cleanString,
  lenientText,
  truncateFilename,
  unreadableNote,
} from './inbound-normalise';

export const PROVIDERS = ['wppconnect', 'cloud'] as const;
export type Provider = (typeof PROVIDERS)[number];

export const MESSAGE_TYPES = [
  'text',
  'image',
  'video',
  'audio',
  'voice',
  'document',
  'sticker',
  'location',
  'contact',
  'interactive',
  'reaction',
  'unknown',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Types whose event carries `media` the helpdesk downloads and stores. */
export const MEDIA_TYPES: ReadonlySet<MessageType> = new Set([
  'image',
  'video',
  'audio',
  'voice',
  'document',
  'sticker',
]);

const isoTimestamp = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

// Free text is cleaned (NUL removed, see inbound-normalise.ts) and shortened instead of refused, so
// a long or odd field never costs a customer's message; ids must fit, since shortening changes them.
export const inboundMediaSchema = z.object({
  id: cleanId(512),
  mimeType: lenientText(255).pipe(z.string().min(1)),
  filename: z
    .string()
    .transform((value) => truncateFilename(cleanString(value), 255))
    .nullish(),
  size: z.number().int().nonnegative().nullish(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters')
    .nullish(),
  /** Where the helpdesk fetches the bytes (the sidecar's GET /api/media/:id, or a Cloud API media id URL). */
  url: z
    .string()
    .transform((value) => (value.length > 2048 ? null : cleanString(value)))
    .nullish(),
});
export type InboundMedia = z.infer<typeof inboundMediaSchema>;

export const inboundMessageSchema = z.object({
  provider: z.enum(PROVIDERS),
  /** The sidecar's session name, or the Cloud API phone number id. */
  channel: cleanId(128),
  providerMessageId: cleanId(256),
  timestamp: isoTimestamp,
  from: z.object({
    /** E.164 when known; checked again by the worker with libphonenumber-js. */
    phone: cleanId(32, 0).nullable(),
    lid: cleanId(128, 0).nullable(),
    userId: cleanId(256, 0).nullable().default(null),
    name: lenientText(256).nullish(),
    username: lenientText(256).nullish(),
  }),
  type: z.enum(MESSAGE_TYPES),
  text: lenientText(65536).nullish(),
  caption: lenientText(65536).nullish(),
  media: inboundMediaSchema.nullish(),
  location: z
    .object({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      name: lenientText(1024).nullish(),
      address: lenientText(1024).nullish(),
    })
    .nullish(),
  /** Id of the chosen row or button of an interactive reply. */
  menuChoice: lenientText(256).nullish(),
  /** The quoted provider message id (dropped when too long to be one). */
  replyTo: z
    .string()
    .transform((value) => (value.length > 256 ? null : cleanString(value)))
    .nullish(),
  /** Why the message could not be read in full (stored in the message's `error`, shown to agents). */
  note: lenientText(2048).nullish(),
  /** The provider's original payload, kept for audit: cleaned and capped (inbound-normalise.ts). */
  raw: z.unknown().transform(cleanRaw).optional(),
});
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

/**
 * A message that failed the schema but names its id and sender, as an `unknown` message with a
 * note saying why, so the customer's message is kept rather than lost (issue 11, item 5).
 * @param input what could be read; strings are cleaned and checked again here.
 * @param reason why the message could not be read (becomes the note).
 * @returns the message, or null when even this cannot be built (no id, no sender, bad channel).
 */
export function unreadableMessage(
  input: {
    provider: Provider;
    channel: unknown;
    providerMessageId: unknown;
    /** An ISO 8601 date-time, or anything else for "now". */
    timestamp: unknown;
    from: { phone?: unknown; lid?: unknown; userId?: unknown; name?: unknown; username?: unknown };
    text?: unknown;
    raw: unknown;
  },
  reason: string,
): InboundMessage | null {
  const optional = (value: unknown) => (typeof value === 'string' ? value : null);
  const timestamp = isoTimestamp.safeParse(input.timestamp);
  const candidate = inboundMessageSchema.safeParse({
    provider: input.provider,
    channel: input.channel,
    providerMessageId: input.providerMessageId,
    timestamp: timestamp.success ? timestamp.data : new Date().toISOString(),
    from: {
      phone: optional(input.from.phone),
      lid: optional(input.from.lid),
      userId: optional(input.from.userId),
      name: optional(input.from.name),
      username: optional(input.from.username),
    },
    type: 'unknown',
    text: optional(input.text),
    caption: null,
    media: null,
    location: null,
    menuChoice: null,
    replyTo: null,
    note: unreadableNote(reason),
    raw: input.raw,
  });
  if (!candidate.success) return null;
  const from = candidate.data.from;
  return from.phone || from.lid || from.userId ? candidate.data : null;
}

export const DELIVERY_STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;
export type ProviderDeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const deliveryStatusSchema = z.object({
  provider: z.enum(PROVIDERS).optional(),
  channel: cleanId(128, 0).optional(),
  providerMessageId: cleanId(256),
  status: z.enum(DELIVERY_STATUSES),
  /** Provider error (code and title) when the status is `failed`. */
  error: z
    .union([
      lenientText(2048),
      z.object({
        code: z.union([z.number(), lenientText(256)]).optional(),
        message: lenientText(2048).optional(),
      }),
    ])
    .nullish(),
  timestamp: isoTimestamp,
});
export type DeliveryStatusEvent = z.infer<typeof deliveryStatusSchema>;

/**
 * An event as it travels through the inbound queue. `requestId` is the id of the webhook request
 * that brought it (logged by the worker and passed on to the replies it sends).
 */
export type InboundJob =
  | { kind: 'message'; eventId: string; message: InboundMessage; requestId?: string }
  | { kind: 'status'; eventId: string; provider: Provider; status: DeliveryStatusEvent; requestId?: string };
