/**
 * Ticket counts for the shared Prometheus metrics, from the `ticket_events` audit log (so they
 * count the work of every process and survive restarts) and the waiting queue.
 */
import type { TicketEventType, TicketStatus } from '@whatsapp-helpdesk/contract/api';
import { row, type Queryable } from './sql';

const OPENED: TicketEventType = 'opened';
const REOPENED: TicketEventType = 'reopened';
const STATUS_CHANGED: TicketEventType = 'status_changed';

/** Counts since the audit log began, and the waiting queue now. */
export interface TicketCounts {
  opened: number;
  reopened: number;
  /** Status changes from active (`activeStatuses`) to done (`doneStatuses`). */
  resolved: number;
  /** Active tickets without an assignee. */
  waiting: number;
}

/**
 * One scan of the audit log (about 0.1 s per million events).
 * @param statuses.active statuses that count as open work (open, pending); statuses.done those
 *   that end it (resolved, closed).
 */
export async function readTicketCounts(
  db: Queryable,
  statuses: { active: readonly TicketStatus[]; done: readonly TicketStatus[] },
): Promise<TicketCounts> {
  return (await row<TicketCounts>(
    db,
    `SELECT count(*) FILTER (WHERE type = $1)::int AS opened,
            count(*) FILTER (WHERE type = $2)::int AS reopened,
            count(*) FILTER (WHERE type = $3
                               AND data->>'from' = ANY($4::text[])
                               AND data->>'to' = ANY($5::text[]))::int AS resolved,
            (SELECT count(*)::int FROM tickets
              WHERE assignee_id IS NULL AND status = ANY($6::"TicketStatus"[])) AS waiting
       FROM ticket_events`,
    [OPENED, REOPENED, STATUS_CHANGED, statuses.active, statuses.done, statuses.active],
  ))!;
}
