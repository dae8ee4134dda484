/**
 * Team statistics as PostgreSQL computes them: open tickets per agent, the waiting queue, median
 * first-response and resolution times (percentile_cont) and tickets per category over a period.
 * Plain SQL on the pool, not Prisma: each Prisma query costs about a millisecond of CPU in its
 * compiler, and the team lead's dashboard asks five at a time.
 */
import type { TicketStatus } from '@whatsapp-helpdesk/contract/api';
import { rows, type Queryable } from './sql';

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

/**
 * Five statements at once, each an index range or a key look-up (no table read whole: the medians
 * read tickets by first_response_at and resolved_at, migration 20261130120000_stats_indexes).
 * @param period.from inclusive start; period.to exclusive end.
 */
export async function readTeamStats(db: Queryable, period: { from: Date; to: Date }): Promise<TeamStatsRows> {
  const active = [OPEN, PENDING];
  const [agents, [queue], [firstResponse], [resolution], categories] = await Promise.all([
    rows<AgentLoadRow>(
      db,
      `SELECT a.id, a.name, a.availability::text AS availability, a.capacity,
              count(t.id) FILTER (WHERE t.status = $1::"TicketStatus")::int AS open,
              count(t.id) FILTER (WHERE t.status = $2::"TicketStatus")::int AS pending
         FROM agents a
         LEFT JOIN tickets t ON t.assignee_id = a.id AND t.status IN ($1::"TicketStatus", $2::"TicketStatus")
        WHERE a.active
        GROUP BY a.id
        ORDER BY a.name, a.id`,
      active,
    ),
    rows<{ waiting: number; oldest: Date | null }>(
      db,
      `SELECT count(*)::int AS waiting, min(opened_at) AS oldest
         FROM tickets WHERE assignee_id IS NULL AND status IN ($1::"TicketStatus", $2::"TicketStatus")`,
      active,
    ),
    medianSinceOpening(db, 'first_response_at', period),
    medianSinceOpening(db, 'resolved_at', period),
    rows<{ category: string | null; count: number }>(
      db,
      `SELECT category, count(*)::int AS count
         FROM tickets WHERE opened_at >= $1 AND opened_at < $2
        GROUP BY category ORDER BY count DESC, category NULLS LAST`,
      [period.from, period.to],
    ),
  ]);
  return {
    agents,
    queue: queue ?? { waiting: 0, oldest: null },
    firstResponse: firstResponse ?? { count: 0, median: null },
    resolution: resolution ?? { count: 0, median: null },
    categories,
  };
}

/**
 * The tickets whose `column` falls in the period, and the median seconds from their opening to it.
 * @param column a fixed column name (never input).
 */
async function medianSinceOpening(
  db: Queryable,
  column: 'first_response_at' | 'resolved_at',
  period: { from: Date; to: Date },
): Promise<MedianRow[]> {
  return rows<MedianRow>(
    db,
    `SELECT count(*)::int AS count,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ${column} - opened_at))::float8 AS median
       FROM tickets WHERE ${column} >= $1 AND ${column} < $2`,
    [period.from, period.to],
  );
}
