/** A ticket's thread entries: messages with their attachments, internal notes and audit events. */
import { z } from 'zod';
import { dateTimeSchema, personSchema } from './common.ts';
import { TICKET_EVENT_TYPES } from './ticket-vocabulary.ts';

export const MESSAGE_DIRECTIONS = ['inbound', 'outbound'] as const;
export const MESSAGE_AUTHORS = ['customer', 'agent', 'bot', 'system'] as const;
/** received: inbound; queued → sent → delivered → read, or failed: outbound. */
export const DELIVERY_STATUSES = ['received', 'queued', 'sent', 'delivered', 'read', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const attachmentSchema = z
  .object({
    id: z.uuid(),
    mimeType: z.string(),
    size: z.number().int().describe('bytes'),
    filename: z.string().nullable(),
    url: z.string().describe('GET it with the session (cookie or bearer token)'),
  })
  .meta({ id: 'Attachment' });
export type Attachment = z.infer<typeof attachmentSchema>;

/**
 * The message a message quotes (issue 12): `messageId` our copy of it when stored (null: a message
 * the helpdesk never stored), `direction` whose it is (null when unknown), its type and text (from
 * our copy, else as the quoting message described it).
 */
export const quotedMessageSchema = z
  .object({
    messageId: z.uuid().nullable().describe('our stored copy of the quoted message, when known'),
    providerMessageId: z.string(),
    direction: z.enum(MESSAGE_DIRECTIONS).nullable(),
    type: z.string().nullable(),
    text: z.string().nullable(),
  })
  .meta({ id: 'QuotedMessage' });
export type QuotedMessage = z.infer<typeof quotedMessageSchema>;

/** An earlier version of an edited message: its text and when it was written (ISO 8601). */
export const messageVersionSchema = z
  .object({ text: z.string().nullable(), at: dateTimeSchema })
  .meta({ id: 'MessageVersion' });

/** A reaction shown on a message. */
export const messageReactionSchema = z
  .object({ emoji: z.string(), by: z.enum(['customer']), at: dateTimeSchema })
  .meta({ id: 'MessageReaction' });

/** A shared contact card: name, organisation, phones (`waId`: its WhatsApp number, digits), the vCard text. */
export const sharedContactSchema = z
  .object({
    name: z.string().nullable(),
    org: z.string().nullable(),
    phones: z.array(
      z.object({ number: z.string(), waId: z.string().nullable(), type: z.string().nullable() }),
    ),
    vcard: z.string(),
  })
  .meta({ id: 'SharedContact' });
export type SharedContact = z.infer<typeof sharedContactSchema>;

/** A shared location; `live`: a live location (its starting point); `url`: a link shared with it. */
export const messageLocationSchema = z
  .object({
    latitude: z.number(),
    longitude: z.number(),
    name: z.string().nullable(),
    address: z.string().nullable(),
    live: z.boolean(),
    url: z.string().nullable(),
  })
  .meta({ id: 'MessageLocation' });
export type MessageLocation = z.infer<typeof messageLocationSchema>;

/**
 * What WhatsApp says about a message beyond its content: forwarded, view once (no download is
 * offered: the media opens once, on the phone), album, media measures (seconds, pixels, pages), the
 * chosen list row, the pressed button, other interactive replies (Cloud API flows: `response` the
 * payload as sent).
 */
export const messageDetailsSchema = z
  .object({
    forwarded: z.boolean(),
    viewOnce: z.boolean(),
    albumId: z.string().nullable(),
    durationSeconds: z.number().nullable(),
    width: z.number().nullable(),
    height: z.number().nullable(),
    pages: z.number().nullable(),
    listReply: z
      .object({ id: z.string().nullable(), title: z.string().nullable(), description: z.string().nullable() })
      .nullable(),
    buttonReply: z.object({ id: z.string().nullable(), text: z.string().nullable() }).nullable(),
    interactive: z
      .object({
        kind: z.string(),
        name: z.string().nullable(),
        body: z.string().nullable(),
        response: z.unknown(),
      })
      .nullable(),
  })
  .meta({ id: 'MessageDetails' });
export type MessageDetails = z.infer<typeof messageDetailsSchema>;

export const messageSchema = z
  .object({
    id: z.uuid(),
    direction: z.enum(MESSAGE_DIRECTIONS),
    author: z.enum(MESSAGE_AUTHORS),
    agent: personSchema.nullable(),
    type: z.string(),
    text: z.string().nullable(),
    caption: z.string().nullable(),
    deliveryStatus: z.enum(DELIVERY_STATUSES),
    error: z.string().nullable(),
    sentAt: dateTimeSchema,
    createdAt: dateTimeSchema,
    attachments: z.array(attachmentSchema),
    quoted: quotedMessageSchema.nullable().describe('the message this one replies to'),
    editedAt: dateTimeSchema.nullable().describe('when the customer last edited it; null: never'),
    edits: z
      .array(messageVersionSchema)
      .describe('earlier versions, oldest first; `text` is the current one'),
    deletedAt: dateTimeSchema
      .nullable()
      .describe('when the customer deleted it for everyone; its text and media are kept'),
    reactions: z.array(messageReactionSchema),
    contacts: z.array(sharedContactSchema).nullable(),
    location: messageLocationSchema.nullable(),
    details: messageDetailsSchema.nullable(),
  })
  .meta({ id: 'Message' });
export type Message = z.infer<typeof messageSchema>;

export const noteSchema = z
  .object({ id: z.uuid(), body: z.string(), agent: personSchema.nullable(), createdAt: dateTimeSchema })
  .meta({ id: 'Note' });
export type Note = z.infer<typeof noteSchema>;

export const ticketEventSchema = z
  .object({
    id: z.string(),
    type: z.enum(TICKET_EVENT_TYPES),
    agent: personSchema.nullable(),
    data: z.unknown().describe('what changed, e.g. { from, to } for status_changed'),
    createdAt: dateTimeSchema,
  })
  .meta({ id: 'TicketEvent' });
export type TicketEvent = z.infer<typeof ticketEventSchema>;

/** `GET /api/attachments/:id` query. */
export const attachmentDownloadQuerySchema = z.object({
  download: z.enum(['0', '1', 'true', 'false']).optional().describe('1: always as a download'),
});
