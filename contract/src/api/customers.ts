/** Customers: the directory entry, the history with tickets, and the search and edit requests. */
import { z } from 'zod';
import { dateTimeSchema, nullableDateTimeSchema, pageOf, personSchema } from './common.ts';
import { MESSAGE_DIRECTIONS } from './messages.ts';
import { optedOutAtSchema } from './scheduled-messages.ts';
import { TICKET_STATUSES } from './ticket-vocabulary.ts';

export const customerSchema = z
  .object({
    id: z.uuid(),
    name: z.string().nullable(),
    phone: z.string().nullable().describe('E.164; null for a customer known only by lid'),
    lid: z.string().nullable(),
    tags: z.array(z.string()),
    notes: z.string().nullable(),
    lastInboundAt: nullableDateTimeSchema,
    optedOutAt: optedOutAtSchema,
    createdAt: dateTimeSchema,
    openTickets: z.number().int().describe('open or pending tickets'),
  })
  .meta({ id: 'Customer' });
export type Customer = z.infer<typeof customerSchema>;

export const customerPageSchema = pageOf(customerSchema, 'CustomerPage');
export type CustomerPage = z.infer<typeof customerPageSchema>;

export const customerHistorySchema = customerSchema
  .extend({
    tickets: z
      .array(
        z.object({
          id: z.uuid(),
          number: z.number().int(),
          status: z.enum(TICKET_STATUSES),
          category: z.string().nullable(),
          channel: z.string(),
          assignee: personSchema.nullable(),
          openedAt: dateTimeSchema,
          resolvedAt: nullableDateTimeSchema,
          closedAt: nullableDateTimeSchema,
        }),
      )
      .describe('every ticket, newest first'),
  })
  .meta({ id: 'CustomerHistory' });
export type CustomerHistory = z.infer<typeof customerHistorySchema>;

/** `GET /api/customers` query. */
export const customerSearchQuerySchema = z.object({
  q: z.string().max(200).optional().describe('name, phone digits or a tag'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int('must be a whole number').min(1).max(100).default(25),
});

/** `PATCH /api/customers/:id`: fields left out stay; null clears name or notes; tags replace the list. */
export const customerChangesBodySchema = z
  .object({
    name: z.string().max(200, 'must be at most 200 characters').nullable().optional(),
    tags: z
      .array(z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters'))
      .max(30, 'at most 30 tags')
      .optional(),
    notes: z.string().max(10_000, 'must be at most 10000 characters').nullable().optional(),
  })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), {
    message: 'name, tags or notes: give at least one',
  });
export type CustomerChangesBody = z.input<typeof customerChangesBodySchema>;

/** One file of `GET /api/customers/:id/media`: an attachment of a message in one of the customer's tickets. */
export const customerMediaItemSchema = z
  .object({
    id: z.uuid().describe('the attachment id'),
    url: z.string().describe('GET it with the session (cookie or bearer token)'),
    messageId: z.uuid(),
    ticketId: z.uuid(),
    ticketNumber: z.number().int(),
    mimeType: z.string(),
    size: z.number().int().describe('bytes'),
    filename: z.string().nullable(),
    sentAt: dateTimeSchema,
    direction: z.enum(MESSAGE_DIRECTIONS).describe('inbound: from the customer; outbound: to them'),
  })
  .meta({ id: 'CustomerMediaItem' });
export type CustomerMediaItem = z.infer<typeof customerMediaItemSchema>;

/** `GET /api/customers/:id/media`: newest first. */
export const customerMediaListSchema = z
  .object({ items: z.array(customerMediaItemSchema) })
  .meta({ id: 'CustomerMediaList' });
export type CustomerMediaList = z.infer<typeof customerMediaListSchema>;

/** `GET /api/customers/:id/media` query; the limit may be written in Arabic-Indic digits. */
export const customerMediaQuerySchema = z.object({
  limit: z
    .preprocess(
      (value) =>
        typeof value === 'string'
          ? value
              .replace(/[\u0660-\u0669]/g, (digit) => String(digit.charCodeAt(0) - 0x660))
              .replace(/[\u06f0-\u06f9]/g, (digit) => String(digit.charCodeAt(0) - 0x6f0))
          : value,
      z.coerce.number().int('must be a whole number').min(1).max(100),
    )
    .optional()
    .default(30)
    .describe('how many files, 1–100 (default 30)'),
});
