/**
 * Plain SQL over the node-postgres pool for the hot paths: a typed query helper and a
 * transaction runner.
 */
import type pg from 'pg';

/** A pool or a client inside a transaction. */
export type Queryable = pg.Pool | pg.PoolClient;

/** Runs one statement and returns its rows. */
export async function rows<T extends pg.QueryResultRow>(
  db: Queryable,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  return (await db.query<T>(text, values)).rows;
}

/** Runs one statement and returns its first row, or null. */
export async function row<T extends pg.QueryResultRow>(
  db: Queryable,
  text: string,
  values: unknown[] = [],
): Promise<T | null> {
  return (await db.query<T>(text, values)).rows[0] ?? null;
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
