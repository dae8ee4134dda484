/**
 * The outbox keeps order per chat, not globally: while the helpdesk refuses one chat's events, the other
 * chats' events (and the sessions' own state events) are delivered, and the refused chat's events arrive
 * afterwards, each once and in their original order, across a restart of the sidecar too. Real Redis
 * (BullMQ), real HTTP, the fake WhatsApp client and a stand-in helpdesk.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SidecarInboundMessage, SidecarWebhookEvent } from '@whatsapp-helpdesk/contract/sidecar-events';
import { API_KEY, HelpdeskStub, waitFor } from './helpers';
import { startTestSidecar } from './test-sidecar';
import { fixtures } from './wpp-fixtures';

const CHAT_A = '201001110201@c.us';
const CHAT_B = '201001110202@c.us';
const CHAT_C = '187650000000201@lid';

function messagesOf(stub: HelpdeskStub): SidecarInboundMessage[] {
  return stub.received.flatMap((r) => (r.event.type === 'message' ? [r.event.message] : []));
}

/** The chat a fixture message came from, as the event names its sender. */
function chatOf(message: SidecarInboundMessage): string {
  return message.from.lid ?? `${message.from.phone?.slice(1)}@c.us`;
}

function isChatA(event: SidecarWebhookEvent): boolean {
  return event.type === 'message' && chatOf(event.message) === CHAT_A;
}

interface OutboxAnswer {
  counts: Record<string, number>;
  helpdeskOutage: { lastError: string } | null;
  failed: unknown[];
}

async function outboxStats(url: string): Promise<OutboxAnswer> {
  const res = await fetch(`${url}/api/outbox`, { headers: { 'x-api-key': API_KEY } });
  return (await res.json()) as OutboxAnswer;
}

describe('outbox order per chat', () => {
  for (const [answer, kind] of [
    [503, 'unavailable (an outage: no attempt used)'],
    [500, 'failing (a rejection: attempts used)'],
  ] as const) {
    it(`when the helpdesk answers ${answer} for one chat's events, then the other chats go on and that chat's events follow later in order (${kind})`, async () => {
      const stub = new HelpdeskStub();
      await stub.start();
      let refusingA = true;
      let refusals = 0;
      stub.respond = (event) => {
        if (refusingA && isChatA(event)) {
          refusals++;
          return answer;
        }
        return 202;
      };
      const running = await startTestSidecar({
        env: { HELPDESK_WEBHOOK_URL: stub.url },
        sessionEvents: true,
        waitFor: 'connected',
      });
      try {
        const { fake, sidecar } = running;
        const sentA: string[] = [];
        const sentOthers: string[] = [];
        for (let i = 0; i < 4; i++) {
          const a = fixtures.text(CHAT_A, `a${i}`);
          sentA.push(a.id);
          fake.emitMessage(a);
          for (const chat of [CHAT_B, CHAT_C]) {
            const other = fixtures.text(chat, `${chat} ${i}`);
            sentOthers.push(other.id);
            fake.emitMessage(other);
          }
        }
        await waitFor(
          () => sentOthers.every((id) => messagesOf(stub).some((m) => m.providerMessageId === id)),
          'the other chats delivered while chat A is refused',
        );
        await waitFor(() => refusals >= 3, 'chat A refused several times');
        assert.equal(messagesOf(stub).filter((m) => chatOf(m) === CHAT_A).length, 0, 'nothing of chat A yet');
        assert.ok(
          stub.received.some((r) => r.event.type === 'session' && r.event.state === 'connected'),
          'the session events have their own lane too',
        );
        // The others delivered, their jobs complete a moment after the answer: then only chat A's wait.
        const held = await waitFor(async () => {
          const stats = await outboxStats(sidecar.url);
          return stats.counts.waiting! + stats.counts.active! === 4 ? stats : null;
        }, 'chat A’s four events waiting, and only those');
        assert.equal(held.counts.failed, 0);
        if (answer === 503) assert.match(String(held.helpdeskOutage?.lastError), /^HTTP 503/);

        // Later events of the other chats still pass chat A's held ones.
        const late = fixtures.text(CHAT_B, 'late in chat B');
        fake.emitMessage(late);
        await waitFor(
          () => messagesOf(stub).some((m) => m.providerMessageId === late.id),
          'a later event of chat B',
        );

        refusingA = false;
        await waitFor(() => messagesOf(stub).filter((m) => chatOf(m) === CHAT_A).length >= 4, 'chat A');
        await waitFor(async () => (await outboxStats(sidecar.url)).counts.waiting === 0, 'the outbox empty');
        const got = messagesOf(stub);
        assert.deepEqual(
          got.filter((m) => chatOf(m) === CHAT_A).map((m) => m.providerMessageId),
          sentA,
          'chat A: each once, in the original order',
        );
        for (const chat of [CHAT_B, CHAT_C]) {
          const ofChat = got.filter((m) => chatOf(m) === chat).map((m) => m.providerMessageId);
          assert.deepEqual(
            ofChat,
            [...sentOthers, late.id].filter((id) => id.includes(chat)),
            `order of ${chat}`,
          );
        }
        const lastOther = Math.max(
          ...sentOthers.map((id) => got.findIndex((m) => m.providerMessageId === id)),
        );
        const firstA = got.findIndex((m) => m.providerMessageId === sentA[0]);
        assert.ok(firstA > lastOther, 'chat A arrived after the others');
        const done = await outboxStats(sidecar.url);
        assert.equal(done.counts.failed, 0);
        assert.equal(done.helpdeskOutage, null);
      } finally {
        await running.stop();
        await stub.stop();
      }
    });
  }

  it('when the sidecar restarts while one chat is refused, then its events keep their place and order, and the other chats go on', async () => {
    const stub = new HelpdeskStub();
    await stub.start();
    let refusingA = true;
    stub.respond = (event) => (refusingA && isChatA(event) ? 503 : 202);
    const running = await startTestSidecar({ env: { HELPDESK_WEBHOOK_URL: stub.url }, waitFor: 'connected' });
    try {
      const sentA: string[] = [];
      for (let i = 0; i < 5; i++) {
        const a = fixtures.text(CHAT_A, `before restart ${i}`);
        sentA.push(a.id);
        running.fake.emitMessage(a);
      }
      const b1 = fixtures.text(CHAT_B, 'b before restart');
      running.fake.emitMessage(b1);
      await waitFor(() => messagesOf(stub).some((m) => m.providerMessageId === b1.id), 'chat B before');
      await running.sidecar.inbound.idle();

      const restarted = await running.restart();
      await restarted.waitForState('connected');
      const a5 = fixtures.text(CHAT_A, 'after restart');
      sentA.push(a5.id);
      running.fake.emitMessage(a5);
      const b2 = fixtures.text(CHAT_B, 'b after restart');
      running.fake.emitMessage(b2);
      await waitFor(() => messagesOf(stub).some((m) => m.providerMessageId === b2.id), 'chat B after');
      assert.equal(messagesOf(stub).filter((m) => chatOf(m) === CHAT_A).length, 0);
      await waitFor(async () => {
        const { counts } = await outboxStats(restarted.url);
        return counts.waiting! + counts.active! === 6;
      }, 'chat A’s six events held, and only those');

      refusingA = false;
      await waitFor(() => messagesOf(stub).filter((m) => chatOf(m) === CHAT_A).length >= 6, 'chat A');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(
        messagesOf(stub)
          .filter((m) => chatOf(m) === CHAT_A)
          .map((m) => m.providerMessageId),
        sentA,
        'each once, in order, across the restart',
      );
    } finally {
      await running.stop();
      await stub.stop();
    }
  });
});
