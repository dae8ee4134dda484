/**
 * Outgoing webhooks (issue 17) end to end: a customer writes through the real sidecar webhook, the
 * database records each event in the change's own transaction (the `webhook_outbox` triggers), the
 * worker's relay turns it into deliveries and POSTs them through the BullMQ `webhooks` queue to
 * local HTTP receivers (real HTTP, loopback allowed by ALLOW_PRIVATE_WEBHOOK_URLS=true). The
 * receiver recomputes `X-Helpdesk-Signature` = sha256=HMAC-SHA256(secret, "<timestamp>.<raw
 * body>") and checks the timestamp; a receiver answering 500 twice gets the event on the third
 * attempt, with the delivery log showing 3 attempts and `delivered`. Without the flag, a URL on a
 * private address is refused.
 *
 * Durability (the second suite, with its own Redis and worker processes): an event committed while
 * Redis is down for the API is delivered once Redis is back; a customer message committed by a
 * worker that is SIGKILLed before it announces anything is delivered by the next worker; and a
 * burst over two workers reaches the receiver with every event once.
 */
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  outgoingWebhookCreatedSchema,
  webhookDeliveryListSchema,
  type OutgoingWebhookCreated,
  type WebhookDelivery,
} from '@whatsapp-helpdesk/contract/api';
import { isPrivateAddress } from '../../src/infra/private-addresses';
import { checkWebhookUrl } from '../../src/use-cases/integrations/check-webhook-url';
import { assertMatches, assertValidationError, createAgent, type TestAgent } from '../api/api-support';
import pg from 'pg';
import { query } from '../support/database';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';
import { startPrivateRedis, type PrivateRedis } from '../support/private-servers';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  /** The signature matched and the timestamp was within 5 minutes. */
  verified: boolean;
}

/** A local receiver: answers `statuses` in turn (then 200), verifying each request with `secret`. */
async function startReceiver(statuses: number[] = []): Promise<{
  url: string;
  received: Received[];
  secret: { value: string };
  server: Server;
}> {
  const received: Received[] = [];
  const secret = { value: '' };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const timestamp = String(request.headers['x-helpdesk-timestamp'] ?? '');
      const expected = `sha256=${createHmac('sha256', secret.value).update(`${timestamp}.${body}`).digest('hex')}`;
      const given = String(request.headers['x-helpdesk-signature'] ?? '');
      const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
      const verified =
        fresh &&
        given.length === expected.length &&
        timingSafeEqual(Buffer.from(given), Buffer.from(expected));
      received.push({ headers: request.headers, body, verified });
      response.statusCode = statuses.shift() ?? 200;
      response.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, secret, server };
}

describe('outgoing webhooks', () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;
  const servers: Server[] = [];

  before(async () => {
    helpdesk = await startTestHelpdesk({
      env: {
        ALLOW_PRIVATE_WEBHOOK_URLS: 'true',
        OUTGOING_WEBHOOK_ATTEMPTS: '5',
        OUTGOING_WEBHOOK_BACKOFF_MS: '200',
      },
    });
    admin = await createAgent(helpdesk, { name: 'Webhooks Admin', role: 'admin' });
  });
  after(async () => {
    for (const server of servers) server.close();
    await helpdesk.stop();
  });

  it('when a customer writes, then ticket.created and message.created arrive signed; a receiver failing twice gets it on the third attempt', async () => {
    const good = await startReceiver();
    const flaky = await startReceiver([500, 500]);
    servers.push(good.server, flaky.server);

    const created = await admin.api.post<OutgoingWebhookCreated>('/api/webhooks', {
      name: 'CRM',
      url: good.url,
      events: ['ticket.created', 'message.created'],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assertMatches(outgoingWebhookCreatedSchema, created.body);
    good.secret.value = created.body.secret;
    assert.ok(created.body.secret.length >= 32, 'a generated secret');
    const listed = await admin.api.get('/api/webhooks');
    assert.ok(!JSON.stringify(listed.body).includes(created.body.secret), 'the secret is shown once');

    const flakySecret = 'flaky-receiver-secret-0123456789';
    const flakyHook = await admin.api.post<OutgoingWebhookCreated>('/api/webhooks', {
      name: 'Flaky',
      url: flaky.url,
      secret: flakySecret,
      events: ['ticket.created'],
    });
    assert.equal(flakyHook.status, 201, JSON.stringify(flakyHook.body));
    flaky.secret.value = flakySecret;

    const phone = `+20100${String(Date.now() % 1_000_000).padStart(6, '0')}`;
    const event = textEvent(phone, 'I need my prescription');
    assert.equal((await helpdesk.postWppconnect(event)).status, 202);

    await waitFor(
      () =>
        good.received.some((item) => item.headers['x-helpdesk-event'] === 'ticket.created') &&
        good.received.some((item) => item.headers['x-helpdesk-event'] === 'message.created'),
      20_000,
      'ticket.created and message.created at the receiver',
    );
    for (const item of good.received) {
      assert.ok(
        item.verified,
        `signature and timestamp verified (${String(item.headers['x-helpdesk-event'])})`,
      );
      assert.ok(item.headers['x-helpdesk-delivery']);
      const body = JSON.parse(item.body) as { type: string; data: { ticketId: string } };
      assert.equal(body.type, item.headers['x-helpdesk-event']);
      assert.ok(body.data.ticketId);
    }
    const message = good.received.find((item) => item.headers['x-helpdesk-event'] === 'message.created')!;
    assert.equal((JSON.parse(message.body) as { data: { direction: string } }).data.direction, 'inbound');

    await waitFor(() => flaky.received.length >= 3, 20_000, 'the third attempt at the flaky receiver');
    assert.deepEqual(
      flaky.received.map((item) => item.verified),
      [true, true, true],
      'every attempt signed',
    );
    assert.equal(
      new Set(flaky.received.map((item) => item.headers['x-helpdesk-delivery'])).size,
      1,
      'one delivery id across attempts',
    );
    const log = await waitFor(
      async () => {
        const answer = await admin.api.get<{ items: WebhookDelivery[] }>(
          `/api/webhooks/${flakyHook.body.id}/deliveries`,
        );
        const delivered = answer.body.items.find((item) => item.status === 'delivered');
        return delivered ? answer : undefined;
      },
      10_000,
      'the delivery log showing delivered',
    );
    assertMatches(webhookDeliveryListSchema, log.body);
    const [delivery] = log.body.items;
    assert.equal(delivery!.eventType, 'ticket.created');
    assert.equal(delivery!.attempts, 3);
    assert.equal(delivery!.lastStatusCode, 200);
    assert.equal(log.body.items.length, 1, 'message.created was not subscribed');
    // No fourth attempt after the success.
    await new Promise((resolve) => setTimeout(resolve, 800));
    assert.equal(flaky.received.length, 3);
  });

  it('when a ticket is assigned, resolved and reopened by the customer, then ticket.assigned and each ticket.status arrive', async () => {
    const receiver = await startReceiver();
    servers.push(receiver.server);
    const hook = await admin.api.post<OutgoingWebhookCreated>('/api/webhooks', {
      name: 'Tickets',
      url: receiver.url,
      events: ['ticket.assigned', 'ticket.status'],
    });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    receiver.secret.value = hook.body.secret;
    const phone = `+20101${String(Date.now() % 1_000_000).padStart(6, '0')}`;
    assert.equal((await helpdesk.postWppconnect(textEvent(phone, 'hello'))).status, 202);
    const assigned = await waitFor(
      () => receiver.received.find((item) => item.headers['x-helpdesk-event'] === 'ticket.assigned'),
      20_000,
      'ticket.assigned at the receiver',
    );
    const { data } = JSON.parse(assigned.body) as { data: { ticketId: string; assigneeId: string } };
    assert.equal(data.assigneeId, admin.id);
    const resolved = await admin.api.post(`/api/tickets/${data.ticketId}/status`, { status: 'resolved' });
    assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
    const status = await waitFor(
      () => receiver.received.find((item) => item.headers['x-helpdesk-event'] === 'ticket.status'),
      20_000,
      'ticket.status at the receiver',
    );
    assert.ok(status.verified);
    assert.equal((JSON.parse(status.body) as { data: { ticketId: string } }).data.ticketId, data.ticketId);

    // The customer writes again: the resolved ticket reopens, and subscribers learn it.
    assert.equal((await helpdesk.postWppconnect(textEvent(phone, 'one more question'))).status, 202);
    const reopened = await waitFor(
      () =>
        receiver.received.find(
          (item) =>
            item.headers['x-helpdesk-event'] === 'ticket.status' &&
            (JSON.parse(item.body) as { data: { status: string } }).data.status === 'open',
        ),
      20_000,
      'ticket.status of the reopen at the receiver',
    );
    assert.deepEqual((JSON.parse(reopened.body) as { data: unknown }).data, {
      ticketId: data.ticketId,
      ticketNumber: (JSON.parse(status.body) as { data: { ticketNumber: number } }).data.ticketNumber,
      status: 'open',
      previousStatus: 'resolved',
      reason: 'customer_replied',
    });
    assert.ok(receiver.received.every((item) => item.verified));
  });

  it('when a URL is not http(s), then 400 naming url; private addresses are refused without the flag', async () => {
    assertValidationError(
      await admin.api.post('/api/webhooks', {
        name: 'x',
        url: 'ftp://example.com/',
        events: ['ticket.created'],
      }),
      'url',
    );
    assertValidationError(
      await admin.api.post('/api/webhooks', { name: 'x', url: 'https://example.com/', events: [] }),
      'events',
    );
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '192.168.0.10',
      '169.254.169.254',
      '::1',
      '::ffff:10.0.0.1',
      'fd00::1',
    ]) {
      assert.ok(isPrivateAddress(address), address);
    }
    assert.ok(!isPrivateAddress('8.8.8.8'));
    await assert.rejects(checkWebhookUrl('http://127.0.0.1:9/hook', false), /url: points to a loopback/);
    await assert.rejects(checkWebhookUrl('http://[::1]/hook', false), /url: points to a loopback/);
    await checkWebhookUrl('http://127.0.0.1:9/hook', true);
  });
});

/** A POSTed event as the receiver parsed it. */
interface ReceivedEvent {
  id: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown> & { ticketId: string; ticketNumber: number };
  delivery: string;
  verified: boolean;
}

function eventsAt(receiver: { received: Received[] }): ReceivedEvent[] {
  return receiver.received.map((item) => ({
    ...(JSON.parse(item.body) as Omit<ReceivedEvent, 'delivery' | 'verified'>),
    delivery: String(item.headers['x-helpdesk-delivery']),
    verified: item.verified,
  }));
}

describe('outgoing webhooks: every committed event is delivered (transactional outbox)', () => {
  let redis: PrivateRedis;
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const workers: ChildProcess[] = [];

  const startWorker = () => {
    const worker = helpdesk.startWorkerProcess();
    workers.push(worker);
    return worker;
  };
  const stopWorkers = async () => {
    for (const worker of workers.splice(0)) {
      if (worker.exitCode !== null || worker.signalCode !== null) continue;
      const exited = once(worker, 'exit');
      worker.kill('SIGKILL');
      await exited;
    }
  };
  /** Our id and ticket of a customer's message, once a worker has stored it. */
  const storedMessage = (providerMessageId: string, timeoutMs = 90_000) =>
    waitFor(
      async () =>
        (
          await query<{ id: string; ticket_id: string }>(
            helpdesk.database.url,
            `SELECT id, ticket_id FROM messages WHERE provider_message_id = $1`,
            [providerMessageId],
          )
        )[0],
      timeoutMs,
      `message ${providerMessageId} stored`,
    );
  let phoneCounter = 0;
  const newPhone = () => `+20102${String((Date.now() + phoneCounter++) % 1_000_000).padStart(6, '0')}`;

  before(async () => {
    redis = await startPrivateRedis();
    helpdesk = await startTestHelpdesk({
      inProcessWorkers: false,
      env: {
        REDIS_URL: redis.url,
        ALLOW_PRIVATE_WEBHOOK_URLS: 'true',
        OUTGOING_WEBHOOK_ATTEMPTS: '5',
        OUTGOING_WEBHOOK_BACKOFF_MS: '200',
        JOB_ATTEMPTS: '3',
      },
    });
    admin = await createAgent(helpdesk, { name: 'Outbox Admin', role: 'admin', capacity: 100 });
    receiver = await startReceiver();
    const hook = await admin.api.post<OutgoingWebhookCreated>('/api/webhooks', {
      name: 'Everything',
      url: receiver.url,
      events: ['ticket.created', 'ticket.status', 'ticket.assigned', 'message.created'],
    });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    receiver.secret.value = hook.body.secret;
  });
  after(async () => {
    receiver?.server.close();
    await stopWorkers();
    await helpdesk?.stop();
    await redis?.stop();
  });

  it('when Redis is down for the API at the moment of a status change, then ticket.status arrives once Redis is back', async () => {
    await stopWorkers();
    startWorker();
    const event = textEvent(newPhone(), 'is my order ready?');
    assert.equal((await helpdesk.postWppconnect(event)).status, 202);
    const message = await storedMessage(event.message.providerMessageId);
    await waitFor(
      () =>
        eventsAt(receiver).find(
          (item) => item.type === 'message.created' && item.data.messageId === message.id,
        ),
      60_000,
      'message.created at the receiver',
    );

    await redis.kill();
    try {
      const changed = await admin.api.post(`/api/tickets/${message.ticket_id}/status`, { status: 'pending' });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
    } finally {
      await redis.start();
    }

    const status = await waitFor(
      () =>
        eventsAt(receiver).find(
          (item) => item.type === 'ticket.status' && item.data.ticketId === message.ticket_id,
        ),
      90_000,
      'ticket.status at the receiver after Redis came back',
    );
    assert.ok(status.verified, 'signed');
    assert.deepEqual(Object.keys(status), ['id', 'type', 'occurredAt', 'data', 'delivery', 'verified']);
    assert.deepEqual(status.data, {
      ticketId: message.ticket_id,
      ticketNumber: status.data.ticketNumber,
      status: 'pending',
      previousStatus: 'open',
    });
    assert.equal(typeof status.data.ticketNumber, 'number');
    assert.ok(!Number.isNaN(Date.parse(status.occurredAt)));
    await stopWorkers();
  });

  it('when the worker is killed after committing a customer message and before announcing it, then the next worker delivers it', async () => {
    // The victim is the only worker: it is the one that stores the message.
    await stopWorkers();
    const victim = startWorker();
    const phone = newPhone();
    const providerMessageId = `false_${phone.slice(1)}@c.us_LATE${Date.now().toString(16)}`;
    // A reaction to a message not stored yet runs out of attempts and is kept: the worker that
    // stores the message applies it right after its commit, which this test holds with a row lock.
    const reaction = {
      eventId: `wppconnect:pharmacy:reaction:${providerMessageId}`,
      type: 'reaction',
      reaction: {
        provider: 'wppconnect',
        channel: 'pharmacy',
        providerMessageId,
        timestamp: new Date().toISOString(),
        from: { phone, lid: null, userId: null },
        emoji: '👍',
      },
    };
    // The API's Redis may still be reconnecting after the test before: 503 until then, and the
    // sidecar retries a 503 (the API's contract), as this does.
    const accepted = await waitFor(
      async () => {
        const response = await helpdesk.postWppconnect(reaction);
        return response.status === 503 ? null : response;
      },
      30_000,
      'the reaction accepted',
    );
    assert.equal(accepted.status, 202);
    await waitFor(
      async () =>
        (
          await query(
            helpdesk.database.url,
            `SELECT 1 FROM message_changes WHERE provider_message_id = $1 AND message_id IS NULL`,
            [providerMessageId],
          )
        ).length === 1,
      90_000,
      'the reaction kept',
    );
    const lock = new pg.Client({ connectionString: helpdesk.database.url });
    await lock.connect();
    try {
      await lock.query('BEGIN');
      await lock.query(`SELECT id FROM message_changes WHERE provider_message_id = $1 FOR UPDATE`, [
        providerMessageId,
      ]);
      const event = textEvent(phone, 'my prescription, please', { id: providerMessageId });
      assert.equal((await helpdesk.postWppconnect(event)).status, 202);
      const message = await storedMessage(providerMessageId);
      // Committed, and the worker waits for the lock right after its commit: it has announced
      // nothing and now never will.
      await waitFor(
        async () =>
          (
            await query(
              helpdesk.database.url,
              `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                  AND query LIKE 'UPDATE message_changes%'`,
            )
          ).length > 0,
        60_000,
        'the worker waiting for the lock after its commit',
      );
      const exited = once(victim, 'exit');
      victim.kill('SIGKILL');
      await exited;
      await lock.query('ROLLBACK');

      startWorker();
      const delivered = await waitFor(
        () => {
          const events = eventsAt(receiver).filter((item) => item.data.ticketId === message.ticket_id);
          const created = events.find(
            (item) => item.type === 'message.created' && item.data.messageId === message.id,
          );
          const opened = events.find((item) => item.type === 'ticket.created');
          return created && opened ? { created, opened } : null;
        },
        90_000,
        'message.created and ticket.created from the next worker',
      );
      assert.deepEqual(delivered.created.data, {
        ticketId: message.ticket_id,
        ticketNumber: delivered.created.data.ticketNumber,
        messageId: message.id,
        direction: 'inbound',
        author: 'customer',
        type: 'text',
      });
      assert.equal(delivered.opened.data.firstMessageId, message.id);
      assert.ok(delivered.created.verified && delivered.opened.verified, 'signed');
    } finally {
      await lock.end();
    }
    await stopWorkers();
  });

  it('when customers write a burst handled by two workers, then every event arrives once', async () => {
    await stopWorkers();
    startWorker();
    startWorker();
    const before = new Set(eventsAt(receiver).map((item) => item.id));
    const events = Array.from({ length: 24 }, (_, index) =>
      textEvent(`+20103${String((Date.now() + (index % 6)) % 1_000_000).padStart(6, '0')}`, `burst ${index}`),
    );
    const statuses = await Promise.all(
      events.map((event) => helpdesk.postWppconnect(event).then((r) => r.status)),
    );
    assert.deepEqual([...new Set(statuses)], [202]);
    const messages = await waitFor(
      async () => {
        const stored = await query<{ id: string; ticket_id: string }>(
          helpdesk.database.url,
          `SELECT id, ticket_id FROM messages WHERE provider_message_id = ANY($1)`,
          [events.map((event) => event.message.providerMessageId)],
        );
        return stored.length === events.length ? stored : null;
      },
      180_000,
      'every message of the burst stored',
    );
    const messageIds = new Set(messages.map((message) => message.id));
    const ticketIds = new Set(messages.map((message) => message.ticket_id));
    await waitFor(
      () => {
        const created = eventsAt(receiver).filter(
          (item) => item.type === 'message.created' && messageIds.has(String(item.data.messageId)),
        );
        return new Set(created.map((item) => item.data.messageId)).size === messageIds.size;
      },
      60_000,
      'message.created for every message',
    );
    // Until nothing is left to deliver (the delivery log's pending rows).
    await waitFor(
      async () =>
        (
          await query(
            helpdesk.database.url,
            `SELECT 1 FROM webhook_deliveries WHERE status = 'pending' LIMIT 1`,
          )
        ).length === 0,
      60_000,
      'no delivery pending',
    );
    const burst = eventsAt(receiver).filter(
      (item) => !before.has(item.id) && ticketIds.has(item.data.ticketId),
    );
    assert.ok(
      burst.every((item) => item.verified),
      'every event signed',
    );
    const ids = burst.map((item) => item.id);
    assert.equal(new Set(ids).size, ids.length, `no event id twice: ${ids.length} events`);
    const deliveries = burst.map((item) => item.delivery);
    assert.equal(new Set(deliveries).size, deliveries.length, 'no delivery id twice');
    const messageCreated = burst.filter(
      (item) => item.type === 'message.created' && messageIds.has(String(item.data.messageId)),
    );
    assert.equal(messageCreated.length, messageIds.size, 'one message.created per customer message');
    const ticketCreated = burst.filter((item) => item.type === 'ticket.created');
    assert.deepEqual(
      ticketCreated.map((item) => item.data.ticketId).sort(),
      [...ticketIds].sort(),
      'one ticket.created per ticket',
    );
    await stopWorkers();
  });
});
