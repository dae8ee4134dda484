/**
 * A ticket's team (`tickets.team_id`): set by a transfer to a team, after which only that team's
 * members may take the ticket (store/assignment.ts reads it first). The write is guarded like the
 * other ticket actions: a racing change touches no row and the caller answers 409.
 */
import type { TicketStatus } from '@whatsapp-helpdesk/contract/api';
import type pg from 'pg';
import { transaction } from './sql';
import { insertTicketEvents, type NewTicketEvent } from './ticket-events';

/**
 * Unassigns an open or pending ticket and gives it to a team, recording `event` in the same
 * transaction.
 * @param change.fromAgentId the assignee the caller saw (null: waiting); another one now: no change.
 * @returns false when the ticket changed meanwhile (other assignee, or no longer active).
 */
export async function moveTicketToTeam(
  pool: pg.Pool,
  change: {
    ticketId: string;
    fromAgentId: string | null;
    teamId: string;
    activeStatuses: readonly TicketStatus[];
    at: Date;
  },
  event: NewTicketEvent,
): Promise<boolean> {
  return transaction(pool, async (client) => {
    const result = await client.query(
      `UPDATE tickets SET assignee_id = NULL, assigned_at = NULL, team_id = $3::uuid, updated_at = $4
        WHERE id = $1 AND assignee_id IS NOT DISTINCT FROM $2::uuid AND status = ANY($5::"TicketStatus"[])`,
      [change.ticketId, change.fromAgentId, change.teamId, change.at, change.activeStatuses],
    );
    if (result.rowCount !== 1) return false;
    await insertTicketEvents(client, [{ ...event, createdAt: change.at }]);
    return true;
  });
}
