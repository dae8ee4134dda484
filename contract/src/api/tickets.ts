/**
 * Tickets: the inbox entry (also what status changes and transfers answer), the thread, and the
 * queries and bodies of the ticket routes.
 */
import { z } from 'zod';
import { customerSchema } from './customers.ts';
import { labelSchema } from './labels.ts';
import { dateTimeSchema, listParam, nullableDateTimeSchema, pageOf, personSchema } from './common.ts';
import {
  DELIVERY_STATUSES,
  messageSchema,
  MESSAGE_DIRECTIONS,
  noteSchema,
  ticketEventSchema,
} from './messages.ts';
import { ticketSlaSchema } from './sla-policies.ts';
import { SNOOZE_MAX_DAYS, TICKET_ACTIONS } from './ticket-actions.ts';
import { templateSendSchema } from './templates.ts';
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
    teamId: z
      .uuid()
      .nullable()
      .describe('the team the ticket was transferred to (only its members may take it); null: none'),
    openedAt: dateTimeSchema,
    assignedAt: nullableDateTimeSchema,
    firstResponseAt: nullableDateTimeSchema,
    resolvedAt: nullableDateTimeSchema,
    closedAt: nullableDateTimeSchema,
    snoozedUntil: nullableDateTimeSchema.describe(
      'pending until this time, then back to open by itself (null: not snoozed)',
    ),
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
        deliveryStatus: z
          .enum(DELIVERY_STATUSES)
          .nullable()
          .describe('outbound: its delivery status; inbound: null'),
      })
      .nullable(),
    unreadCount: z
      .number()
      .int()
      .describe(
        "customer messages newer than the requesting agent's last read of the ticket (all when never read)",
      ),
    waitingSince: nullableDateTimeSchema.describe(
      'when the earliest customer message not yet followed by an agent reply was sent (bot and system ' +
        'messages, and agent replies that failed to send, are no answer); null: answered',
    ),
    allowedActions: z
      .array(z.enum(TICKET_ACTIONS))
      .describe('what the requesting agent may do with the ticket now (ticket rules and role)'),
    labels: z.array(labelSchema).describe("the ticket's labels, by name"),
    sla: ticketSlaSchema.describe(
      'the next response-time target: first_response until the first human reply, then resolution; ' +
        'at_risk from 80 % of its time; null: no policy applies, or resolved or closed',
    ),
    csat: z
      .object({
        score: z.number().int().min(1).max(5).describe('1 (poor) to 5 (excellent)'),
        comment: z.string().nullable().describe("the customer's words after the rating"),
        answeredAt: dateTimeSchema,
      })
      .nullable()
      .describe("the customer's satisfaction rating after resolution (CSAT); null: not rated"),
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

/** activity: newest customer message first, tickets without one last; newest/oldest: by opening time. */
export const TICKET_SORTS = ['activity', 'newest', 'oldest'] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];

/** `GET /api/tickets` query. */
export const ticketListQuerySchema = z.object({
  view: z.enum(TICKET_VIEWS).default('mine').describe('mine, unassigned, or all (admins)'),
  status: listParam(z.enum(TICKET_STATUSES)).describe('comma-separated statuses (default: open,pending)'),
  category: z.string().max(100).optional(),
  label: z.uuid({ message: 'must be a label id (UUID)' }).optional().describe('only tickets with this label'),
  channel: z
    .string()
    .trim()
    .min(1, 'must be a channel key')
    .max(200)
    .optional()
    .describe("only this channel's tickets: a channel's key from GET /api/channels"),
  q: z.string().max(200).optional().describe('customer name or phone, or ticket number'),
  assigneeId: z.uuid({ message: 'must be a UUID' }).optional().describe('admins: one agent'),
  sort: z
    .enum(TICKET_SORTS)
    .default('activity')
    .describe('activity: newest customer message first (none: last); newest/oldest: by opening time'),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  limit: z.coerce.number().int('must be a whole number').min(1).max(100).default(25),
});
export type TicketListQuery = z.input<typeof ticketListQuerySchema>;

/**
 * `GET /api/tickets/counts`: the caller's inbox badges. mine: the caller's open and pending tickets;
 * unassigned: the waiting queue (what the unassigned view lists); unreadTickets / unreadMessages:
 * among the caller's open and pending tickets, those with unread customer messages and how many.
 */
export const ticketCountsSchema = z
  .object({
    mine: z.number().int(),
    unassigned: z.number().int(),
    unreadTickets: z.number().int(),
    unreadMessages: z.number().int(),
  })
  .meta({ id: 'TicketCounts' });
export type TicketCounts = z.infer<typeof ticketCountsSchema>;

/** `GET /api/tickets/counts` query: `channel` counts only that channel's tickets (a key from GET /api/channels). */
export const ticketCountsQuerySchema = z.object({
  channel: z
    .string()
    .trim()
    .min(1, 'must be a channel key')
    .max(200)
    .optional()
    .describe("only this channel's tickets: a channel's key from GET /api/channels"),
});
export type TicketCountsQuery = z.input<typeof ticketCountsQuerySchema>;

/** The message a reply quotes: one of the ticket's messages (its id), sent to WhatsApp as a quote. */
const replyToSchema = z
  .uuid({ message: 'must be a message id (UUID)' })
  .optional()
  .describe('quote this message of the ticket (WhatsApp shows the reply under it)');

/**
 * `POST /api/tickets/:id/messages` as JSON: `text`, or `template` (issue 17: a WhatsApp message
 * template, the only message the Cloud API allows outside the 24-hour window; see templates.ts).
 */
export const replyBodySchema = z
  .object({
    text: z.string().trim().min(1, 'is required').max(4096, 'must be at most 4096 characters').optional(),
    template: templateSendSchema
      .optional()
      .describe('send this approved template instead of text (its variables filled in order)'),
    replyTo: replyToSchema,
  })
  .superRefine((body, context) => {
    if (body.text === undefined && body.template === undefined)
      context.addIssue({ code: 'custom', path: ['text'], message: 'is required' });
    if (body.text !== undefined && body.template !== undefined)
      context.addIssue({ code: 'custom', path: ['template'], message: 'send either text or a template' });
  });
export type ReplyBody = z.input<typeof replyBodySchema>;

/** `POST /api/tickets/:id/messages` as multipart/form-data: the text fields beside the file. */
export const replyFieldsSchema = z.object({
  text: z.string().max(4096, 'must be at most 4096 characters').optional(),
  asVoice: z.enum(['true', 'false']).optional(),
  replyTo: replyToSchema,
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

/**
 * `POST /api/tickets/:id/status`. `snoozeUntil` (only with `status: "pending"`): a future time, at
 * most SNOOZE_MAX_DAYS ahead, when the ticket returns to open by itself; the server checks the
 * time against its clock and answers 400 naming `snoozeUntil`.
 */
export const statusBodySchema = z.object({
  status: z.enum(TICKET_STATUSES),
  snoozeUntil: dateTimeSchema
    .optional()
    .describe(`with status "pending": back to open at this time (future, at most ${SNOOZE_MAX_DAYS} days)`),
});
export type StatusBody = z.input<typeof statusBodySchema>;

/**
 * `POST /api/tickets/:id/transfer`: either `agentId` (an agent, or null: back to the waiting
 * queue) or `teamId` (a team from GET /api/teams: the ticket waits for that team's members).
 */
export const transferBodySchema = z
  .object({
    agentId: z
      .uuid({ message: 'must be a UUID or null' })
      .nullable()
      .optional()
      .describe('null: back to the waiting queue'),
    teamId: z
      .uuid({ message: 'must be a team id (UUID)' })
      .optional()
      .describe("a team: the ticket is unassigned and only that team's members may take it"),
  })
  .refine((body) => (body.agentId !== undefined) !== (body.teamId !== undefined), {
    message: 'agentId or teamId: give exactly one',
  });
export type TransferBody = z.input<typeof transferBodySchema>;

/** One choice of `GET /api/ticket-categories`: the bot menu's category id and its words. */
export const ticketCategorySchema = z
  .object({ id: z.string(), ar: z.string(), en: z.string() })
  .meta({ id: 'TicketCategory' });
export type TicketCategory = z.infer<typeof ticketCategorySchema>;

/** `GET /api/ticket-categories`: the categories a ticket may have, in the bot menu's order. */
export const ticketCategoryListSchema = z
  .object({ items: z.array(ticketCategorySchema) })
  .meta({ id: 'TicketCategoryList' });
export type TicketCategoryList = z.infer<typeof ticketCategoryListSchema>;

/** `PUT /api/tickets/:id/category`: a category id from `GET /api/ticket-categories`, or null for none. */
export const ticketCategoryBodySchema = z.object({
  category: z
    .string({ message: 'must be a category id or null' })
    .trim()
    .min(1, 'must be a category id or null')
    .max(100, 'must be at most 100 characters')
    .nullable(),
});
export type TicketCategoryBody = z.input<typeof ticketCategoryBodySchema>;
