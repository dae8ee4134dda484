/**
 * The `tickets` table as agents' actions change it: the facts the rules need, and guarded updates
 * (a racing change makes them touch no row, which the caller answers with 409). Writes run on a
 * transaction's client so the ticket event recorded with them commits or rolls back together.
 */
import type { TicketStatus } from '@whatsapp-helpdesk/contract/api';
import type pg from 'pg';
import type { Database } from './database';
import { transaction, type Queryable } from './sql';
import { insertTicketEvents, type NewTicketEvent } from './ticket-events';

/** What the ticket rules and actions need to know about a ticket. */
export interface TicketFacts {
  id: string;
  number: number;
  status: TicketStatus;
  assigneeId: string | null;
  resolvedAt: Date | null;
  lastInboundAt: Date | null;
  provider: string;
  channel: string;
}

/** A ticket's facts, or null for an unknown ticket. */
export async function findTicketFacts(db: Database, ticketId: string): Promise<TicketFacts | null> {
  return db.ticket.findUnique({
    where: { id: ticketId },
    select: {
      id: true,
      number: true,
      status: true,
      assigneeId: true,
      resolvedAt: true,
      lastInboundAt: true,
      provider: true,
      channel: true,
    },
  });
}

/**
 * Moves a ticket from `from` to `to`, writing the given timestamps (undefined: left as is), and
 * records `event`, in one transaction.
 * @returns false (and nothing written) when the ticket is no longer in `from` (a concurrent change).
 * @throws a unique violation (store/database.ts `isUniqueViolation`) when reopening would give the
 *   customer a second open ticket on the channel.
 */
export async function updateTicketStatus(
  pool: pg.Pool,
  change: {
    ticketId: string;
    from: TicketStatus;
    to: TicketStatus;
    /** `snoozedUntil`: always written (null ends a snooze). */
    set: { resolvedAt?: Date | null; closedAt?: Date | null; snoozedUntil?: Date | null };
    at: Date;
  },
  event: NewTicketEvent,
): Promise<boolean> {
  return transaction(pool, async (client) => {
    const result = await client.query(
      `UPDATE tickets
        SET status = $3::"TicketStatus",
            resolved_at = CASE WHEN $4::boolean THEN $5::timestamptz ELSE resolved_at END,
            closed_at = CASE WHEN $6::boolean THEN $7::timestamptz ELSE closed_at END,
            snoozed_until = $9::timestamptz,
            updated_at = $8
      WHERE id = $1 AND status = $2::"TicketStatus"`,
      [
        change.ticketId,
        change.from,
        change.to,
        change.set.resolvedAt !== undefined,
        change.set.resolvedAt ?? null,
        change.set.closedAt !== undefined,
        change.set.closedAt ?? null,
        change.at,
        change.set.snoozedUntil ?? null,
      ],
    );
    if (result.rowCount !== 1) return false;
    await insertTicketEvents(client, [event]);
    return true;
  });
}

/**
 * Gives an active ticket (one of `activeStatuses`) to `toAgentId`, or back to the queue (null),
 * provided it is still with `fromAgentId`, and records `event`, in one transaction.
 * @returns false (and nothing written) when the ticket changed meanwhile (another assignee, or no
 *   longer active).
 */
export async function reassignTicket(
  pool: pg.Pool,
  change: {
    ticketId: string;
    fromAgentId: string | null;
    toAgentId: string | null;
    activeStatuses: readonly TicketStatus[];
    at: Date;
  },
  event: NewTicketEvent,
): Promise<boolean> {
  return transaction(pool, async (client) => {
    const result = await client.query(
      `UPDATE tickets
        SET assignee_id = $3::uuid, assigned_at = CASE WHEN $3::uuid IS NULL THEN NULL ELSE $4::timestamptz END,
            updated_at = $4
      WHERE id = $1 AND assignee_id IS NOT DISTINCT FROM $2::uuid AND status = ANY($5::"TicketStatus"[])`,
      [change.ticketId, change.fromAgentId, change.toAgentId, change.at, change.activeStatuses],
    );
    if (result.rowCount !== 1) return false;
    await insertTicketEvents(client, [event]);
    return true;
  });
}

/**
 * Records the ticket's first agent response time unless it has one.
 * @returns true when this was the first response.
 */
export async function markFirstResponse(db: Queryable, ticketId: string, at: Date): Promise<boolean> {
  const result = await db.query(
    `UPDATE tickets SET first_response_at = $2, updated_at = $2 WHERE id = $1 AND first_response_at IS NULL`,
    [ticketId, at],
  );
  return result.rowCount === 1;
}

/**
 * Returns an agent's active tickets to the waiting queue.
 * @returns the ids of the tickets released.
 */
export async function releaseAgentTickets(
  db: Queryable,
  agentId: string,
  activeStatuses: readonly TicketStatus[],
  at: Date,
): Promise<string[]> {
  const result = await db.query<{ id: string }>(
    `UPDATE tickets SET assignee_id = NULL, assigned_at = NULL, updated_at = $3
      WHERE assignee_id = $1 AND status = ANY($2::"TicketStatus"[])
      RETURNING id`,
    [agentId, activeStatuses, at],
  );
  return result.rows.map((ticket) => ticket.id);
}

/**
 * The customer's other open or pending ticket on the same channel as `ticketId` (at most one may
 * exist: the partial unique index tickets_one_open_per_customer_channel), or null.
 */
export async function findOtherActiveTicket(
  db: Queryable,
  ticketId: string,
): Promise<{ id: string; number: number } | null> {
  const result = await db.query<{ id: string; number: number }>(
    `SELECT other.id, other.number
       FROM tickets t
       JOIN tickets other ON other.customer_id = t.customer_id AND other.channel = t.channel
                          AND other.id <> t.id AND other.status IN ('open', 'pending')
      WHERE t.id = $1
      LIMIT 1`,
    [ticketId],
  );
  return result.rows[0] ?? null;
}
