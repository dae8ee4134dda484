/**
 * The `ticket_events` audit log: what happened to a ticket, by whom, when. Written in plain SQL
 * only (here, and inside the inbound and assignment statements that insert events in the same
 * statement as their other rows) and read in plain SQL for a ticket's thread.
 */
import type { TicketEventType } from '@whatsapp-helpdesk/contract/api';
import { rows, type Queryable } from './sql';

/** One event to record. */
export interface NewTicketEvent {
  ticketId: string;
  type: TicketEventType;
  /** The agent who acted, or null (the system, the customer). */
  agentId: string | null;
  /** Event-specific facts, e.g. `{ from, to }` of a status change (stored as jsonb). */
  data: Record<string, unknown> | null;
  /** When it happened (default: the transaction's time). */
  createdAt?: Date;
}

/** A recorded event with its agent, as a ticket's thread shows it. */
export interface TicketEventRecord {
  /** The event's sequence number, as text (a bigint). */
  id: string;
  type: TicketEventType;
  agent: { id: string; name: string } | null;
  data: unknown;
  createdAt: Date;
}

/**
 * Records events in one statement (inside the caller's transaction when `db` is a client).
 * @param events any number; none: no statement.
 */
export async function insertTicketEvents(db: Queryable, events: readonly NewTicketEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db.query(
    `INSERT INTO ticket_events (ticket_id, type, agent_id, data, created_at)
     SELECT e.ticket_id, e.type, e.agent_id, e.data, COALESCE(e.created_at, now())
       FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::jsonb[], $5::timestamptz[])
            AS e(ticket_id, type, agent_id, data, created_at)`,
    [
      events.map((event) => event.ticketId),
      events.map((event) => event.type),
      events.map((event) => event.agentId),
      events.map((event) => (event.data === null ? null : JSON.stringify(event.data))),
      events.map((event) => event.createdAt ?? null),
    ],
  );
}

/** A ticket's events in the order they were recorded. */
export async function listTicketEvents(db: Queryable, ticketId: string): Promise<TicketEventRecord[]> {
  // The type column is text; every writer (insertTicketEvents and the inbound statement) takes a
  // TicketEventType, so what it holds is one of them.
  return rows<TicketEventRecord>(
    db,
    `SELECT e.id::text AS id, e.type, e.data, e.created_at AS "createdAt",
            CASE WHEN a.id IS NULL THEN NULL ELSE json_build_object('id', a.id, 'name', a.name) END AS agent
       FROM ticket_events e LEFT JOIN agents a ON a.id = e.agent_id
      WHERE e.ticket_id = $1::uuid
      ORDER BY e.id`,
    [ticketId],
    'ticket-events',
  );
}
