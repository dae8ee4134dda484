/**
 * Outbox durability: the helpdesk is down, then answering 503; 100 inbound messages across several chats are
 * held; when it recovers all arrive once and in order per chat. Also: dead letters for 4xx, and a restart of
 * the sidecar mid-outage loses nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InboundMessage } from '../src/events/types';
import { API_KEY, HelpdeskStub, waitFor } from './helpers';
import { startTestSidecar } from './test-sidecar';
import { fixtures } from './wpp-fixtures';

const CHATS = [
  '201001110001@c.us',
  '201001110002@c.us',
  '201001110003@c.us',
  '201001110004@c.us',
  '187650000000001@lid',
];

function messagesOf(stub: HelpdeskStub): InboundMessage[] {
  return stub.received.flatMap((r) => (r.event.type === 'message' ? [r.event.message] : []));
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

  it('when the helpdesk answers 400, then the event is dead-lettered and later events still flow', async () => {
    const stub = new HelpdeskStub();
    await stub.start();
    const running = await startTestSidecar({ env: { HELPDESK_WEBHOOK_URL: stub.url }, waitFor: 'connected' });
    const { fake, sidecar } = running;
    try {
      const bad = fixtures.text('201001110009@c.us', 'rejected');
      const good = fixtures.text('201001110009@c.us', 'accepted');
      stub.respond = (event) =>
        event.type === 'message' && event.message.providerMessageId === bad.id ? 400 : 202;
      fake.emitMessage(bad);
      fake.emitMessage(good);
      await waitFor(() => messagesOf(stub).some((m) => m.providerMessageId === good.id), 'the good event');
      const res = await fetch(`${sidecar.url}/api/outbox`, { headers: { 'x-api-key': API_KEY } });
      const stats = (await res.json()) as {
        counts: Record<string, number>;
        failed: Array<{ eventId: string; reason: string; attempts: number }>;
      };
      assert.equal(stats.counts.failed, 1);
      assert.equal(stats.failed[0]!.eventId, `wppconnect:test:${bad.id}`);
      assert.match(stats.failed[0]!.reason, /HTTP 400.*not retryable/);
      assert.equal(stats.failed[0]!.attempts, 1);
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
