/**
 * The process's connection pool keeps its connections through a lull: the next message after a
 * quiet spell runs on a connection already open (the same PostgreSQL server process), instead of
 * forking a new one with cold caches, as node-postgres does after 10 s idle by default.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPool } from '../../src/store/database';
import { SERVER_URL } from '../support/database';

describe('database pool', () => {
  it('when the helpdesk is quiet for longer than 10 s, then the next query runs on the connection it already had', async () => {
    const pool = createPool(SERVER_URL, 2);
    try {
      const backend = async () =>
        (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const before = await backend();
      // node-postgres's default idleTimeoutMillis is 10,000 ms; its timer closes the idle client.
      await new Promise((resolve) => setTimeout(resolve, 11_000));
      assert.equal(pool.totalCount, 1, 'the idle connection is still in the pool');
      assert.equal(await backend(), before, 'the same server process answers');
    } finally {
      await pool.end();
    }
  });
});
