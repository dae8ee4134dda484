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

const url = new URL(process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/helpdesk');
const database = decodeURIComponent(url.pathname.slice(1));
const maintenance = new URL(url);
maintenance.pathname = '/postgres';

const client = new pg.Client({ connectionString: maintenance.toString() });
try {
  await client.connect();
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (rowCount === 0) {
    await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
    console.log(`created database ${database}`);
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
