/**
 * Keeps the period report's hourly message counts one row per past hour (store/message-hour-counts.ts),
 * so a year's report reads about 8,800 rows whatever the number of database connections that wrote
 * them. Run by the scheduled job `rollup-compaction` (jobs/scheduled-queue.ts).
 */
import type { Deps } from '../../context';
import { compactMessageHourCounts } from '../../store/message-hour-counts';

const HOUR_MS = 3_600_000;

/**
 * Folds the rows of every UTC hour that ended at least an hour before `now`.
 * @returns how many rows were folded away.
 * @throws when PostgreSQL fails (the next run does it).
 */
export async function compactReportRollups(deps: Pick<Deps, 'pool'>, now = new Date()): Promise<number> {
  const currentHour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  return compactMessageHourCounts(deps.pool, new Date(currentHour - HOUR_MS));
}
