/**
 * The database probe behind the webhooks' 503: a refused connection is an outage at once, but one
 * probe answered later than its timeout is a busy server, and webhooks keep being accepted until a
 * second probe in a row times out. A server that accepts the connection and never answers (as a
 * frozen PostgreSQL does: the TCP handshake is the kernel's) stands in for the slow one; the
 * reachable case is the real PostgreSQL.
 */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DatabaseHealth } from '../../src/store/database-health';
import { SERVER_URL } from '../support/database';

/** Probes only when the test asks (a long interval), with a short timeout. */
const OPTIONS = { intervalMs: 3_600_000, timeoutMs: 200 };

describe('database probe', () => {
  let silent: Server;
  const sockets: Socket[] = [];
  let silentUrl: string;
  before(async () => {
    silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `postgresql://postgres@127.0.0.1:${(silent.address() as AddressInfo).port}/postgres`;
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('when PostgreSQL answers, then the database is reachable with its round trip', async () => {
    const health = new DatabaseHealth(SERVER_URL).start(OPTIONS);
    try {
      assert.equal(await health.probe(), true);
      const snapshot = health.snapshot();
      assert.equal(snapshot.reachable, true);
      assert.equal(typeof snapshot.latencyMs, 'number');
    } finally {
      await health.stop();
    }
  });

  it('when the connection is refused, then the first failed probe makes it unreachable', async () => {
    // A port just freed: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const health = new DatabaseHealth(`postgresql://postgres@127.0.0.1:${port}/postgres`).start(OPTIONS);
    try {
      assert.equal(await health.probe(), false);
      assert.equal(health.snapshot().reachable, false);
      assert.match(health.snapshot().lastError ?? '', /ECONNREFUSED/);
    } finally {
      await health.stop();
    }
  });

  it('when one probe gets no answer in time, then webhooks still see it reachable; after a second, not', async () => {
    const health = new DatabaseHealth(silentUrl).start(OPTIONS);
    try {
      assert.equal(await health.probe(), false, 'the first probe timed out');
      assert.equal(health.reachable, true, 'one slow answer is not an outage');
      assert.equal(health.snapshot().lastError, null);
      assert.equal(await health.probe(), false);
      assert.equal(health.reachable, false, 'two in a row are');
      assert.match(health.snapshot().lastError ?? '', /no answer to SELECT 1 within 200 ms/);
    } finally {
      await health.stop();
    }
  });
});
