/**
 * What the sidecar emits: the same events as the accepting schemas (inbound-message.ts,
 * delivery-status.ts, webhook-event.ts), in the exact form the sidecar builds them: provider
 * `wppconnect`, every field present (null when unknown), ids within FIELD_LIMITS, `raw` an object.
 * The sidecar's event types are inferred from these schemas, and `EmittedIsAccepted` below fails
 * to compile when the sidecar could emit something the helpdesk's schema does not take.
 */
import { z } from 'zod';
import { FIELD_LIMITS, LOCATION_RANGE } from './field-limits';
import { type webhookEventSchema, eventIdSchema } from './webhook-event';
import { CHANNEL_STATES, DELIVERY_STATUSES, MESSAGE_TYPES } from './vocabulary';

const id = (max: number) => z.string().min(1).max(max);

/** A media file the sidecar stored, offered at its `GET /api/media/:id`; `size` bytes, `sha256` lowercase hex. */
export const sidecarInboundMediaSchema = z.object({
  id: id(FIELD_LIMITS.mediaId),
  mimeType: z.string().min(1),
  filename: z.string().nullable(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  url: z.string(),
});
export type SidecarInboundMedia = z.infer<typeof sidecarInboundMediaSchema>;

/** A location with both coordinates (one without is not emitted: `location` null and a `note`). */
export const sidecarLocationSchema = z.object({
  latitude: z.number().min(-LOCATION_RANGE.latitude).max(LOCATION_RANGE.latitude),
  longitude: z.number().min(-LOCATION_RANGE.longitude).max(LOCATION_RANGE.longitude),
  name: z.string().max(FIELD_LIMITS.locationName).nullable(),
  address: z.string().max(FIELD_LIMITS.locationAddress).nullable(),
  /** A live location (the coordinates are where it started). */
  live: z.boolean(),
  /** The link shared with the place, or null. */
  url: z.string().max(FIELD_LIMITS.mediaUrl).nullable(),
});
export type SidecarLocation = z.infer<typeof sidecarLocationSchema>;

/** The quoted message (message-parts.ts `quotedMessageSchema`): `participant` E.164 or `…@lid`, null when ours. */
export const sidecarQuotedSchema = z.object({
  providerMessageId: id(FIELD_LIMITS.providerMessageId),
  participant: z.string().min(1).max(FIELD_LIMITS.userId).nullable(),
  fromMe: z.boolean().nullable(),
  type: z.enum(MESSAGE_TYPES).nullable(),
  text: z.string().min(1).max(FIELD_LIMITS.quotedText).nullable(),
});
export type SidecarQuoted = z.infer<typeof sidecarQuotedSchema>;

/** One shared contact as the sidecar parses its vCard (`waId` digits from `TEL;waid=`). */
export const sidecarContactSchema = z.object({
  name: z.string().min(1).max(FIELD_LIMITS.name).nullable(),
  org: z.string().min(1).max(FIELD_LIMITS.name).nullable(),
  phones: z
    .array(
      z.object({
        number: z.string().max(FIELD_LIMITS.phone * 2),
        waId: z
          .string()
          .regex(/^\d{1,32}$/)
          .nullable(),
        type: z.string().min(1).max(FIELD_LIMITS.name).nullable(),
      }),
    )
    .max(FIELD_LIMITS.contactPhones),
  vcard: z.string().max(FIELD_LIMITS.vcard),
});
export type SidecarContact = z.infer<typeof sidecarContactSchema>;

/** Message details (message-parts.ts `messageDetailsSchema`), every field present. */
export const sidecarDetailsSchema = z.object({
  forwarded: z.boolean(),
  viewOnce: z.boolean(),
  albumId: z.string().min(1).max(FIELD_LIMITS.albumId).nullable(),
  durationSeconds: z.number().nonnegative().nullable(),
  width: z.number().nonnegative().nullable(),
  height: z.number().nonnegative().nullable(),
  pages: z.number().nonnegative().nullable(),
  listReply: z
    .object({
      id: z.string().min(1).max(FIELD_LIMITS.menuChoice).nullable(),
      title: z.string().min(1).max(FIELD_LIMITS.replyText).nullable(),
      description: z.string().min(1).max(FIELD_LIMITS.replyText).nullable(),
    })
    .nullable(),
  buttonReply: z
    .object({
      id: z.string().min(1).max(FIELD_LIMITS.menuChoice).nullable(),
      text: z.string().min(1).max(FIELD_LIMITS.replyText).nullable(),
    })
    .nullable(),
  interactive: z
    .object({
      kind: z.string().min(1).max(FIELD_LIMITS.interactiveKind),
      name: z.string().min(1).max(FIELD_LIMITS.name).nullable(),
      body: z.string().min(1).max(FIELD_LIMITS.replyText).nullable(),
      response: z.unknown(),
    })
    .nullable(),
});
export type SidecarDetails = z.infer<typeof sidecarDetailsSchema>;

/** One inbound customer message as the sidecar normalises it; `timestamp` ISO 8601 UTC. */
export const sidecarInboundMessageSchema = z.object({
  provider: z.literal('wppconnect'),
  channel: id(FIELD_LIMITS.channel),
  providerMessageId: id(FIELD_LIMITS.providerMessageId),
  timestamp: z.iso.datetime(),
  from: z.object({
    phone: z.string().max(FIELD_LIMITS.phone).nullable(),
    lid: z.string().max(FIELD_LIMITS.lid).nullable(),
    userId: z.null(),
    name: z.string().nullable(),
  }),
  type: z.enum(MESSAGE_TYPES),
  text: z.string().nullable(),
  caption: z.string().nullable(),
  media: sidecarInboundMediaSchema.nullable(),
  location: sidecarLocationSchema.nullable(),
  menuChoice: z.string().nullable(),
  replyTo: z.string().nullable(),
  quoted: sidecarQuotedSchema.nullable(),
  contacts: z.array(sidecarContactSchema).max(FIELD_LIMITS.contacts).nullable(),
  details: sidecarDetailsSchema.nullable(),
  /** Why the message could not be read in full (a location without coordinates, …), shown to agents. */
  note: z.string().max(FIELD_LIMITS.note).nullable(),
  raw: z.record(z.string(), z.unknown()),
});
export type SidecarInboundMessage = z.infer<typeof sidecarInboundMessageSchema>;

/** Delivery status of a message the account sent; `error` names the ack (`ack_FAILED`, …) when failed. */
export const sidecarDeliveryStatusSchema = z.object({
  provider: z.literal('wppconnect'),
  channel: id(FIELD_LIMITS.channel),
  providerMessageId: id(FIELD_LIMITS.providerMessageId),
  status: z.enum(DELIVERY_STATUSES),
  error: z.string().nullable(),
  timestamp: z.iso.datetime(),
});
export type SidecarDeliveryStatus = z.infer<typeof sidecarDeliveryStatusSchema>;

/**
 * A session's state change, sent by the sidecar for each session (channel) on every change:
 * `phone` E.164 while connected, else null; `since` ISO 8601 UTC; `detail` the reason or null.
 */
export const sidecarSessionEventSchema = z.object({
  eventId: eventIdSchema,
  type: z.literal('session'),
  channel: id(FIELD_LIMITS.channel),
  state: z.enum(CHANNEL_STATES),
  phone: z.string().min(1).max(FIELD_LIMITS.phone).nullable(),
  since: z.iso.datetime(),
  detail: z.string().max(FIELD_LIMITS.sessionDetail).nullable(),
});
export type SidecarSessionEvent = z.infer<typeof sidecarSessionEventSchema>;

/** The customer edited a message: `text` its new text (or caption), `timestamp` when (ISO 8601 UTC). */
export const sidecarEditSchema = z.object({
  provider: z.literal('wppconnect'),
  channel: id(FIELD_LIMITS.channel),
  providerMessageId: id(FIELD_LIMITS.providerMessageId),
  text: z.string().max(FIELD_LIMITS.text).nullable(),
  timestamp: z.iso.datetime(),
  raw: z.record(z.string(), z.unknown()),
});
export type SidecarEdit = z.infer<typeof sidecarEditSchema>;

/** The customer deleted a message for everyone. */
export const sidecarDeletionSchema = z.object({
  provider: z.literal('wppconnect'),
  channel: id(FIELD_LIMITS.channel),
  providerMessageId: id(FIELD_LIMITS.providerMessageId),
  timestamp: z.iso.datetime(),
  raw: z.record(z.string(), z.unknown()),
});
export type SidecarDeletion = z.infer<typeof sidecarDeletionSchema>;

/** The customer reacted to a message (`emoji` '' = removed); `from` as a message's `from`, without name. */
export const sidecarReactionSchema = z.object({
  provider: z.literal('wppconnect'),
  channel: id(FIELD_LIMITS.channel),
  providerMessageId: id(FIELD_LIMITS.providerMessageId),
  from: z.object({
    phone: z.string().max(FIELD_LIMITS.phone).nullable(),
    lid: z.string().max(FIELD_LIMITS.lid).nullable(),
    userId: z.null(),
  }),
  emoji: z.string().max(FIELD_LIMITS.emoji),
  timestamp: z.iso.datetime(),
  raw: z.record(z.string(), z.unknown()),
});
export type SidecarReaction = z.infer<typeof sidecarReactionSchema>;

/** The webhook body the sidecar POSTs; `eventId` is stable across retries. */
export const sidecarWebhookEventSchema = z.discriminatedUnion('type', [
  z.object({ eventId: eventIdSchema, type: z.literal('message'), message: sidecarInboundMessageSchema }),
  z.object({ eventId: eventIdSchema, type: z.literal('status'), status: sidecarDeliveryStatusSchema }),
  sidecarSessionEventSchema,
  z.object({ eventId: eventIdSchema, type: z.literal('edit'), edit: sidecarEditSchema }),
  z.object({ eventId: eventIdSchema, type: z.literal('deletion'), deletion: sidecarDeletionSchema }),
  z.object({ eventId: eventIdSchema, type: z.literal('reaction'), reaction: sidecarReactionSchema }),
]);
export type SidecarWebhookEvent = z.infer<typeof sidecarWebhookEventSchema>;

/** Compiles only while `Emitted` is a subtype of `Accepted`. */
type Accepts<Accepted, Emitted extends Accepted> = Emitted;
/** Proof, checked by `tsc`, that every event the sidecar may emit is accepted by the helpdesk. */
export type EmittedIsAccepted = Accepts<z.input<typeof webhookEventSchema>, SidecarWebhookEvent>;
