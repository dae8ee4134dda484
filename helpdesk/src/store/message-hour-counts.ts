/**
 * Upkeep of message_hour_counts (migration 20261129000000_report_rollups): its triggers write one
 * row per hour and PostgreSQL backend (so concurrent inbound batches never wait on one row), which
 * over a year of connections would leave the report summing tens of rows per hour. Past hours
 * take no more writes from the inbound path (messages.created_at is the time of storing), so their
 * rows can be summed into one (writer 0, the backfill's).
 */
import { rows, type Queryable } from './sql';

/**
 * Sums every hour before `before` into its writer-0 row, in one statement (rows deleted and the
 * sums written together: a report reads either the old rows or the new one).
 * @param before a UTC hour boundary; later hours are left as they are.
 * @returns how many rows were folded away.
 */
export async function compactMessageHourCounts(db: Queryable, before: Date): Promise<number> {
  const [result] = await rows<{ folded: number }>(
    db,
    `WITH moved AS (
       DELETE FROM message_hour_counts WHERE hour < $1 AND writer <> 0
       RETURNING hour, inbound, outbound
     ), summed AS (
       -- A data-modifying WITH runs whether or not the outer statement reads it.
       INSERT INTO message_hour_counts AS c (hour, writer, inbound, outbound)
       SELECT hour, 0, sum(inbound)::int, sum(outbound)::int FROM moved GROUP BY hour ORDER BY hour
       ON CONFLICT (hour, writer) DO UPDATE
         SET inbound = c.inbound + EXCLUDED.inbound, outbound = c.outbound + EXCLUDED.outbound
     )
     SELECT count(*)::int AS folded FROM moved`,
    [before],
    'message_hour_counts_compact',
  );
  return result?.folded ?? 0;
}
