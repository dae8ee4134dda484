/**
 * The tickets as the inbound pipeline reads and changes them, inside its transaction: the
 * customer's open ticket locked, the last resolved one, a reopen and a new ticket.
 */
import type { TicketStatus } from '@whatsapp-helpdesk/contract/api';
import type { TicketSummary } from '../domain/ticket-lifecycle';
import { row, rows } from './sql';
import type { DatabaseTransaction } from './inbound-database';

/** A ticket as the pipeline reads it (locked). */
export interface TicketRow {
  id: string;
  number: number;
  status: TicketStatus;
  resolvedAt: Date | null;
  category: string | null;
  assigneeId: string | null;
  menuPending: boolean;
  menuAttempts: number;
  afterHoursSentAt: Date | null;
  language: string | null;
  /** Pending until this time (a snooze), or null. */
  snoozedUntil: Date | null;
}

/** The SELECT list of a TicketRow. */
export const TICKET_COLUMNS = `id, number, status, resolved_at AS "resolvedAt", category, assignee_id AS "assigneeId",
  menu_pending AS "menuPending", menu_attempts AS "menuAttempts",
  after_hours_sent_at AS "afterHoursSentAt", language, snoozed_until AS "snoozedUntil"`;

/** A ticket row read back from JSON (`to_jsonb`): its times become Dates again. */
export function ticketFromJson(ticket: TicketRow): TicketRow {
  const toDate = (value: Date | string | null) => (value === null ? null : new Date(value));
  return {
    ...ticket,
    resolvedAt: toDate(ticket.resolvedAt),
    afterHoursSentAt: toDate(ticket.afterHoursSentAt),
    snoozedUntil: toDate(ticket.snoozedUntil),
  };
}

/**
 * The customer's open or pending ticket on `channel`, locked (FOR UPDATE) until the transaction
 * ends: locking it serialises one customer's messages. @returns null when there is none.
 */
export async function lockOpenTicket(
  transaction: DatabaseTransaction,
  customerId: string,
  channel: string,
): Promise<TicketRow | null> {
  return row<TicketRow>(
    transaction,
    `SELECT ${TICKET_COLUMNS} FROM tickets
      WHERE customer_id = $1 AND channel = $2 AND status IN ('open', 'pending') FOR UPDATE`,
    [customerId, channel],
    'ingest-lock-ticket',
  );
}

/** The customer's most recently resolved (or closed) ticket on `channel`, or null. */
export async function findLastResolvedTicket(
  transaction: DatabaseTransaction,
  customerId: string,
  channel: string,
): Promise<TicketSummary | null> {
  return row<TicketSummary>(
    transaction,
    `SELECT id, status, resolved_at AS "resolvedAt" FROM tickets
      WHERE customer_id = $1 AND channel = $2 AND status IN ('resolved', 'closed')
      ORDER BY resolved_at DESC NULLS LAST LIMIT 1`,
    [customerId, channel],
    'ingest-last-resolved-ticket',
  );
}

/**
 * Reopens a resolved ticket: open again, without assignee (the previous agent's capacity was
 * freed at resolution, so the ticket queues for assignment again). @returns the ticket after.
 */
export async function reopenTicket(
  transaction: DatabaseTransaction,
  ticketId: string,
  now: Date,
): Promise<TicketRow> {
  const reopened = await row<TicketRow>(
    transaction,
    `UPDATE tickets SET status = 'open', resolved_at = NULL, assignee_id = NULL, assigned_at = NULL, updated_at = $2
      WHERE id = $1 RETURNING ${TICKET_COLUMNS}`,
    [ticketId, now],
    'ingest-reopen-ticket',
  );
  return reopened!;
}

/** A ticket to open: the customer's, on the message's channel and provider, at `openedAt`. */
export interface NewTicket {
  customerId: string;
  channel: string;
  provider: string;
  openedAt: Date;
}

/**
 * Opens new tickets in one statement, numbered in the order given (a batch's new customers cost
 * one round trip, not one each: BENCHMARKS.md, 2026-11-30 night).
 * @returns each ticket, in the order given.
 */
export async function insertTickets(
  transaction: DatabaseTransaction,
  tickets: readonly NewTicket[],
): Promise<TicketRow[]> {
  if (tickets.length === 0) return [];
  const opened = await rows<TicketRow & { customerId: string; channel: string }>(
    transaction,
    `INSERT INTO tickets (id, customer_id, channel, provider, opened_at, updated_at)
     SELECT gen_random_uuid(), n.customer_id, n.channel, n.provider, n.opened_at, n.opened_at
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[])
            WITH ORDINALITY AS n(customer_id, channel, provider, opened_at, position)
      ORDER BY n.position
     RETURNING ${TICKET_COLUMNS}, customer_id AS "customerId", channel`,
    [
      tickets.map((ticket) => ticket.customerId),
      tickets.map((ticket) => ticket.channel),
      tickets.map((ticket) => ticket.provider),
      tickets.map((ticket) => ticket.openedAt),
    ],
    'ingest-insert-tickets',
  );
  // Matched by customer and channel (one open ticket each), not by the order rows come back in.
  const byKey = new Map(
    opened.map(({ customerId, channel, ...ticket }) => [`${customerId}\n${channel}`, ticket as TicketRow]),
  );
  return tickets.map((ticket) => byKey.get(`${ticket.customerId}\n${ticket.channel}`)!);
}

/** Opens a new ticket for the customer on the message's channel and provider. @returns the ticket. */
export async function insertTicket(
  transaction: DatabaseTransaction,
  ticket: { customerId: string; channel: string; provider: string },
  now: Date,
): Promise<TicketRow> {
  const [opened] = await insertTickets(transaction, [{ ...ticket, openedAt: now }]);
  return opened!;
}
