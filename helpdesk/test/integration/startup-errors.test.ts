/**
 * What an operator sees when the environment is wrong at start: one line naming the variable to
 * change and a non-zero exit, never "listening" followed by endless reconnection logs or a stack
 * trace. Real servers throughout: a private PostgreSQL that asks for a password (scram-sha-256),
 * a port held by another process, a Redis port with nothing behind it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { HELPDESK_DIR, REDIS_URL } from '../support/harness';
import { freePort, startPrivatePostgres, type PrivatePostgres } from '../support/private-servers';
import { programArguments } from '../support/programs';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Exit {
  status: number | null;
  stdout: string;
  stderr: string;
}

let home: string;

/** The environment of a fresh shell: no PGPASSWORD, and a HOME without ~/.pgpass. */
function baseEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: home, ...extra };
}

/** The helpdesk's own variables, valid apart from what `extra` changes. */
function helpdeskEnv(extra: Record<string, string>): Record<string, string> {
  return baseEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    HELPDESK_HOST: '127.0.0.1',
    HELPDESK_PORT: '0',
    REDIS_URL,
    QUEUE_PREFIX: `test-${randomBytes(5).toString('hex')}`,
    SIDECAR_API_KEY: randomBytes(18).toString('base64url'),
    SIDECAR_WEBHOOK_SECRET: randomBytes(18).toString('base64url'),
    CHANNEL_SECRETS_KEY: randomBytes(32).toString('hex'),
    ...extra,
  });
}

/** Runs `main.ts` (the default role, as `npm start` does) until it exits, or kills it after `timeoutMs`. */
function runMain(env: Record<string, string>, timeoutMs = 60_000): Promise<Exit> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, programArguments('src/main.ts'), { cwd: HELPDESK_DIR, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** The non-empty lines of `text`. */
const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'helpdesk-home-'));
});
after(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('a DATABASE_URL without the password PostgreSQL asks for', () => {
  let server: PrivatePostgres;
  let urlWithoutPassword: string;

  before(async () => {
    server = await startPrivatePostgres();
    const admin = new pg.Client({ connectionString: server.urlOf('postgres') });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE helpdesk_app LOGIN PASSWORD '${randomBytes(12).toString('hex')}'`);
      await admin.query('CREATE DATABASE helpdesk_app OWNER helpdesk_app');
      // A stock installation's rule for TCP connections (scram-sha-256); the superuser keeps trust
      // so that the test can still manage the server.
      const { rows } = await admin.query<{ hba_file: string }>('SHOW hba_file');
      await admin.query(
        `COPY (VALUES ('local all all trust'), ('host all postgres 127.0.0.1/32 trust'),
                      ('host all all 127.0.0.1/32 scram-sha-256'))
         TO '${rows[0]!.hba_file.replaceAll("'", "''")}'`,
      );
      await admin.query('SELECT pg_reload_conf()');
    } finally {
      await admin.end();
    }
    urlWithoutPassword = server.urlOf('helpdesk_app').replace('postgres@', 'helpdesk_app@');
  });
  after(async () => {
    await server?.stop();
  });

  it('when migrations run, then they stop with one line naming DATABASE_URL and how to add the password', () => {
    const result = spawnSync(process.execPath, ['scripts/migrate.mjs'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: baseEnv({ DATABASE_URL: urlWithoutPassword }),
    });
    assert.equal(result.status, 1, `${result.stdout}${result.stderr}`);
    assert.deepEqual(lines(result.stderr), [
      'DATABASE_URL has no password but PostgreSQL asks for one: put the password in it, ' +
        'e.g. DATABASE_URL=postgresql://user:password@host:5432/helpdesk',
    ]);
    assert.doesNotMatch(`${result.stdout}${result.stderr}`, /SASL|prisma/i);
  });

  it('when the helpdesk starts, then it exits with the same line instead of listening', async () => {
    const result = await runMain(helpdeskEnv({ DATABASE_URL: urlWithoutPassword }));
    assert.equal(result.status, 1, `${result.stdout}${result.stderr}`);
    assert.deepEqual(lines(result.stderr), [
      'DATABASE_URL has no password but PostgreSQL asks for one: put the password in it, ' +
        'e.g. DATABASE_URL=postgresql://user:password@host:5432/helpdesk',
    ]);
    assert.doesNotMatch(result.stdout, /listening/);
  });
});

describe('the helpdesk started next to something else', () => {
  let database: TestDatabase;
  let occupant: Server;
  let busyPort: number;

  before(async () => {
    database = await createTestDatabase();
    occupant = createServer();
    await new Promise<void>((resolve) => occupant.listen(0, '127.0.0.1', resolve));
    busyPort = (occupant.address() as { port: number }).port;
  });
  after(async () => {
    await new Promise((resolve) => occupant?.close(resolve));
    await database?.drop();
  });

  it('when HELPDESK_PORT is taken, then it exits with one line naming HELPDESK_PORT', async () => {
    const result = await runMain(
      helpdeskEnv({ DATABASE_URL: database.url, HELPDESK_PORT: String(busyPort) }),
    );
    assert.equal(result.status, 1, `${result.stdout}${result.stderr}`);
    assert.deepEqual(lines(result.stderr), [
      `HELPDESK_PORT ${busyPort} is already in use on 127.0.0.1: stop the other process or set HELPDESK_PORT to a free port`,
    ]);
    assert.doesNotMatch(result.stdout, /listening/);
  });

  it('when nothing answers at REDIS_URL, then it exits with one line naming REDIS_URL and never claims to listen', async () => {
    const deadRedis = `redis://127.0.0.1:${await freePort()}`;
    const result = await runMain(helpdeskEnv({ DATABASE_URL: database.url, REDIS_URL: deadRedis }));
    assert.equal(result.status, 1, `${result.stdout}${result.stderr}`);
    const problems = lines(result.stderr);
    assert.equal(problems.length, 1, result.stderr);
    assert.match(
      problems[0]!,
      new RegExp(
        `^REDIS_URL: Redis does not answer at ${deadRedis}/? \\(.*ECONNREFUSED.*\\): start Redis or set REDIS_URL`,
      ),
    );
    assert.doesNotMatch(result.stdout, /listening|workers started/);
  });
});
