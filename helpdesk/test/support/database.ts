/**
 * Test databases on the machine's real PostgreSQL. `prepare-database.ts` builds a template with
 * the real migrations (`prisma migrate deploy`) once per run; each test file then gets its own
 * copy, dropped at the end, so tests never touch other data.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const SERVER_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const MIGRATIONS = fileURLToPath(new URL('../../../prisma/migrations/', import.meta.url));

/** A fingerprint of the migrations: a changed migration gets a new template, an unchanged one reuses it. */
function migrationsFingerprint(): string {
  const hash = createHash('sha256');
  for (const entry of readdirSync(MIGRATIONS, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (!entry.isDirectory()) continue;
    hash.update(entry.name).update(readFileSync(`${MIGRATIONS}${entry.name}/migration.sql`));
  }
  return hash.digest('hex').slice(0, 16);
}

/** The template database every test database is copied from (migrated once per set of migrations). */
export const TEMPLATE_DATABASE = `helpdesk_test_tpl_${migrationsFingerprint()}`;

/** The URL of database `name` on the test server. */
export function databaseUrl(name: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `work` on a connection of its own to `url`, closed afterwards. */
async function withConnection<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  return withConnection(SERVER_URL, work);
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database copied from the template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `helpdesk_test_${randomBytes(6).toString('hex')}`;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await admin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`));
      break;
    } catch (error) {
      // PostgreSQL copies a template only while nobody else uses it (another run copying it too).
      if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
  const url = databaseUrl(name);
  return {
    url,
    drop: async () => {
      await closeQueryPool(url);
      await dropDatabase(name);
    },
  };
}

/**
 * Drops a test database, first giving its connections up to a second to close: pg's Pool.end()
 * resolves before its connections have closed, and the forced drop would terminate those still
 * closing, an error on a client nobody listens to any more (an uncaught exception in the test).
 */
async function dropDatabase(name: string): Promise<void> {
  await admin(async (client) => {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const { rows } = await client.query<{ open: number }>(
        'SELECT count(*)::int AS open FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      if (rows[0]!.open === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

/**
 * The pools `query` reads through, one per database URL. A connection per call cost PostgreSQL a
 * backend's start each time (about 60 ms of CPU on these machines, some 1,400 in the helpdesk's
 * first stage of `npm test`, mostly tests polling with `waitFor`).
 */
const queryPools = new Map<string, pg.Pool>();

/** Errors of a connection the server ended (a restart, a forced drop) rather than of the SQL. */
const ENDED_CONNECTION = /Connection terminated|ECONNRESET|EPIPE|57P01|terminating connection/;

/**
 * Runs SQL on a test database (for assertions that read what a user would see) and returns its
 * rows. A pooled connection the server ended while it was idle is replaced once; a database that
 * does not answer still fails the call.
 */
export async function query<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  let pool = queryPools.get(url);
  if (!pool) {
    // Idle connections close after a second and never keep the process alive.
    pool = new pg.Pool({ connectionString: url, max: 2, idleTimeoutMillis: 1000, allowExitOnIdle: true });
    // An idle connection ended by the server: the pool drops it and opens another when asked.
    pool.on('error', () => {});
    queryPools.set(url, pool);
  }
  try {
    return (await pool.query<T>(sql, values)).rows;
  } catch (error) {
    if (!ENDED_CONNECTION.test(`${(error as { code?: string }).code ?? ''} ${(error as Error).message}`))
      throw error;
    return (await pool.query<T>(sql, values)).rows;
  }
}

/**
 * Runs SQL on a connection of its own, a PostgreSQL backend nobody else used, and returns its
 * rows: for tests of what differs between backends (the report rollups' rows per writer).
 */
export async function queryOnOwnConnection<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  return withConnection(url, async (client) => (await client.query<T>(sql, values)).rows);
}

/** Closes `query`'s pool of a database (before it is dropped). */
async function closeQueryPool(url: string): Promise<void> {
  const pool = queryPools.get(url);
  queryPools.delete(url);
  await pool?.end();
}

export { admin };

/**
 * A database on another server (e.g. a private PostgreSQL), migrated with the real migrations.
 * @param serverUrl URL of that server's `postgres` database.
 */
export async function createDatabaseOn(serverUrl: string, name = 'helpdesk_fault'): Promise<TestDatabase> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const { spawnSync } = await import('node:child_process');
  const root = new URL('../../../', import.meta.url);
  const result = spawnSync(process.execPath, ['scripts/prisma.mjs', 'migrate', 'deploy'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url.toString() },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`migrations failed: ${result.stderr}`);
  return { url: url.toString(), drop: async () => {} };
}
