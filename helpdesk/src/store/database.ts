/**
 * Database access: one node-postgres pool per process, shared by the Prisma client (driver
 * adapter, query compiler: no native engine) and by the hot paths' plain SQL (see `infra/sql.ts`).
 * Prisma serves admin work and the less frequent reads and writes; the inbound pipeline,
 * assignment, sending, delivery statuses and the agents' busiest reads (the session check of every
 * request, inbox pages, a ticket's thread, the customer panel, search, reports) use SQL directly,
 * since each Prisma query costs about a millisecond of CPU in its WebAssembly compiler (measured
 * with `npm run bench` and `npm run bench:scale`, see BENCHMARKS.md).
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client';

export type Database = PrismaClient;
/** The PostgreSQL connection pool under `Database`, for the hot paths' plain SQL. */
export type Pool = pg.Pool;
export type { Prisma } from '../generated/prisma/client';

/**
 * How long an idle connection stays open (ms). node-postgres closes one after 10 s by default, so
 * after any lull of a quiet helpdesk the next messages opened connections again, each a new server
 * process with cold caches: measured (`BENCH_SCALE=0.2 npm run bench:scale`, BENCHMARKS.md), the
 * stream's p99 over the first 10 s of load after minutes idle was 430 ms, 287 with connections kept
 * (135 and 87 once warm). A pool stays at most `poolSize` connections.
 */
const POOL_IDLE_MS = 5 * 60_000;

/**
 * A connection pool that keeps its idle connections POOL_IDLE_MS.
 * @param databaseUrl postgresql:// URL.
 * @param poolSize maximum connections of this pool.
 * @param options.applicationName the connections' `application_name` (pg_stat_activity).
 * @param options.idleMs how long an idle connection stays open instead, ms.
 */
export function createPool(
  databaseUrl: string,
  poolSize: number,
  log?: { warn: (obj: object, msg: string) => void },
  options: { applicationName?: string; idleMs?: number } = {},
): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    idleTimeoutMillis: options.idleMs ?? POOL_IDLE_MS,
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
  });
  // An idle connection dropped by the server (a PostgreSQL restart) must not crash the process:
  // the pool discards it and the next query opens a new one.
  pool.on('error', (error) => log?.warn({ err: error }, 'idle database connection lost'));
  // The same for a connection in use: its query fails and the caller retries; the event itself
  // must have a listener or Node treats it as an uncaught error.
  pool.on('connect', (client) =>
    client.on('error', (error) => log?.warn({ err: error }, 'database connection lost')),
  );
  return pool;
}

/** A Prisma client over an existing pool (the pool's owner ends it). */
export function createDatabase(pool: pg.Pool): Database {
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}

/** True when a database error is a unique-constraint violation (Prisma P2002 or PostgreSQL 23505). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: string; message?: string };
  return code === 'P2002' || code === '23505' || /unique constraint|duplicate key/i.test(message ?? '');
}
