/**
 * `POST /api/tickets/:id/messages/:messageId/retry`: an agent's reply that WhatsApp refused (the
 * stand-in sidecar fails the send) is sent again, once, through the real outbound job, and the
 * console is told (queued, then sent). Only failed outbound messages, only by who may reply, and
 * never twice however often the button is pressed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { messageSchema, type Message } from '@whatsapp-helpdesk/contract/api';
import { startTestHelpdesk, waitFor, type TestHelpdesk } from '../support/harness';
import { assertMatches, assertValidationError, createAgent, seedTicket, type TestAgent } from './api-support';
import { openStream } from './sse-client';

describe("agents' API: retrying a failed message", () => {
  let helpdesk: TestHelpdesk;
  let mona: TestAgent;
  let omar: TestAgent;
  let ticket: Awaited<ReturnType<typeof seedTicket>>;

  before(async () => {
    helpdesk = await startTestHelpdesk();
    mona = await createAgent(helpdesk, { name: 'Mona', availability: 'away' });
    omar = await createAgent(helpdesk, { name: 'Omar', availability: 'away' });
    ticket = await seedTicket(helpdesk.context.db, { assigneeId: mona.id, text: 'هل يوجد بنادول؟' });
  });
  after(() => helpdesk.stop());

  /** Mona replies while the sidecar refuses every send (HTTP 400: not retryable); the reply fails. */
  async function failedReply(text: string): Promise<Message> {
    helpdesk.sidecar.failSendsWith = 400;
    try {
      const reply = await mona.api.post<Message>(`/api/tickets/${ticket.id}/messages`, { text });
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      await waitFor(
        async () => (await deliveryStatus(reply.body.id)) === 'failed' || null,
        10_000,
        'the reply failed',
      );
      return reply.body;
    } finally {
      helpdesk.sidecar.failSendsWith = null;
    }
  }

  async function deliveryStatus(messageId: string): Promise<string | undefined> {
    const message = await helpdesk.context.db.message.findUnique({ where: { id: messageId } });
    return message?.deliveryStatus;
  }

  const sendsOf = (text: string) => helpdesk.sidecar.sends.filter((send) => send.text === text);

  it('when a failed reply is retried, then it is queued again, sent once, and the console hears both', async () => {
    const text = 'نعم، البنادول متوفر';
    const reply = await failedReply(text);
    const failed = await mona.api.get<{ messages: Message[] }>(`/api/tickets/${ticket.id}`);
    const shown = failed.body.messages.find((message) => message.id === reply.id);
    assert.equal(shown?.deliveryStatus, 'failed');
    assert.match(shown?.error ?? '', /400/);
    assert.equal(sendsOf(text).length, 0);

    const stream = await openStream(helpdesk.url, mona.token);
    try {
      const retried = await mona.api.post<Message>(`/api/tickets/${ticket.id}/messages/${reply.id}/retry`);
      assert.equal(retried.status, 202, JSON.stringify(retried.body));
      assertMatches(messageSchema, retried.body, 'retried message');
      assert.equal(retried.body.id, reply.id);
      assert.equal(retried.body.deliveryStatus, 'queued');
      assert.equal(retried.body.error, null);

      await waitFor(async () => (await deliveryStatus(reply.id)) === 'sent' || null, 10_000, 'sent');
      assert.equal(sendsOf(text).length, 1, 'delivered to the sidecar once');
      await stream.next(
        (event) =>
          event.event === 'message.status' &&
          event.data.messageId === reply.id &&
          event.data.deliveryStatus === 'queued',
        5000,
        'queued again',
      );
      await stream.next(
        (event) =>
          event.event === 'message.status' &&
          event.data.messageId === reply.id &&
          event.data.deliveryStatus === 'sent',
        5000,
        'sent',
      );
    } finally {
      stream.close();
    }
    const thread = await mona.api.get<{ messages: Message[] }>(`/api/tickets/${ticket.id}`);
    const after = thread.body.messages.filter((message) => message.id === reply.id);
    assert.equal(after.length, 1, 'the same message, not a copy');
    assert.equal(after[0]?.deliveryStatus, 'sent');
    assert.equal(after[0]?.error, null);

    // Sent now: a second retry is refused.
    const again = await mona.api.post<{ error: string; message: string }>(
      `/api/tickets/${ticket.id}/messages/${reply.id}/retry`,
    );
    assert.equal(again.status, 409);
    assert.match(again.body.message, /only a failed message.*sent/);
  });

  it('when retry is pressed twice at once, then one is accepted and the message is sent once', async () => {
    const text = 'سنرسل لك الطلب خلال ساعة';
    const reply = await failedReply(text);
    const path = `/api/tickets/${ticket.id}/messages/${reply.id}/retry`;
    const answers = await Promise.all([mona.api.post(path), mona.api.post(path), mona.api.post(path)]);
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [202, 409, 409]);
    await waitFor(async () => (await deliveryStatus(reply.id)) === 'sent' || null, 10_000, 'sent');
    await new Promise((resolve) => setTimeout(resolve, 500)); // let any second job run, if there were one
    assert.equal(sendsOf(text).length, 1);
  });

  it("when the message is the customer's, unknown, on another ticket, or the caller may not reply, then 409, 404 or 403", async () => {
    const reply = await failedReply('رسالة ستفشل');
    const thread = await mona.api.get<{ messages: Message[] }>(`/api/tickets/${ticket.id}`);
    const inbound = thread.body.messages.find((message) => message.direction === 'inbound')!;
    const fromCustomer = await mona.api.post<{ message: string }>(
      `/api/tickets/${ticket.id}/messages/${inbound.id}/retry`,
    );
    assert.equal(fromCustomer.status, 409);
    assert.match(fromCustomer.body.message, /customer message/);

    const unknown = '00000000-0000-4000-8000-000000000000';
    assert.equal((await mona.api.post(`/api/tickets/${ticket.id}/messages/${unknown}/retry`)).status, 404);
    const other = await seedTicket(helpdesk.context.db, { assigneeId: mona.id });
    assert.equal((await mona.api.post(`/api/tickets/${other.id}/messages/${reply.id}/retry`)).status, 404);
    assertValidationError(
      await mona.api.post(`/api/tickets/${ticket.id}/messages/not-a-uuid/retry`),
      'messageId',
    );

    assert.equal((await omar.api.post(`/api/tickets/${ticket.id}/messages/${reply.id}/retry`)).status, 403);
    assert.equal(await deliveryStatus(reply.id), 'failed', 'untouched by refused retries');
  });

  it('when the ticket is resolved, or a Cloud API customer wrote more than 24 hours ago, then 409 and it stays failed', async () => {
    const db = helpdesk.context.db;
    const resolved = await seedTicket(db, { assigneeId: mona.id, status: 'resolved' });
    const lateCloud = await seedTicket(db, { assigneeId: mona.id });
    const longAgo = new Date(Date.now() - 25 * 3600 * 1000);
    await db.ticket.update({
      where: { id: lateCloud.id },
      data: { provider: 'cloud', lastInboundAt: longAgo },
    });
    for (const target of [resolved, lateCloud]) {
      const message = await db.message.create({
        data: {
          ticketId: target.id,
          channel: 'pharmacy',
          provider: target === lateCloud ? 'cloud' : 'wppconnect',
          direction: 'outbound',
          author: 'agent',
          agentId: mona.id,
          type: 'text',
          text: 'لم تصل',
          deliveryStatus: 'failed',
          error: 'HTTP 400',
        },
      });
      const answer = await mona.api.post<{ message: string; details?: { code?: string } }>(
        `/api/tickets/${target.id}/messages/${message.id}/retry`,
      );
      assert.equal(answer.status, 409, JSON.stringify(answer.body));
      if (target === lateCloud) assert.equal(answer.body.details?.code, 'outside_customer_service_window');
      else assert.match(answer.body.message, /resolved/);
      assert.equal(await deliveryStatus(message.id), 'failed');
    }
  });
});
