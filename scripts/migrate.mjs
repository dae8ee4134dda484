#!/usr/bin/env node
/**
 * Applies the database migrations (`prisma migrate deploy`), creating the database named by
 * DATABASE_URL first when it does not exist (Prisma's WebAssembly engine does not create it).
 * Usage: node scripts/migrate.mjs   (DATABASE_URL defaults to the local helpdesk database)
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

try {
  process.loadEnvFile(fileURLToPath(new URL('../.env', import.meta.url)));
} catch {
  // no .env: the environment and the defaults apply
}
/**
 * One line naming DATABASE_URL for a password PostgreSQL asks for and the URL lacks (pg's SASL
 * error, pg/lib/crypto/sasl.js) or refuses (SQLSTATE 28P01); null for any other error.
 */
function databaseUrlProblem(error) {
  const example = 'DATABASE_URL=postgresql://user:password@host:5432/helpdesk';
  if (/password must be a string/i.test(error?.message ?? '')) {
    return `DATABASE_URL has no password but PostgreSQL asks for one: put the password in it, e.g. ${example}`;
  }
  if (error?.code === '28P01') {
    return `DATABASE_URL: PostgreSQL refused its user or password (${error.message}): put the right ones in it, e.g. ${example}`;
  }
  return null;
}

/**
 * Creates `name` in UTF8 whatever the cluster's default (Debian's initdb in a C locale makes
 * SQL_ASCII, where Arabic text is bytes and the search migration's Unicode escapes fail): with
 * the cluster's locale when it allows UTF8, else with the C locale, which allows any encoding.
 */
async function createUtf8Database(client, name) {
  const quoted = `"${name.replaceAll('"', '""')}"`;
  const { rows } = await client.query(
    "SELECT pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = 'template1'",
  );
  if (rows[0]?.encoding === 'UTF8') return client.query(`CREATE DATABASE ${quoted}`);
  return client.query(
    `CREATE DATABASE ${quoted} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`,
  );
}

const url = new URL(process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/helpdesk');
const database = decodeURIComponent(url.pathname.slice(1));
const maintenance = new URL(url);
maintenance.pathname = '/postgres';

const client = new pg.Client({ connectionString: maintenance.toString() });
try {
  await client.connect();
  const { rows } = await client.query(
    'SELECT pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = $1',
    [database],
  );
  if (rows.length === 0) {
    await createUtf8Database(client, database);
    console.log(`created database ${database}`);
  } else if (rows[0].encoding !== 'UTF8') {
    console.error(
      `DATABASE_URL: database ${database} uses the ${rows[0].encoding} encoding; the helpdesk needs UTF8 ` +
        `(Arabic text, search): create it with CREATE DATABASE "${database}" ENCODING 'UTF8' TEMPLATE template0`,
    );
    process.exit(1);
  }
} catch (error) {
  // A missing or wrong password fails every connection alike: say so once, naming the variable,
  // instead of node-postgres's "SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a
  // string" followed by Prisma's own failure (the same wording as helpdesk/src/config.ts).
  const problem = databaseUrlProblem(error);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  // Without rights on the maintenance database, the database must already exist: let Prisma say so.
  console.warn(`could not check or create database ${database}: ${error.message}`);
} finally {
  await client.end().catch(() => {});
}

const prisma = fileURLToPath(new URL('./prisma.mjs', import.meta.url));
const result = spawnSync(process.execPath, [prisma, 'migrate', 'deploy'], {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: url.toString() },
});
process.exit(result.status ?? 1);
