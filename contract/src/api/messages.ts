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
