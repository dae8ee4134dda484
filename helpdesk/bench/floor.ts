/**
 * The floor: how many single-row insert transactions per second this PostgreSQL sustains from
 * Node with a given pool size — the physical limit the ingest pipeline is held against.
 */
import pg from 'pg';

/**
 * @param databaseUrl a scratch database (a table `bench_floor` is created and dropped).
 * @param poolSize concurrent connections, as the pipeline's processes use in total.
 * @param durationMs how long to measure.
 * @returns committed transactions per second.
 */
export async function measureFloor(
  databaseUrl: string,
  poolSize: number,
  durationMs: number,
): Promise<number> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
  );
  let committed = 0;
  const deadline = Date.now() + durationMs;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: poolSize }, async () => {
      const client = await pool.connect();
      try {
        while (Date.now() < deadline) {
          await client.query('BEGIN');
          await client.query('INSERT INTO bench_floor (body) VALUES ($1)', [
            'a message body of typical length',
          ]);
          await client.query('COMMIT');
          committed += 1;
        }
      } finally {
        client.release();
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  await pool.query('DROP TABLE bench_floor');
  await pool.end();
  return committed / elapsed;
}
