/**
 * A message WhatsApp hands the sidecar while its Redis is down is never dropped: the inbound handler keeps
 * trying to put it in the outbox (capped backoff, no attempt limit) and it reaches the helpdesk once Redis
 * is back. The sidecar here runs on a private redis-server that the test fills (OOM on every write: the old
 * code gave up after 5 quick tries and dropped the message), kills and starts again (ioredis holds the
 * command meanwhile: now counted and shown), and a stop during the outage ends within its grace.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { RedisConnection } from 'bullmq';
import { Redis } from 'ioredis';
import type { SidecarInboundMessage } from '@whatsapp-helpdesk/contract/sidecar-events';
import { createLogger } from '../src/logger';
import { Outbox } from '../src/outbox/outbox';
import { API_KEY, HelpdeskStub, waitFor } from './helpers';
import { startTestSidecar, type TestSidecar } from './test-sidecar';
import { fixtures } from './wpp-fixtures';

/** A free TCP port on loopback. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A throwaway redis-server (no persistence) on a free port that can be killed and started again. */
async function privateRedis(): Promise<{ url: string; start(): Promise<void>; kill(): Promise<void> }> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const start = async () => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
      ],
      { stdio: 'ignore' },
    );
    await waitFor(async () => {
      const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      redis.on('error', () => undefined);
      try {
        await redis.connect();
        return (await redis.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        redis.disconnect();
      }
    }, 'redis-server to answer');
  };
  const kill = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  };
  // A test process that dies mid-test leaves no server behind.
  process.once('exit', () => child?.kill('SIGKILL'));
  await start();
  return { url, start, kill };
}

function messagesOf(stub: HelpdeskStub): SidecarInboundMessage[] {
  return stub.received.flatMap((r) => (r.event.type === 'message' ? [r.event.message] : []));
}

/** The value of an unlabelled sample in `GET /metrics` (NaN when absent). */
async function metric(sidecarUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${sidecarUrl}/metrics`)).text();
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : Number.NaN;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Longer than the old budget: 5 attempts with 0.4 + 0.8 + 1.6 + 3.2 s of waits, then the message was dropped. */
const OUTAGE_MS = 8000;

describe('inbound while Redis is down', () => {
  let redis: Awaited<ReturnType<typeof privateRedis>>;
  let stub: HelpdeskStub;
  let running: TestSidecar;

  beforeEach(async () => {
    redis = await privateRedis();
    stub = new HelpdeskStub();
    await stub.start();
    running = await startTestSidecar({
      env: { HELPDESK_WEBHOOK_URL: stub.url, REDIS_URL: redis.url },
      waitFor: 'connected',
    });
  });

  afterEach(async () => {
    await redis.start(); // cleanup deletes the test's keys
    await running.stop();
    await stub.stop();
    await redis.kill();
  });

  /** Emits a first message and waits for its delivery, so the outbox is known to work before the fault. */
  async function deliverOne(chat: string): Promise<string> {
    const first = fixtures.text(chat, 'before the outage');
    running.fake.emitMessage(first);
    await waitFor(() => messagesOf(stub).length === 1, 'the first delivery');
    return first.id;
  }

  it('when Redis refuses writes longer than the old retry budget, then held messages arrive once, in order, after it recovers', async () => {
    const { fake, sidecar } = running;
    const chat = '201001110021@c.us';
    const first = await deliverOne(chat);
    const admin = new Redis(redis.url);
    try {
      // What a full Redis answers (BullMQ needs maxmemory-policy noeviction): OOM on every write.
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      await admin.config('SET', 'maxmemory', '1');
      const during = fixtures.text(chat, 'during the outage');
      const later = fixtures.text(chat, 'right after it');
      fake.emitMessage(during);
      fake.emitMessage(later);
      await sleep(OUTAGE_MS);
      const pendingDuring = await metric(sidecar.url, 'wpp_sidecar_inbound_pending');
      const failuresDuring = await metric(sidecar.url, 'wpp_sidecar_inbound_enqueue_failures_total');
      await admin.config('SET', 'maxmemory', '0');

      await waitFor(() => messagesOf(stub).length >= 3, 'the held messages', 30_000);
      await sidecar.inbound.idle();
      await sleep(300);
      assert.deepEqual(
        messagesOf(stub).map((m) => m.providerMessageId),
        [first, during.id, later.id],
        'each message once, in order',
      );
      assert.equal(
        pendingDuring,
        1,
        'one message waiting to enter the outbox (the next one waits behind it)',
      );
      assert.ok(failuresDuring >= 5, `failed attempts counted (${failuresDuring})`);
      assert.equal(await metric(sidecar.url, 'wpp_sidecar_inbound_pending'), 0);
      const res = await fetch(`${sidecar.url}/api/outbox`, { headers: { 'x-api-key': API_KEY } });
      assert.equal(((await res.json()) as { counts: Record<string, number> }).counts.failed, 0);
    } finally {
      admin.disconnect();
    }
  });

  it('when Redis is unreachable longer than the old retry budget, then held messages arrive once, in order, after it returns', async () => {
    const { fake, sidecar } = running;
    const chat = '201001110022@c.us';
    const first = await deliverOne(chat);
    await redis.kill();
    const during = fixtures.text(chat, 'during the outage');
    const later = fixtures.text(chat, 'right after it');
    fake.emitMessage(during);
    fake.emitMessage(later);
    await sleep(OUTAGE_MS);
    // The scrape answers during the outage, and shows the held message and the attempts that hung.
    const pendingDuring = await metric(sidecar.url, 'wpp_sidecar_inbound_pending');
    const failuresDuring = await metric(sidecar.url, 'wpp_sidecar_inbound_enqueue_failures_total');
    await redis.start();

    await waitFor(() => messagesOf(stub).length >= 3, 'the held messages', 30_000);
    await sidecar.inbound.idle();
    await sleep(300);
    assert.deepEqual(
      messagesOf(stub).map((m) => m.providerMessageId),
      [first, during.id, later.id],
      'each message once, in order',
    );
    assert.equal(pendingDuring, 1);
    assert.ok(failuresDuring >= 1, `attempts without an answer counted (${failuresDuring})`);
    const res = await fetch(`${sidecar.url}/api/outbox`, { headers: { 'x-api-key': API_KEY } });
    assert.equal(((await res.json()) as { counts: Record<string, number> }).counts.failed, 0);
  });

  it('when the sidecar stops while Redis is unreachable, then the close ends in its grace and names the event not confirmed in the outbox', async () => {
    const { fake, sidecar } = running;
    const first = await deliverOne('201001110023@c.us');
    await redis.kill();
    const stranded = fixtures.text('201001110023@c.us', 'sent just before the stop');
    fake.emitMessage(stranded);
    await waitFor(() => sidecar.inbound.pendingCount === 1, 'the message to wait for the outbox');
    // The grace runs out with Redis still down: the close ends anyway and names what is lost.
    assert.deepEqual(await sidecar.inbound.close(500), [`wppconnect:test:${stranded.id}`]);
    await sidecar.inbound.idle();
    assert.equal(sidecar.inbound.pendingCount, 0);
    assert.equal(messagesOf(stub).length, 1);
    // ioredis still holds the abandoned attempt: should Redis return before the process exits, it lands once.
    await redis.start();
    await waitFor(() => messagesOf(stub).length >= 2, 'the late delivery');
    assert.deepEqual(
      messagesOf(stub).map((m) => m.providerMessageId),
      [first, stranded.id],
    );
  });
});

describe("the outbox's BullMQ connections closed while Redis refuses", () => {
  it('when one is closed before Redis ever answered, then its late connection error is not an unhandled rejection', async () => {
    // BullMQ 5 re-emitted the failed set-up after close() had removed its listeners, and the throw
    // rejected a promise nobody awaited (taskforcesh/bullmq#3546): the sidecar stopped during a
    // Redis outage logged it, and a test run counted it as a failure. Here the order is certain:
    // close() returns before the connection to port 1 of loopback (refused) fails. RedisConnection
    // is the sidecar's: the outbox module, imported above, mends its close().
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    const client = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: null,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      const connection = new RedisConnection(client, { shared: true });
      await connection.close();
      await waitFor(() => client.status === 'end', 'the refused connection to end');
      await new Promise((resolve) => setTimeout(resolve, 100)); // a rejection is reported a turn later
      assert.deepEqual(unhandled.map(String), []);
    } finally {
      process.off('unhandledRejection', record);
      client.disconnect();
    }
  });

  it('when the outbox started and stops while Redis never answered, then its close ends', async () => {
    // A sidecar started during a Redis outage and stopped before Redis came back must still exit.
    // BullMQ 6.7's Worker.close() waits forever for a connection that was never ready
    // (taskforcesh/bullmq#4656): on it this test fails after 10 s, and its file, like
    // session-state's, never ends.
    const outbox = new Outbox({
      redisUrl: 'redis://127.0.0.1:1',
      prefix: 'never-answered',
      queueName: 'outbox-never-answered',
      webhookUrl: 'http://127.0.0.1:1/webhooks/wppconnect',
      webhookSecret: 'never-used-secret-0123456789',
      timeoutMs: 1000,
      maxAttempts: 1,
      backoffBaseMs: 100,
      backoffMaxMs: 1000,
      logger: createLogger('silent'),
    });
    outbox.start();
    await new Promise((resolve) => setTimeout(resolve, 300)); // a few refused connects
    const closing = outbox.close().then(() => 'closed');
    // Unreferenced: once closed, the wait does not hold the file open for 10 s.
    const waited = delay(10_000, 'still closing after 10 s', { ref: false });
    assert.equal(await Promise.race([closing, waited]), 'closed');
  });
});
