/**
 * Search everywhere (`GET /api/search`): one box that finds a ticket of any status by its
 * customer's name or phone (any written form: +20 100…, 0100…, Arabic-Indic digits), its number
 * (#123) or the text of its messages (inbound and outbound text and captions), with Arabic spelling
 * variants folded (أ/إ/آ → ا, ة → ه, ى → ي, no harakat or tatweel).
 */
import { z } from 'zod';
import { nullableDateTimeSchema, personSchema } from './common.ts';
import { ticketCustomerSchema } from './tickets.ts';
import { TICKET_STATUSES } from './ticket-vocabulary.ts';

/** Where a hit matched: the customer's name or phone, the ticket number, or a message's text. */
export const SEARCH_MATCHES = ['number', 'phone', 'name', 'message'] as const;
export type SearchMatch = (typeof SEARCH_MATCHES)[number];

/**
 * Why a hit cannot be opened by the caller (null: it can). `assigned_to_other`: the ticket belongs
 * to another agent, and only its assignee and admins read its thread (ticket-rules.ts).
 */
export const SEARCH_REFUSALS = ['assigned_to_other'] as const;
export type SearchRefusal = (typeof SEARCH_REFUSALS)[number];

/** The shortest query, in characters (after trimming). */
export const SEARCH_QUERY_MIN_LENGTH = 2;
/** Most hits one search answers. */
export const SEARCH_LIMIT_MAX = 50;

/** `GET /api/search` query. */
export const searchQuerySchema = z.object({
  q: z
    .string({ message: 'is required' })
    .trim()
    .min(SEARCH_QUERY_MIN_LENGTH, `must be at least ${SEARCH_QUERY_MIN_LENGTH} characters`)
    .max(200, 'must be at most 200 characters')
    .describe('a name, a phone (any form, Arabic-Indic digits too), #number, or words of a message'),
  limit: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(SEARCH_LIMIT_MAX, `must be at most ${SEARCH_LIMIT_MAX}`)
    .default(20),
});
export type SearchQuery = z.input<typeof searchQuerySchema>;

/** The ticket of a hit: enough to show a result row and open it. */
export const searchTicketSchema = z.object({
  id: z.uuid(),
  number: z.number().int(),
  status: z.enum(TICKET_STATUSES),
  channel: z.string(),
  customer: ticketCustomerSchema,
  assignee: personSchema.nullable(),
});
export type SearchTicket = z.infer<typeof searchTicketSchema>;

export const searchHitSchema = z
  .object({
    ticket: searchTicketSchema,
    matchedIn: z.enum(SEARCH_MATCHES).describe('the best place the query matched'),
    messageId: z
      .uuid()
      .nullable()
      .describe('message hits: the message that matched (null for other hits or when not openable)'),
    snippet: z
      .string()
      .nullable()
      .describe(
        'message hits the caller may open: a short excerpt around the match (at most ~160 characters); ' +
          'otherwise null',
      ),
    matchedAt: nullableDateTimeSchema.describe('message hits: when the message was written; otherwise null'),
    openable: z.boolean().describe('whether the caller may open the ticket (GET /api/tickets/:id)'),
    reason: z
      .enum(SEARCH_REFUSALS)
      .nullable()
      .describe('why not openable (null when openable); assigned_to_other: another agent has it'),
  })
  .meta({ id: 'SearchHit' });
export type SearchHit = z.infer<typeof searchHitSchema>;

/** `GET /api/search`: best matches first (number, phone, name, then message relevance), one hit per ticket. */
export const searchResultSchema = z.object({ items: z.array(searchHitSchema) }).meta({ id: 'SearchResult' });
export type SearchResult = z.infer<typeof searchResultSchema>;
