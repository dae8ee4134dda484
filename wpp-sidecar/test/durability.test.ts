/**
 * Outbox durability: the helpdesk is down, then answering 503; 100 inbound messages across several chats are
 * held; when it recovers all arrive once and in order per chat. A 503 outage longer than the whole attempt
 * budget dead-letters nothing (outages use no attempt) and is visible in `GET /api/outbox` and `/metrics`.
 * A rejecting answer (400) uses the budget, then dead-letters; `POST /api/outbox/retry` re-drives it.
 * A restart of the sidecar mid-outage loses nothing. And the classification of the helpdesk's answers.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { SidecarInboundMessage } from '@whatsapp-helpdesk/contract/sidecar-events';
import { retryDelayMs } from '../src/outbox/outbox';
import { parseRetryAfter, postWebhook } from '../src/outbox/post-webhook';
import { API_KEY, HelpdeskStub, WEBHOOK_SECRET, waitFor } from './helpers';
import { startTestSidecar } from './test-sidecar';
import { fixtures } from './wpp-fixtures';

const CHATS = [
  '201001110001@c.us',
  '201001110002@c.us',
  '201001110003@c.us',
  '201001110004@c.us',
  '187650000000001@lid',
];

function messagesOf(stub: HelpdeskStub): SidecarInboundMessage[] {
  return stub.received.flatMap((r) => (r.event.type === 'message' ? [r.event.message] : []));
}

interface OutboxAnswer {
  counts: Record<string, number>;
  helpdeskOutage: { since: string; lastError: string; failedAttempts: number; nextAttemptAt: string } | null;
  failed: Array<{ eventId: string; reason: string; attempts: number }>;
}

async function outboxStats(url: string): Promise<OutboxAnswer> {
  const res = await fetch(`${url}/api/outbox`, { headers: { 'x-api-key': API_KEY } });
  assert.equal(res.status, 200);
  return (await res.json()) as OutboxAnswer;
}

/** The value of an unlabelled metric on `GET /metrics` (null when absent). */
async function metric(url: string, name: string): Promise<number | null> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : null;
}

/** `POST /api/outbox/retry` with `body`; `key` null sends none. */
async function redrive(url: string, body: unknown, key: string | null = API_KEY, path = '/api/outbox/retry') {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('outbox durability', () => {
  it('when the helpdesk is down then 503, then 100 messages are held and later arrive once, in order per chat', async () => {
    const stub = new HelpdeskStub();
    await stub.start();
    const port = stub.port;
    await stub.stop(); // down: connection refused
    const running = await startTestSidecar({ env: { HELPDESK_WEBHOOK_URL: stub.url }, waitFor: 'connected' });
    const { fake, sidecar } = running;
    try {
      const sent: string[][] = CHATS.map(() => []);
      for (let i = 0; i < 100; i++) {
        const chat = i % CHATS.length;
        const m = fixtures.text(CHATS[chat], `message ${i}`);
        sent[chat]!.push(m.id);
        fake.emitMessage(m);
      }
      await sidecar.inbound.idle();
      const stats = async () => {
        const res = await fetch(`${sidecar.url}/api/outbox`, { headers: { 'x-api-key': API_KEY } });
        return (await res.json()) as { counts: Record<string, number>; failed: unknown[] };
      };
      const held = await stats();
      assert.equal(held.counts.waiting! + held.counts.active!, 100);
      assert.equal(held.counts.failed, 0);

      // Back, but overloaded: 503 for a while.
      let refusals = 0;
      stub.respond = () => (refusals++ < 10 ? 503 : 202);
      await stub.start(port);
      await waitFor(() => messagesOf(stub).length >= 100, '100 deliveries', 30_000);
      await new Promise((resolve) => setTimeout(resolve, 200));

      const got = messagesOf(stub);
      assert.equal(got.length, 100, 'exactly 100 deliveries');
      assert.equal(new Set(got.map((m) => m.providerMessageId)).size, 100, 'no duplicates');
      CHATS.forEach((chat, index) => {
        const order = got.filter((m) => (m.from.lid ?? `${m.from.phone?.slice(1)}@c.us`) === chat);
        assert.deepEqual(
          order.map((m) => m.providerMessageId),
          sent[index],
          `order for ${chat}`,
        );
      });
      const done = await stats();
      assert.equal(done.counts.waiting! + done.counts.active! + done.counts.delayed!, 0);
      assert.equal(done.counts.failed, 0);
    } finally {
      await running.stop();
      await stub.stop();
    }
  });

  it('when the helpdesk answers 503 for longer than the whole attempt budget, then nothing is dead-lettered and every event arrives once, in order', async () => {
    const stub = new HelpdeskStub();
    await stub.start();
    let refusals = 0;
    let outage = true;
    stub.respond = () => {
      if (!outage) return 202;
      refusals++;
      return 503;
    };
    // Budget 3 with 5..20 ms waits: the old outbox dead-lettered each event after 3 refusals (~25 ms).
    const running = await startTestSidecar({
      env: {
        HELPDESK_WEBHOOK_URL: stub.url,
        OUTBOX_MAX_ATTEMPTS: '3',
        OUTBOX_BACKOFF_BASE_MS: '5',
        OUTBOX_BACKOFF_MAX_MS: '20',
      },
      waitFor: 'connected',
    });
    const { fake, sidecar } = running;
    try {
      const sent: string[] = [];
      for (let i = 0; i < 20; i++) {
        const m = fixtures.text(CHATS[i % CHATS.length], `held ${i}`);
        sent.push(m.id);
        fake.emitMessage(m);
      }
      await sidecar.inbound.idle();
      // Ten times the budget of refusals for the head event: the outage outlasts the old budget.
      await waitFor(() => refusals >= 30, '30 refusals');

      const held = await outboxStats(sidecar.url);
      assert.equal(held.counts.failed, 0, 'nothing dead-lettered during the outage');
      assert.equal(held.counts.heldByOutage, 20, 'every event is held by the outage');
      assert.equal(held.counts.waiting! + held.counts.active!, 20);
      assert.ok(held.helpdeskOutage, 'the outage is reported');
      assert.match(held.helpdeskOutage.lastError, /^HTTP 503/);
      assert.ok(held.helpdeskOutage.failedAttempts >= 3);
      assert.equal(await metric(sidecar.url, 'wpp_sidecar_outbox_held_by_helpdesk_outage'), 20);

      outage = false;
      await waitFor(() => messagesOf(stub).length >= 20, '20 deliveries');
      await waitFor(async () => (await outboxStats(sidecar.url)).counts.completed === 20, 'all completed');

      const got = messagesOf(stub).map((m) => m.providerMessageId);
      assert.deepEqual([...got].sort(), [...sent].sort(), 'each event once');
      // The outbox keeps the order events entered it; across chats that order is the inbound
      // pipeline's (a @lid chat waits for its lookup), so the order checked is each chat's.
      for (const chat of CHATS) {
        const ofChat = (ids: string[]) =>
          ids.filter((id) => sent.indexOf(id) % CHATS.length === CHATS.indexOf(chat));
        assert.deepEqual(ofChat(got), ofChat(sent), `the order received, in chat ${chat}`);
      }
      const done = await outboxStats(sidecar.url);
      assert.equal(done.counts.failed, 0);
      assert.deepEqual(done.failed, []);
      assert.equal(done.counts.heldByOutage, 0);
      assert.equal(done.helpdeskOutage, null);
      assert.equal(await metric(sidecar.url, 'wpp_sidecar_outbox_held_by_helpdesk_outage'), 0);
    } finally {
      await running.stop();
      await stub.stop();
    }
  });

  it('when the helpdesk answers 400, then the event is dead-lettered after the attempt budget, later events flow, and POST /api/outbox/retry re-drives it', async () => {
    const stub = new HelpdeskStub();
    await stub.start();
    const running = await startTestSidecar({
      env: { HELPDESK_WEBHOOK_URL: stub.url, OUTBOX_MAX_ATTEMPTS: '3' },
      waitFor: 'connected',
    });
    const { fake, sidecar } = running;
    try {
      const bad1 = fixtures.text('201001110009@c.us', 'rejected one');
      const bad2 = fixtures.text('201001110009@c.us', 'rejected two');
      const good = fixtures.text('201001110009@c.us', 'accepted');
      const badIds = new Set([bad1.id, bad2.id]);
      const tries = new Map<string, number>();
      let rejecting = true;
      stub.respond = (event) => {
        if (event.type !== 'message') return 202;
        const id = event.message.providerMessageId;
        tries.set(id, (tries.get(id) ?? 0) + 1);
        return rejecting && badIds.has(id) ? 400 : 202;
      };
      fake.emitMessage(bad1);
      fake.emitMessage(bad2);
      fake.emitMessage(good);
      await waitFor(() => messagesOf(stub).some((m) => m.providerMessageId === good.id), 'the good event');
      const stats = await outboxStats(sidecar.url);
      assert.equal(stats.counts.failed, 2);
      assert.deepEqual(
        stats.failed.map((f) => f.eventId).sort(),
        [`wppconnect:test:${bad1.id}`, `wppconnect:test:${bad2.id}`].sort(),
      );
      for (const dead of stats.failed) {
        assert.match(dead.reason, /HTTP 400.*attempt budget OUTBOX_MAX_ATTEMPTS=3 spent/);
        assert.equal(dead.attempts, 3);
      }
      assert.equal(tries.get(bad1.id), 3, 'the budget: three POSTs, no more');
      assert.equal(tries.get(bad2.id), 3);
      assert.equal(stats.counts.heldByOutage, 0, 'a rejection is not an outage');
      assert.equal(stats.helpdeskOutage, null);

      // The re-drive route is authenticated like every /api route.
      const bad1Id = `wppconnect:test:${bad1.id}`;
      for (const path of ['/api/outbox/retry', '/%61pi/outbox/retry', '/api/outbox/%72etry']) {
        const open = await redrive(sidecar.url, { all: true }, null, path);
        assert.equal(open.status, 401, `${path} without the key`);
      }
      // Bad input names the field; an unknown id re-drives nothing.
      const empty = await redrive(sidecar.url, {});
      assert.equal(empty.status, 400);
      assert.match(String(empty.body.message), /"all": true or "eventIds"/);
      const none = await redrive(sidecar.url, { eventIds: [] });
      assert.equal(none.status, 400);
      assert.match(String(none.body.message), /"eventIds" must list at least one event id/);
      const unknown = await redrive(sidecar.url, { eventIds: [bad1Id, 'wppconnect:test:nope'] });
      assert.equal(unknown.status, 404);
      assert.match(
        String(unknown.body.message),
        /"eventIds" not in the dead-letter list: wppconnect:test:nope/,
      );
      assert.equal((await outboxStats(sidecar.url)).counts.failed, 2, 'nothing re-driven');

      // Fixed: re-drive one by id, then all the rest.
      rejecting = false;
      const one = await redrive(sidecar.url, { eventIds: [bad1Id] });
      assert.equal(one.status, 200);
      assert.deepEqual(one.body, { retried: [bad1Id] });
      await waitFor(() => messagesOf(stub).some((m) => m.providerMessageId === bad1.id), 'bad1 re-driven');
      const rest = await redrive(sidecar.url, { all: true });
      assert.equal(rest.status, 200);
      assert.deepEqual(rest.body, { retried: [`wppconnect:test:${bad2.id}`] });
      await waitFor(() => messagesOf(stub).some((m) => m.providerMessageId === bad2.id), 'bad2 re-driven');
      await waitFor(async () => (await outboxStats(sidecar.url)).counts.completed === 3, 'all completed');

      assert.deepEqual(
        messagesOf(stub).map((m) => m.providerMessageId),
        [good.id, bad1.id, bad2.id],
        'each delivered once',
      );
      const done = await outboxStats(sidecar.url);
      assert.equal(done.counts.failed, 0);
      assert.deepEqual(done.failed, []);
    } finally {
      await running.stop();
      await stub.stop();
    }
  });

  it('when the sidecar restarts during an outage, then held events are delivered after the restart', async () => {
    const stub = new HelpdeskStub();
    await stub.start();
    stub.respond = () => 503;
    const running = await startTestSidecar({ env: { HELPDESK_WEBHOOK_URL: stub.url }, waitFor: 'connected' });
    const { fake, sidecar } = running;
    try {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const m = fixtures.text('201001110010@c.us', `m${i}`);
        ids.push(m.id);
        fake.emitMessage(m);
      }
      await sidecar.inbound.idle();
      await new Promise((resolve) => setTimeout(resolve, 150));
      await running.restart(() => {
        stub.respond = () => 202;
      });
      await waitFor(() => messagesOf(stub).length >= 5, 'five deliveries after restart');
      assert.deepEqual(
        messagesOf(stub).map((m) => m.providerMessageId),
        ids,
      );
    } finally {
      await running.stop();
      await stub.stop();
    }
  });
});

describe('outbox retry policy', () => {
  it('when the helpdesk answers, then outages are transient and answers about the event are not (real HTTP)', async () => {
    const answers: Array<[number, Record<string, string>]> = [
      [503, { 'retry-after': '7' }],
      [502, {}],
      [504, {}],
      [429, { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }],
      [408, {}],
      [400, {}],
      [401, {}],
      [403, {}],
      [404, {}],
      [413, {}],
      [422, {}],
      [500, {}],
      [302, { location: 'http://127.0.0.1:9/elsewhere' }],
    ];
    let next = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const [status, headers] = answers[next++]!;
        res.writeHead(status, headers).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/wppconnect`;
    try {
      const results = [];
      for (let i = 0; i < answers.length; i++)
        results.push(await postWebhook(url, WEBHOOK_SECRET, '{}', 2000));
      const summary = results.map((r) => (r.ok ? 'ok' : `${r.status}:${r.transient}:${r.retryAfterMs}`));
      assert.deepEqual(summary, [
        '503:true:7000',
        '502:true:null',
        '504:true:null',
        '429:true:0',
        '408:true:null',
        '400:false:null',
        '401:false:null',
        '403:false:null',
        '404:false:null',
        '413:false:null',
        '422:false:null',
        '500:false:null',
        '302:false:null',
      ]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    const refused = await postWebhook('http://127.0.0.1:9/webhooks/wppconnect', WEBHOOK_SECRET, '{}', 2000);
    assert.ok(!refused.ok && refused.transient && refused.status === null, 'connection refused is transient');
  });

  it('when a Retry-After is given, then it sets the wait, within the base and the cap', () => {
    assert.equal(parseRetryAfter('10'), 10_000);
    assert.equal(parseRetryAfter(' 0 '), 0);
    assert.equal(parseRetryAfter('Thu, 01 Jan 1970 00:00:05 GMT', 0), 5000);
    assert.equal(parseRetryAfter('soon'), null);
    assert.equal(parseRetryAfter('-1'), null);
    assert.equal(parseRetryAfter(null), null);
    assert.equal(retryDelayMs(1, 10_000, 1000, 60_000), 10_000, 'Retry-After honoured');
    assert.equal(retryDelayMs(1, 3_600_000, 1000, 60_000), 60_000, 'capped');
    assert.equal(retryDelayMs(1, 0, 1000, 60_000), 1000, 'never below the base');
  });

  it('when failures go on, then the wait doubles from the base and never exceeds the cap', () => {
    const at = (failures: number, random: number) => retryDelayMs(failures, null, 1000, 60_000, random);
    assert.equal(at(1, 0.5), 1000);
    assert.equal(at(2, 0.5), 2000);
    assert.equal(at(6, 0.5), 32_000);
    assert.equal(at(7, 0.5), 60_000);
    assert.equal(at(7, 0.999), 60_000, 'jitter stays under the cap');
    assert.equal(at(1_000_000, 0), 48_000, 'no overflow after days of outage');
    assert.equal(at(1, 0), 800);
  });
});
