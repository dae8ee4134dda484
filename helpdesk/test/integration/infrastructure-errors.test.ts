/**
 * Which errors wait for the infrastructure (no attempt used) and which use an attempt, on errors
 * raised by real connections: node-postgres against the test PostgreSQL and a closed port, ioredis
 * against a closed port, fetch against a closed port.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { ProviderError } from '../../src/errors';
import { createRedis } from '../../src/infra/redis';
import { infrastructureErrorKind, infrastructureRetryDelay } from '../../src/jobs/infrastructure-retry';
import { SERVER_URL } from '../support/database';
import { freePort } from '../support/private-servers';

/** The error of running `sql` on a fresh connection to the test server. */
async function errorOf(sql: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(sql);
  } catch (error) {
    return error;
  } finally {
    await client.end().catch(() => {});
  }
  assert.fail(`"${sql}" did not fail`);
}

const SERVER_PORT = Number(new URL(SERVER_URL).port) || 5432;

describe('infrastructure errors', () => {
  it('when PostgreSQL refuses the connection, then the database is unreachable (another port: a network error)', async () => {
    const port = await freePort();
    const client = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres` });
    const error = await client.connect().then(
      () => assert.fail('connected to a closed port'),
      (failure: unknown) => failure,
    );
    assert.equal(infrastructureErrorKind(error, port), 'database-unreachable');
    assert.equal(infrastructureErrorKind(error, port + 1), 'network');
  });

  it('when the server ends the session or cannot work now, then it waits; when the statement is wrong, then it uses an attempt', async () => {
    assert.equal(
      infrastructureErrorKind(await errorOf('SELECT pg_terminate_backend(pg_backend_pid())'), SERVER_PORT),
      'database-unreachable',
      '57P01 admin shutdown',
    );
    const raise = (code: string) =>
      errorOf(`DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = '${code}'; END $$`);
    assert.equal(infrastructureErrorKind(await raise('53100'), SERVER_PORT), 'database', 'disk full');
    assert.equal(
      infrastructureErrorKind(await raise('53300'), SERVER_PORT),
      'database',
      'too many connections',
    );
    assert.equal(infrastructureErrorKind(await raise('57P03'), SERVER_PORT), 'database-unreachable');
    assert.equal(infrastructureErrorKind(await raise('08006'), SERVER_PORT), 'database-unreachable');
    assert.equal(
      infrastructureErrorKind(
        await errorOf('BEGIN; SET TRANSACTION READ ONLY; CREATE TABLE read_only_probe (id int)'),
        SERVER_PORT,
      ),
      'database',
      '25006 read-only (a standby before promotion)',
    );
    assert.equal(infrastructureErrorKind(await raise('23505'), SERVER_PORT), null, 'unique violation');
    assert.equal(infrastructureErrorKind(await raise('P0001'), SERVER_PORT), null, 'raised by code');
    assert.equal(infrastructureErrorKind(await errorOf('SELEC 1'), SERVER_PORT), null, 'syntax error');
  });

  it('when the pool has no free connection in time, then it waits', async () => {
    // 1 s, not less: the limit applies to opening the held connection too, which a busy CI machine
    // once took over 50 ms to do (2026-11-30, morning).
    const pool = new pg.Pool({ connectionString: SERVER_URL, max: 1, connectionTimeoutMillis: 1000 });
    const held = await pool.connect();
    try {
      const error = await pool.query('SELECT 1').then(
        () => assert.fail('a second connection from a pool of one'),
        (failure: unknown) => failure,
      );
      assert.equal(infrastructureErrorKind(error, SERVER_PORT), 'database');
    } finally {
      held.release();
      await pool.end();
    }
  });

  it('when Redis is unreachable, then it waits; a provider or a fetch failure keeps its own handling', async () => {
    const port = await freePort();
    const redis = createRedis(`redis://127.0.0.1:${port}`, 'producer');
    try {
      const error = await redis.ping().then(
        () => assert.fail('answered from a closed port'),
        (failure: unknown) => failure,
      );
      assert.equal(infrastructureErrorKind(error, SERVER_PORT), 'redis');
    } finally {
      redis.disconnect();
    }
    const fetchError = await fetch(`http://127.0.0.1:${port}/`).then(
      () => assert.fail('fetched from a closed port'),
      (failure: unknown) => failure,
    );
    assert.equal(
      infrastructureErrorKind(fetchError, port),
      null,
      'the sidecar down is not the database down',
    );
    assert.equal(infrastructureErrorKind(new ProviderError('sidecar unreachable', true), SERVER_PORT), null);
    assert.equal(infrastructureErrorKind(new Error('media sha256 mismatch'), SERVER_PORT), null);
  });

  it('when a job keeps meeting the outage, then its wait doubles up to the cap', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 8, 20].map((started) =>
      infrastructureRetryDelay({ attemptsStarted: started, attemptsMade: 0 }, 1000, 60_000),
    );
    assert.deepEqual(waits, [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    assert.equal(
      infrastructureRetryDelay({ attemptsStarted: 4, attemptsMade: 3 }, 1000, 60_000),
      1000,
      'runs that used attempts do not count',
    );
  });
});
