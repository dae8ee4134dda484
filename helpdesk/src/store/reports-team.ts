/**
 * Team statistics as PostgreSQL computes them: open tickets per agent, the waiting queue, median
 * first-response and resolution times (percentile_cont) and tickets per category over a period.
 */
import type { TicketStatus } from '@whatsapp-helpdesk/contract/api';
import type { Database } from './database';

const OPEN: TicketStatus = 'open';
const PENDING: TicketStatus = 'pending';

/** An active agent with their open and pending tickets now. */
export interface AgentLoadRow {
  id: string;
  name: string;
  availability: string;
  capacity: number;
  open: number;
  pending: number;
}

/** A count and the median of a duration, seconds (null without rows). */
export interface MedianRow {
  count: number;
  median: number | null;
}

/** What the team statistics read from the database. */
export interface TeamStatsRows {
  agents: AgentLoadRow[];
  /** Tickets waiting unassigned now and the oldest one's opening time. */
  queue: { waiting: number; oldest: Date | null };
  /** Tickets first answered in the period, with the median seconds from opening. */
  firstResponse: MedianRow;
  /** Tickets resolved in the period, with the median seconds from opening. */
  resolution: MedianRow;
  /** Tickets opened in the period by category, most first. */
  categories: Array<{ category: string | null; count: number }>;
}

/** @param period.from inclusive start; period.to exclusive end. */
export async function readTeamStats(db: Database, period: { from: Date; to: Date }): Promise<TeamStatsRows> {
  const { from, to } = period;
  const [agents, [queue], [firstResponse], [resolution], categories] = await Promise.all([
    db.$queryRaw<AgentLoadRow[]>`
      SELECT a.id, a.name, a.availability::text AS availability, a.capacity,
             count(t.id) FILTER (WHERE t.status = ${OPEN}::"TicketStatus")::int AS open,
             count(t.id) FILTER (WHERE t.status = ${PENDING}::"TicketStatus")::int AS pending
        FROM agents a
        LEFT JOIN tickets t ON t.assignee_id = a.id AND t.status IN (${OPEN}::"TicketStatus", ${PENDING}::"TicketStatus")
       WHERE a.active
       GROUP BY a.id
       ORDER BY a.name, a.id`,
    db.$queryRaw<Array<{ waiting: number; oldest: Date | null }>>`
      SELECT count(*)::int AS waiting, min(opened_at) AS oldest
        FROM tickets WHERE assignee_id IS NULL AND status IN (${OPEN}::"TicketStatus", ${PENDING}::"TicketStatus")`,
    db.$queryRaw<MedianRow[]>`
      SELECT count(*)::int AS count,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - opened_at))::float8 AS median
        FROM tickets WHERE first_response_at >= ${from} AND first_response_at < ${to}`,
    db.$queryRaw<MedianRow[]>`
      SELECT count(*)::int AS count,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - opened_at))::float8 AS median
        FROM tickets WHERE resolved_at >= ${from} AND resolved_at < ${to}`,
    db.$queryRaw<Array<{ category: string | null; count: number }>>`
      SELECT category, count(*)::int AS count
        FROM tickets WHERE opened_at >= ${from} AND opened_at < ${to}
       GROUP BY category ORDER BY count DESC, category NULLS LAST`,
  ]);
  return {
    agents,
    queue: queue ?? { waiting: 0, oldest: null },
    firstResponse: firstResponse ?? { count: 0, median: null },
    resolution: resolution ?? { count: 0, median: null },
    categories,
  };
}
