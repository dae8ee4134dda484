/**
 * Team statistics for the agents' API: open tickets per agent, the waiting queue (length and
 * oldest wait), median first-response and resolution times over a period, and tickets per
 * category opened in the period.
 */
import type { Deps } from '../../context';
import { readTeamStats, type AgentLoadRow } from '../../store/reports-team';

export interface TeamStats {
  period: { from: Date; to: Date };
  /** Active agents with their open and pending tickets now. */
  agents: AgentLoadRow[];
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
  pool: Deps['pool'],
  period: { from: Date; to: Date },
  now = new Date(),
): Promise<TeamStats> {
  const rows = await readTeamStats(pool, period);
  const round = (value: number | null) => (value === null ? null : Math.round(value));
  const oldest = rows.queue.oldest;
  return {
    period: { from: period.from, to: period.to },
    agents: rows.agents,
    queue: {
      waiting: rows.queue.waiting,
      oldestOpenedAt: oldest,
      oldestWaitSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000)) : null,
    },
    firstResponse: { count: rows.firstResponse.count, medianSeconds: round(rows.firstResponse.median) },
    resolution: { count: rows.resolution.count, medianSeconds: round(rows.resolution.median) },
    categories: rows.categories,
  };
}
