/**
 * The words a ticket's life is told in, shared by the SQL (store/), the rules (domain/), the
 * metrics and the console: a value outside these lists is a type error, not a silent miss.
 */

/** A ticket's status (the `TicketStatus` enum of prisma/schema.prisma). */
export const TICKET_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/**
 * What the `ticket_events` audit log records (its `type` column). Assignment reads
 * `opened`, `reopened` and `unassigned` to know how long a ticket has waited.
 */
export const TICKET_EVENT_TYPES = [
  'opened',
  'reopened',
  'classified',
  'assigned',
  'unassigned',
  'transferred',
  /** A transfer to a team (data `{ teamId }`): the ticket waits for that team's members. */
  'team_transferred',
  'status_changed',
  'first_response',
  /** A response-time target passed (data `{ kind: 'first_response' | 'resolution' }`), recorded once per opening. */
  'sla_breached',
  'merged',
  /** The customer rated the help after resolution (data `{ score, comment }`, score 1..5). */
  'csat_answered',
  /**
   * The rating question was not sent on resolution (data `{ reason }`: disabled or
   * outside_customer_service_window).
   */
  'csat_skipped',
] as const;
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number];
