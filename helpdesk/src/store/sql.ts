/**
 * Plain SQL over the node-postgres pool for the hot paths: a typed query helper and a
 * transaction runner.
 */
import type pg from 'pg';

/** `value` as a LIKE pattern matching it anywhere (its %, _ and \\ taken literally). */
export function likeContaining(value: string): string {
  return `%${value.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** A pool or a client inside a transaction. */
export type Queryable = pg.Pool | pg.PoolClient;

/**
 * Runs one statement and returns its rows.
 * @param name for statements on the hot path: PostgreSQL parses a named (prepared) statement once
 *   per connection instead of at every call, and plans it once too when its generic plan costs no
 *   more than custom ones (plan_cache_mode auto). The inbound writes over `unnest` of array
 *   parameters keep custom plans, made at every call; forcing generic ones saved no measured CPU
 *   (BENCHMARKS.md, "2026-12-02, morning").
 */
export async function rows<T extends pg.QueryResultRow>(
  db: Queryable,
  text: string,
  values: unknown[] = [],
  name?: string,
): Promise<T[]> {
  return (await db.query<T>(name ? { name, text, values } : { text, values })).rows;
}

/** Runs one statement and returns its first row, or null (`name` as for `rows`). */
export async function row<T extends pg.QueryResultRow>(
  db: Queryable,
  text: string,
  values: unknown[] = [],
  name?: string,
): Promise<T | null> {
  return (await rows<T>(db, text, values, name))[0] ?? null;
}

/**
 * Runs `work` in a READ COMMITTED transaction on one connection: committed when it resolves,
 * rolled back when it throws (the error is rethrown).
 */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that cannot even roll back (the server went away) is discarded, not reused.
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
