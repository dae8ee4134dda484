/**
 * Team statistics for the agents' API: open tickets per agent, the waiting queue (length and
 * oldest wait), median first-response and resolution times over a period, and tickets per
 * category opened in the period. Computed in PostgreSQL (percentile_cont for medians).
 */
import type { Database } from '../infra/db';

export interface TeamStats {
  period: { from: Date; to: Date };
  /** Active agents with their open and pending tickets now. */
  agents: Array<{
    id: string;
    name: string;
    availability: string;
    capacity: number;
    open: number;
    pending: number;
  }>;
  /** Tickets waiting unassigned now. */
  queue: { waiting: number; oldestOpenedAt: Date | null; oldestWaitSeconds: number | null };
  /** Tickets first answered by an agent in the period: median seconds from opening. */
  firstResponse: { count: number; medianSeconds: number | null };
  /** Tickets resolved in the period: median seconds from opening. */
  resolution: { count: number; medianSeconds: number | null };
  /** Tickets opened in the period by category (null: not classified). */
  categories: Array<{ category: string | null; count: number }>;
}

/**
 * @param period.from inclusive start; period.to exclusive end.
 * @param now the time "now" counts from (queue wait).
 */
export async function getTeamStats(
  db: Database,
  period: { from: Date; to: Date },
  now = new Date(),
): Promise<TeamStats> {
  const { from, to } = period;
  const [agents, [queue], [firstResponse], [resolution], categories] = await Promise.all([
    db.$queryRaw<TeamStats['agents']>`
      SELECT a.id, a.name, a.availability::text AS availability, a.capacity,
             count(t.id) FILTER (WHERE t.status = 'open')::int AS open,
             count(t.id) FILTER (WHERE t.status = 'pending')::int AS pending
        FROM agents a
        LEFT JOIN tickets t ON t.assignee_id = a.id AND t.status IN ('open', 'pending')
       WHERE a.active
       GROUP BY a.id
       ORDER BY a.name, a.id`,
    db.$queryRaw<Array<{ waiting: number; oldest: Date | null }>>`
      SELECT count(*)::int AS waiting, min(opened_at) AS oldest
        FROM tickets WHERE assignee_id IS NULL AND status IN ('open', 'pending')`,
    db.$queryRaw<Array<{ count: number; median: number | null }>>`
      SELECT count(*)::int AS count,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - opened_at))::float8 AS median
        FROM tickets WHERE first_response_at >= ${from} AND first_response_at < ${to}`,
    db.$queryRaw<Array<{ count: number; median: number | null }>>`
      SELECT count(*)::int AS count,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - opened_at))::float8 AS median
        FROM tickets WHERE resolved_at >= ${from} AND resolved_at < ${to}`,
    db.$queryRaw<TeamStats['categories']>`
      SELECT category, count(*)::int AS count
        FROM tickets WHERE opened_at >= ${from} AND opened_at < ${to}
       GROUP BY category ORDER BY count DESC, category NULLS LAST`,
  ]);
  const round = (value: number | null | undefined) =>
    value === null || value === undefined ? null : Math.round(value);
  return {
    period: { from, to },
    agents,
    queue: {
      waiting: queue?.waiting ?? 0,
      oldestOpenedAt: queue?.oldest ?? null,
      oldestWaitSeconds: queue?.oldest
        ? Math.max(0, Math.round((now.getTime() - queue.oldest.getTime()) / 1000))
        : null,
    },
    firstResponse: { count: firstResponse?.count ?? 0, medianSeconds: round(firstResponse?.median) },
    resolution: { count: resolution?.count ?? 0, medianSeconds: round(resolution?.median) },
    categories,
  };
}
