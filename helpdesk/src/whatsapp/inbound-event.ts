/**
 * The provider-neutral inbound event (SPEC section 6): what every driver turns a provider's
 * webhook into, and what the inbound worker consumes. The schemas double as the validation of the
 * sidecar's webhook body (`POST /webhooks/wppconnect`).
 */
import { z } from 'zod';

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

export const inboundMediaSchema = z.object({
  id: z.string().min(1).max(512),
  mimeType: z.string().min(1).max(255),
  filename: z.string().max(255).nullish(),
  size: z.number().int().nonnegative().nullish(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters')
    .nullish(),
  /** Where the helpdesk fetches the bytes (the sidecar's GET /api/media/:id, or a Cloud API media id URL). */
  url: z.string().max(2048).nullish(),
});
export type InboundMedia = z.infer<typeof inboundMediaSchema>;

export const inboundMessageSchema = z.object({
  provider: z.enum(PROVIDERS),
  /** The sidecar's session name, or the Cloud API phone number id. */
  channel: z.string().min(1).max(128),
  providerMessageId: z.string().min(1).max(256),
  timestamp: isoTimestamp,
  from: z.object({
    /** E.164 when known; checked again by the worker with libphonenumber-js. */
    phone: z.string().max(32).nullable(),
    lid: z.string().max(128).nullable(),
    userId: z.string().max(256).nullable().default(null),
    name: z.string().max(256).nullish(),
    username: z.string().max(256).nullish(),
  }),
  type: z.enum(MESSAGE_TYPES),
  text: z.string().max(65536).nullish(),
  caption: z.string().max(65536).nullish(),
  media: inboundMediaSchema.nullish(),
  location: z
    .object({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      name: z.string().max(1024).nullish(),
      address: z.string().max(1024).nullish(),
    })
    .nullish(),
  /** Id of the chosen row or button of an interactive reply. */
  menuChoice: z.string().max(256).nullish(),
  /** The quoted provider message id. */
  replyTo: z.string().max(256).nullish(),
  /** The provider's original payload, kept for audit. */
  raw: z.unknown().optional(),
});
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

export const DELIVERY_STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;
export type ProviderDeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const deliveryStatusSchema = z.object({
  provider: z.enum(PROVIDERS).optional(),
  channel: z.string().max(128).optional(),
  providerMessageId: z.string().min(1).max(256),
  status: z.enum(DELIVERY_STATUSES),
  /** Provider error (code and title) when the status is `failed`. */
  error: z
    .union([
      z.string().max(2048),
      z.object({
        code: z.union([z.number(), z.string()]).optional(),
        message: z.string().max(2048).optional(),
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
