/**
 * Snoozed tickets (`tickets.snoozed_until`): ending a snooze (pending → open) under a guard that
 * the ticket is still snoozed to that very time, and finding snoozes whose time has passed.
 */
import type pg from 'pg';
import { rows, transaction } from './sql';
import { insertTicketEvents, type NewTicketEvent } from './ticket-events';

/**
 * Returns a snoozed ticket to open and records `event`, in one transaction, provided it is still
 * pending and snoozed to `until` (a later snooze, another status or an ended snooze is left alone).
 * @returns the ticket's assignee when it was returned, or undefined when nothing changed.
 */
export async function endTicketSnooze(
  pool: pg.Pool,
  change: { ticketId: string; until: Date; at: Date },
  event: NewTicketEvent,
): Promise<{ assigneeId: string | null } | undefined> {
  return transaction(pool, async (client) => {
    const result = await client.query<{ assigneeId: string | null }>(
      `UPDATE tickets SET status = 'open', snoozed_until = NULL, updated_at = $3
        WHERE id = $1 AND status = 'pending' AND snoozed_until = $2::timestamptz
        RETURNING assignee_id AS "assigneeId"`,
      [change.ticketId, change.until, change.at],
    );
    const ended = result.rows[0];
    if (!ended) return undefined;
    await insertTicketEvents(client, [event]);
    return ended;
  });
}

/** Pending tickets whose snooze time is at or before `now`, earliest first, at most `limit`. */
export async function findOverdueSnoozes(
  pool: pg.Pool,
  now: Date,
  limit: number,
): Promise<Array<{ id: string; snoozedUntil: Date }>> {
  return rows<{ id: string; snoozedUntil: Date }>(
    pool,
    `SELECT id, snoozed_until AS "snoozedUntil" FROM tickets
      WHERE snoozed_until IS NOT NULL AND snoozed_until <= $1 AND status = 'pending'
      ORDER BY snoozed_until LIMIT $2`,
    [now, limit],
  );
}
