/**
 * The database probe behind the webhooks' 503, against a PostgreSQL of its own: one probe left
 * without an answer (the server frozen, as when stalled on its disk or host) is a busy server and
 * webhooks keep being accepted; a second in a row is an outage; a server shut down (the connection
 * refused) is an outage at the first probe. This process's own stalls are not the server's silence.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DatabaseHealth } from '../../src/store/database-health';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-servers';

/** Probes only when the test asks (a long interval), with a short timeout. */
const OPTIONS = { intervalMs: 3_600_000, timeoutMs: 300 };

describe('database probe', () => {
  let postgres: PrivatePostgres;
  let health: DatabaseHealth;
  before(async () => {
    postgres = await startPrivatePostgres();
    health = new DatabaseHealth(postgres.urlOf('postgres')).start(OPTIONS);
  });
  after(async () => {
    postgres.thaw();
    await health.stop();
    await postgres.stop();
  });

  it('when PostgreSQL answers, then the database is reachable with its round trip', async () => {
    assert.equal(await health.probe(), true);
    const snapshot = health.snapshot();
    assert.equal(snapshot.reachable, true);
    assert.equal(typeof snapshot.latencyMs, 'number');
  });

  it('when this process is too busy to read the answer before the timeout, then the answer still counts', async () => {
    assert.equal(await health.probe(), true, 'connected before');
    for (const round of [1, 2]) {
      // The stall starts in a callback of the event loop, as a burst of webhooks would: when it
      // ends, the loop runs its timers before it reads the answer PostgreSQL sent meanwhile.
      let probed: Promise<boolean> | undefined;
      await new Promise<void>((resolve) =>
        setImmediate(() => {
          probed = health.probe();
          const end = Date.now() + OPTIONS.timeoutMs * 2;
          while (Date.now() < end) {
            // Busy: no I/O is read meanwhile.
          }
          resolve();
        }),
      );
      assert.equal(await probed, true, `stall ${round}: the answer that came during it counts`);
    }
    assert.equal(health.reachable, true, 'no outage: webhooks keep being accepted');
  });

  it('when one probe gets no answer in time, then webhooks still see it reachable; after a second, not', async () => {
    postgres.freeze();
    try {
      assert.equal(await health.probe(), false, 'the first probe timed out');
      assert.equal(health.reachable, true, 'one slow answer is not an outage');
      assert.equal(health.snapshot().lastError, null);
      assert.equal(await health.probe(), false);
      assert.equal(health.reachable, false, 'two in a row are');
      assert.match(health.snapshot().lastError ?? '', /no answer to SELECT 1 within 300 ms/);
    } finally {
      postgres.thaw();
    }
    assert.equal(await health.probe(), true, 'answered again once it runs');
    assert.equal(health.reachable, true);
  });

  it('when the server is shut down, then the first failed probe makes it unreachable', async () => {
    await postgres.shutdown();
    try {
      assert.equal(await health.probe(), false);
      assert.equal(health.snapshot().reachable, false);
      // The probe's open connection is cut by the shutdown (an answer, not a silence).
      assert.match(health.snapshot().lastError ?? '', /terminating connection|ECONNREFUSED/);
    } finally {
      await postgres.start();
    }
  });
});
