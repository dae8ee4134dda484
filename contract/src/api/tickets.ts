/**
 * Tickets: the inbox entry (also what status changes and transfers answer), the thread, and the
 * queries and bodies of the ticket routes.
 */
import { z } from 'zod';
import { customerSchema } from './customers.ts';
import { dateTimeSchema, listParam, nullableDateTimeSchema, pageOf, personSchema } from './common.ts';
import { messageSchema, MESSAGE_DIRECTIONS, noteSchema, ticketEventSchema } from './messages.ts';
import { TICKET_ACTIONS } from './ticket-actions.ts';
import { TICKET_STATUSES } from './ticket-vocabulary.ts';

/** mine: assigned to the caller; unassigned: the waiting queue; all: every ticket (admins). */
export const TICKET_VIEWS = ['mine', 'unassigned', 'all'] as const;
export type TicketListView = (typeof TICKET_VIEWS)[number];

export const ticketCustomerSchema = customerSchema.pick({ id: true, name: true, phone: true, lid: true });

export const ticketSchema = z
  .object({
    id: z.uuid(),
    number: z.number().int(),
    status: z.enum(TICKET_STATUSES),
    category: z.string().nullable(),
    channel: z.string(),
    language: z.string().nullable(),
    customer: ticketCustomerSchema,
    assignee: personSchema.nullable(),
    openedAt: dateTimeSchema,
    assignedAt: nullableDateTimeSchema,
    firstResponseAt: nullableDateTimeSchema,
    resolvedAt: nullableDateTimeSchema,
    closedAt: nullableDateTimeSchema,
    lastInboundAt: nullableDateTimeSchema,
    updatedAt: dateTimeSchema,
    firstResponseSeconds: z.number().int().nullable(),
    resolutionSeconds: z.number().int().nullable(),
    lastMessage: z
      .object({
        direction: z.enum(MESSAGE_DIRECTIONS),
        author: z.string(),
        type: z.string(),
        preview: z.string().nullable(),
        at: dateTimeSchema,
      })
      .nullable(),
    allowedActions: z
      .array(z.enum(TICKET_ACTIONS))
      .describe('what the requesting agent may do with the ticket now (ticket rules and role)'),
  })
  .meta({ id: 'Ticket' });
export type Ticket = z.infer<typeof ticketSchema>;

export const ticketPageSchema = pageOf(ticketSchema, 'TicketPage');
export type TicketPage = z.infer<typeof ticketPageSchema>;

export const ticketThreadSchema = z
  .object({
    ticket: ticketSchema,
    customer: customerSchema.pick({ id: true, name: true, phone: true, lid: true, tags: true, notes: true }),
    messages: z.array(messageSchema),
    notes: z.array(noteSchema),
    events: z.array(ticketEventSchema),
  })
  .meta({ id: 'TicketThread' });
export type TicketThread = z.infer<typeof ticketThreadSchema>;

/** `GET /api/tickets` query. */
export const ticketListQuerySchema = z.object({
  view: z.enum(TICKET_VIEWS).default('mine').describe('mine, unassigned, or all (admins)'),
  status: listParam(z.enum(TICKET_STATUSES)).describe('comma-separated statuses (default: open,pending)'),
  category: z.string().max(100).optional(),
  q: z.string().max(200).optional().describe('customer name or phone, or ticket number'),
  assigneeId: z.uuid({ message: 'must be a UUID' }).optional().describe('admins: one agent'),
  sort: z.enum(['newest', 'oldest']).default('newest'),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  limit: z.coerce.number().int('must be a whole number').min(1).max(100).default(25),
});
export type TicketListQuery = z.input<typeof ticketListQuerySchema>;

/** `POST /api/tickets/:id/messages` as JSON. */
export const replyBodySchema = z.object({
  text: z.string().trim().min(1, 'is required').max(4096, 'must be at most 4096 characters'),
});
export type ReplyBody = z.input<typeof replyBodySchema>;

/** `POST /api/tickets/:id/messages` as multipart/form-data: the text fields beside the file. */
export const replyFieldsSchema = z.object({
  text: z.string().max(4096, 'must be at most 4096 characters').optional(),
  asVoice: z.enum(['true', 'false']).optional(),
});

/** The multipart reply as documented: one file, an optional caption and the voice-note flag. */
export const replyMultipartSchema = replyFieldsSchema.extend({
  file: z.string().meta({ format: 'binary', description: 'image, video, audio or document' }),
});

/** `POST /api/tickets/:id/notes`. */
export const noteBodySchema = z.object({
  body: z.string().trim().min(1, 'is required').max(10_000, 'must be at most 10000 characters'),
});
export type NoteBody = z.input<typeof noteBodySchema>;

/** `POST /api/tickets/:id/status`. */
export const statusBodySchema = z.object({ status: z.enum(TICKET_STATUSES) });
export type StatusBody = z.input<typeof statusBodySchema>;

/** `POST /api/tickets/:id/transfer`. */
export const transferBodySchema = z.object({
  agentId: z
    .uuid({ message: 'must be a UUID or null' })
    .nullable()
    .describe('null: back to the waiting queue'),
});
export type TransferBody = z.input<typeof transferBodySchema>;
