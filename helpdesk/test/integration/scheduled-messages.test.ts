/**
 * Scheduled messages and refill reminders (issue 17), through the real API, BullMQ delayed jobs in
 * Redis, the worker, PostgreSQL and the stand-in sidecar (which records every send as wpp-sidecar
 * receives it): a reminder 3 s ahead is sent once; with the worker process killed (SIGKILL) between
 * scheduling and sending it is still sent exactly once, a few seconds late at most; a refill with
 * repeat 2 is sent twice at its interval (REMINDER_DAY_MS shortens a "day" for the test); a
 * cancelled one is not sent; an opted-out customer gets nothing; "إلغاء" opts out and "START" opts
 * back in. And the API's 400s, each naming its field.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import {
  scheduledMessageListSchema,
  scheduledMessageSchema,
  type ScheduledMessage,
} from '@whatsapp-helpdesk/contract/api';
import { assertMatches, assertValidationError, createAgent, type TestAgent } from '../api/api-support';
import { addCloudChannel } from '../support/cloud-channel';
import { PHONE_NUMBER_ID } from '../support/cloud-payloads';
import { query } from '../support/database';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';
import type { StandInGraphApi } from '../support/stand-in-graph-api';

/** A reminder "day" in these tests, ms. */
const DAY_MS = 1500;

let phones = 0;
/** A valid Egyptian mobile number, new for each call (the pipeline skips invalid ones). */
function newPhone(): string {
  return `+20100${String(Date.now() % 100_000).padStart(5, '0')}${++phones % 10}${phones % 7}`;
}

/** A customer writes through the real webhook; @returns their ticket once stored. */
async function customerWrites(
  helpdesk: TestHelpdesk,
  phone: string,
  text: string,
): Promise<{ ticketId: string; customerId: string }> {
  const event = textEvent(phone, text);
  assert.equal((await helpdesk.postWppconnect(event)).status, 202);
  return waitFor(
    async () => {
      const found = await query<{ ticketId: string; customerId: string }>(
        helpdesk.database.url,
        `SELECT t.id AS "ticketId", t.customer_id AS "customerId"
           FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.provider_message_id = $1`,
        [event.message.providerMessageId],
      );
      return found[0];
    },
    15_000,
    `the message "${text}" stored`,
  );
}

function sendsOf(helpdesk: TestHelpdesk, text: string) {
  return helpdesk.sidecar.sends.filter((send) => send.text === text);
}

async function schedule(agent: TestAgent, ticketId: string, body: Record<string, unknown>) {
  return agent.api.post<ScheduledMessage>(`/api/tickets/${ticketId}/scheduled-messages`, body);
}

async function rowsOf(helpdesk: TestHelpdesk, customerId: string) {
  return query<{ status: string; reason: string | null; remaining: number | null; send_at: Date }>(
    helpdesk.database.url,
    `SELECT status, reason, remaining, send_at FROM scheduled_messages WHERE customer_id = $1 ORDER BY send_at`,
    [customerId],
  );
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('scheduled messages (worker in the test process)', () => {
  let helpdesk: TestHelpdesk;
  let agent: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk({ env: { REMINDER_DAY_MS: String(DAY_MS) } });
    agent = await createAgent(helpdesk, { name: 'Reminders', role: 'admin' });
  });
  after(() => helpdesk.stop());

  it('when a reminder is scheduled 3 s ahead, then it is sent once, at its time, on the customer ticket', async () => {
    const phone = newPhone();
    const { ticketId, customerId } = await customerWrites(helpdesk, phone, 'hello');
    const text = `Your prescription is ready ${Date.now()}`;
    const sendAt = new Date(Date.now() + 3000);
    const answer = await schedule(agent, ticketId, { sendAt: sendAt.toISOString(), text });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assertMatches(scheduledMessageSchema, answer.body);
    assert.equal(answer.body.status, 'scheduled');

    await pause(1500);
    assert.equal(sendsOf(helpdesk, text).length, 0, 'not sent before its time');
    await waitFor(() => sendsOf(helpdesk, text).length > 0, 15_000, 'the reminder sent');
    const sentAt = Date.now();
    assert.ok(sentAt >= sendAt.getTime(), 'not early');
    assert.ok(
      sentAt - sendAt.getTime() < 5000,
      `at most a few seconds late (${sentAt - sendAt.getTime()} ms)`,
    );
    await pause(1500); // room for a duplicate to show up
    assert.equal(sendsOf(helpdesk, text).length, 1, 'sent exactly once');

    const list = await agent.api.get(`/api/customers/${customerId}/scheduled-messages`);
    assert.equal(list.status, 200);
    assertMatches(scheduledMessageListSchema, list.body);
    const [item] = (list.body as { items: ScheduledMessage[] }).items;
    assert.equal(item!.status, 'sent');
    const stored = await query<{ ticket_id: string; author: string; delivery_status: string }>(
      helpdesk.database.url,
      `SELECT ticket_id, author, delivery_status FROM messages WHERE id = $1`,
      [item!.sentMessageId],
    );
    assert.deepEqual(stored, [{ ticket_id: ticketId, author: 'bot', delivery_status: 'sent' }]);
  });

  it('when its job runs before the time (clocks apart), then it waits for the time rather than the 30 s sweep', async () => {
    const { ticketId } = await customerWrites(helpdesk, newPhone(), 'early');
    const text = `early job ${Date.now()}`;
    const answer = await schedule(agent, ticketId, { inDays: 30, text });
    assert.equal(answer.status, 201);
    const sendAt = new Date(Date.now() + 2500);
    await query(helpdesk.database.url, `UPDATE scheduled_messages SET send_at = $2 WHERE id = $1`, [
      answer.body.id,
      sendAt,
    ]);
    // The delayed job replaced by one that runs at once, as a worker whose clock is ahead would.
    await helpdesk.context.queues.scheduled.remove(answer.body.id);
    await helpdesk.context.queues.scheduled.add(
      'send-scheduled',
      { kind: 'send-scheduled', scheduledMessageId: answer.body.id },
      { jobId: answer.body.id, removeOnComplete: true },
    );
    await waitFor(() => sendsOf(helpdesk, text).length > 0, 15_000, 'the reminder');
    const lateMs = Date.now() - sendAt.getTime();
    assert.ok(lateMs >= 0 && lateMs < 3000, `sent at its time (${lateMs} ms late)`);
  });

  it('when a refill reminder repeats 2 times, then it is sent twice, an interval apart', async () => {
    const { ticketId, customerId } = await customerWrites(helpdesk, newPhone(), 'refill please');
    const text = `Time to refill your Metformin ${Date.now()}`;
    const answer = await schedule(agent, ticketId, {
      inDays: '١', // Arabic-Indic 1
      text,
      kind: 'refill',
      medicine: 'Metformin 500',
      intervalDays: 1,
      repeat: 2,
    });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.remaining, 2);

    await waitFor(() => sendsOf(helpdesk, text).length >= 2, 20_000, 'two refill reminders');
    await pause(DAY_MS + 1000); // a third would have come by now
    assert.equal(sendsOf(helpdesk, text).length, 2, 'twice, no more');
    const rows = await rowsOf(helpdesk, customerId);
    assert.deepEqual(
      rows.map(({ status, remaining }) => ({ status, remaining })),
      [
        { status: 'sent', remaining: 2 },
        { status: 'sent', remaining: 1 },
      ],
    );
    assert.equal(
      rows[1]!.send_at.getTime() - rows[0]!.send_at.getTime(),
      DAY_MS,
      'scheduled on the previous one',
    );
  });

  it('when a reminder is cancelled, then it is not sent; a changed one is sent with its new text', async () => {
    const { ticketId, customerId } = await customerWrites(helpdesk, newPhone(), 'hi');
    const cancelledText = `cancelled ${Date.now()}`;
    const first = await schedule(agent, ticketId, {
      sendAt: new Date(Date.now() + 2000).toISOString(),
      text: cancelledText,
    });
    assert.equal(first.status, 201);
    const cancelled = await agent.api.fetch(`/api/scheduled-messages/${first.body.id}`, { method: 'DELETE' });
    assert.equal(cancelled.status, 200);
    assert.equal(((await cancelled.json()) as ScheduledMessage).status, 'cancelled');
    const again = await agent.api.fetch(`/api/scheduled-messages/${first.body.id}`, { method: 'DELETE' });
    assert.equal(again.status, 409, 'only a scheduled one can be cancelled');

    const second = await schedule(agent, ticketId, { inDays: 30, text: 'old text' });
    const newText = `changed ${Date.now()}`;
    const changed = await agent.api.patch<ScheduledMessage>(`/api/scheduled-messages/${second.body.id}`, {
      text: newText,
      sendAt: new Date(Date.now() + 1500).toISOString(),
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    await waitFor(() => sendsOf(helpdesk, newText).length > 0, 15_000, 'the changed reminder');
    await pause(2500);
    assert.equal(sendsOf(helpdesk, cancelledText).length, 0, 'the cancelled one never went out');
    assert.equal(sendsOf(helpdesk, 'old text').length, 0);
    const late = await agent.api.patch(`/api/scheduled-messages/${second.body.id}`, { text: 'too late' });
    assert.equal(late.status, 409, 'a sent one cannot change');
    assert.deepEqual((await rowsOf(helpdesk, customerId)).map(({ status }) => status).sort(), [
      'cancelled',
      'sent',
    ]);
  });

  it('when the customer answers "إلغاء", then they are opted out, told so, and get no reminder; "START" opts them in', async () => {
    const phone = newPhone();
    const { ticketId, customerId } = await customerWrites(helpdesk, phone, 'hello');
    const before = helpdesk.sidecar.sends.length;
    await customerWrites(helpdesk, phone, ' إلغاء ');
    const optedOut = await waitFor(
      async () => {
        const [customer] = await query<{ opted_out_at: Date | null }>(
          helpdesk.database.url,
          `SELECT opted_out_at FROM customers WHERE id = $1`,
          [customerId],
        );
        return customer?.opted_out_at;
      },
      10_000,
      'opted out',
    );
    assert.ok(optedOut instanceof Date);
    await waitFor(
      () => helpdesk.sidecar.sends.slice(before).some((send) => send.text?.includes('تم إلغاء اشتراكك')),
      10_000,
      'the Arabic confirmation',
    );
    const customerAnswer = await agent.api.get<{ optedOutAt: string | null }>(`/api/customers/${customerId}`);
    assert.equal(customerAnswer.body.optedOutAt, optedOut.toISOString(), 'agents see it');

    const text = `not for an opted-out customer ${Date.now()}`;
    const answer = await schedule(agent, ticketId, {
      sendAt: new Date(Date.now() + 1000).toISOString(),
      text,
    });
    assert.equal(answer.status, 201);
    await waitFor(
      async () => (await rowsOf(helpdesk, customerId))[0]?.status === 'cancelled',
      15_000,
      'the reminder cancelled',
    );
    assert.equal((await rowsOf(helpdesk, customerId))[0]!.reason, 'opted_out');
    assert.equal(sendsOf(helpdesk, text).length, 0, 'nothing sent');

    // A message merely containing the word does not opt anyone in or out.
    await customerWrites(helpdesk, phone, 'please do not STOP my refills');
    await customerWrites(helpdesk, phone, 'START');
    await waitFor(
      async () => {
        const [customer] = await query<{ opted_out_at: Date | null }>(
          helpdesk.database.url,
          `SELECT opted_out_at FROM customers WHERE id = $1`,
          [customerId],
        );
        return customer && customer.opted_out_at === null;
      },
      10_000,
      'opted in again',
    );
  });

  it('when a customer who never opted out writes "START", then it is an ordinary message (welcome, no opt-in answer)', async () => {
    const { ticketId } = await customerWrites(helpdesk, newPhone(), 'START');
    const replies = await waitFor(
      async () => {
        const found = await query<{ kind: string | null }>(
          helpdesk.database.url,
          `SELECT raw->>'kind' AS kind FROM messages WHERE ticket_id = $1 AND direction = 'outbound'`,
          [ticketId],
        );
        return found.length > 0 ? found : null;
      },
      10_000,
      'the bot replies',
    );
    assert.ok(!replies.some(({ kind }) => kind === 'opt_in' || kind === 'opt_out'), JSON.stringify(replies));
  });

  it('when the body is wrong, then 400 names the field and nothing is stored', async () => {
    const { ticketId, customerId } = await customerWrites(helpdesk, newPhone(), 'hi');
    assertValidationError(await schedule(agent, ticketId, { text: 'no time' }), 'sendAt');
    assertValidationError(
      await schedule(agent, ticketId, { sendAt: new Date(Date.now() - 60_000).toISOString(), text: 'past' }),
      'sendAt',
    );
    assertValidationError(await schedule(agent, ticketId, { sendAt: 'tomorrow', text: 'x' }), 'sendAt');
    assertValidationError(await schedule(agent, ticketId, { inDays: 0, text: 'x' }), 'inDays');
    assertValidationError(await schedule(agent, ticketId, { inDays: 366, text: 'x' }), 'inDays');
    assertValidationError(await schedule(agent, ticketId, { inDays: 'soon', text: 'x' }), 'inDays');
    assertValidationError(await schedule(agent, ticketId, { inDays: 3 }), 'text');
    assertValidationError(await schedule(agent, ticketId, { inDays: 3, text: '   ' }), 'text');
    assertValidationError(await schedule(agent, ticketId, { inDays: 3, text: 'x'.repeat(4097) }), 'text');
    assertValidationError(await schedule(agent, ticketId, { inDays: 3, text: 'x', kind: 'weekly' }), 'kind');
    assertValidationError(
      await schedule(agent, ticketId, { inDays: 3, text: 'x', kind: 'refill', intervalDays: 30 }),
      'medicine',
    );
    assertValidationError(
      await schedule(agent, ticketId, { inDays: 3, text: 'x', kind: 'refill', medicine: 'Insulin' }),
      'intervalDays',
    );
    assertValidationError(
      await schedule(agent, ticketId, {
        inDays: 3,
        text: 'x',
        kind: 'refill',
        medicine: 'Insulin',
        intervalDays: 30,
        repeat: 25,
      }),
      'repeat',
    );
    assertValidationError(
      await schedule(agent, ticketId, { inDays: 3, template: { name: 'refill_due', language: 'ar' } }),
      'template.name',
    );
    const unknownTicket = await schedule(agent, '00000000-0000-4000-8000-000000000000', {
      inDays: 3,
      text: 'x',
    });
    assert.equal(unknownTicket.status, 404);
    assert.deepEqual(await rowsOf(helpdesk, customerId), [], 'nothing stored');

    const kept = await schedule(agent, ticketId, { inDays: 3, text: 'kept' });
    assertValidationError(
      await agent.api.patch(`/api/scheduled-messages/${kept.body.id}`, {}),
      'text or sendAt',
    );
    assertValidationError(
      await agent.api.patch(`/api/scheduled-messages/${kept.body.id}`, {
        sendAt: new Date(Date.now() - 1000).toISOString(),
      }),
      'sendAt',
    );
    assert.equal(
      (await agent.api.get(`/api/customers/00000000-0000-4000-8000-000000000000/scheduled-messages`)).status,
      404,
    );
  });
});

describe('scheduled messages: the worker process killed between scheduling and sending', () => {
  let helpdesk: TestHelpdesk;
  let agent: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk({ inProcessWorkers: false, env: { REMINDER_DAY_MS: String(DAY_MS) } });
    agent = await createAgent(helpdesk, { name: 'Crash', role: 'admin' });
  });
  after(() => helpdesk.stop());

  it('when the worker is killed (SIGKILL) before the time, then a restarted worker sends the reminder once, a few seconds late at most', async () => {
    const phone = newPhone();
    const first = helpdesk.startWorkerProcess();
    const { ticketId, customerId } = await customerWrites(helpdesk, phone, 'hello'); // the worker is up
    const text = `Your order #123 is ready ${Date.now()}`;
    const sendAt = new Date(Date.now() + 3000);
    const answer = await schedule(agent, ticketId, { sendAt: sendAt.toISOString(), text });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    const job = await helpdesk.context.queues.scheduled.getJob(answer.body.id);
    assert.ok(job && (await job.isDelayed()), 'a delayed job named by the message id');

    await pause(1000);
    first.kill('SIGKILL');
    await once(first, 'exit');
    assert.equal(sendsOf(helpdesk, text).length, 0, 'nothing sent before the crash');

    helpdesk.startWorkerProcess();
    // When the new worker is up: it has stored a customer's message (starting a process under tsx
    // takes seconds on a busy machine; the lateness that counts is BullMQ's, after the start).
    await customerWrites(helpdesk, newPhone(), 'are you there?');
    const readyAt = Date.now();
    await waitFor(() => sendsOf(helpdesk, text).length > 0, 30_000, 'the reminder after the restart');
    const lateMs = Date.now() - Math.max(sendAt.getTime(), readyAt);
    assert.ok(lateMs < 3000, `at most a few seconds late once a worker runs (${lateMs} ms)`);
    await pause(2000);
    assert.equal(sendsOf(helpdesk, text).length, 1, 'sent exactly once');
    assert.deepEqual(
      (await rowsOf(helpdesk, customerId)).map(({ status }) => status),
      ['sent'],
    );
  });
});

describe('scheduled messages on a Cloud API channel (24-hour window)', () => {
  let helpdesk: TestHelpdesk;
  let graph: StandInGraphApi;
  let agent: TestAgent;

  /** A Cloud API ticket whose customer last wrote two days ago (the window is closed). */
  const cloudTicket = async (phone: string) => {
    const twoDaysAgo = new Date(Date.now() - 48 * 3_600_000);
    const db = helpdesk.context.db;
    const customer = await db.customer.create({ data: { phone, name: 'Mona', lastInboundAt: twoDaysAgo } });
    const ticket = await db.ticket.create({
      data: {
        customerId: customer.id,
        channel: PHONE_NUMBER_ID,
        provider: 'cloud',
        status: 'open',
        openedAt: twoDaysAgo,
        lastInboundAt: twoDaysAgo,
      },
    });
    return { ticketId: ticket.id, customerId: customer.id };
  };

  before(async () => {
    helpdesk = await startTestHelpdesk({ env: { REMINDER_DAY_MS: String(DAY_MS) } });
    // Meta's shape of a listed template (Meta, "WhatsApp Business Account — Message Templates").
    let channelId: string;
    ({ graph, channelId } = await addCloudChannel(helpdesk, [
      {
        id: '2001',
        name: 'refill_due',
        language: 'ar',
        category: 'UTILITY',
        status: 'APPROVED',
        components: [
          {
            type: 'BODY',
            text: 'مرحبا {{1}}، حان موعد إعادة صرف {{2}}.',
            example: { body_text: [['منى', 'الدواء']] },
          },
        ],
      },
    ]));
    agent = await createAgent(helpdesk, { name: 'Cloud', role: 'admin', availability: 'away' });
    const synced = await agent.api.post(`/api/channels/${channelId}/templates/sync`, {});
    assert.equal(synced.status, 200, JSON.stringify(synced.body));
  });
  after(async () => {
    await graph.close();
    await helpdesk.stop();
  });

  it('when a text reminder comes due outside the window, then it fails with the reason and nothing is sent', async () => {
    const { ticketId, customerId } = await cloudTicket('+201001500001');
    const answer = await schedule(agent, ticketId, {
      sendAt: new Date(Date.now() + 1000).toISOString(),
      text: 'hi',
    });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    const [row] = await waitFor(
      async () => {
        const rows = await rowsOf(helpdesk, customerId);
        return rows[0]?.status === 'failed' ? rows : null;
      },
      15_000,
      'the reminder failed',
    );
    assert.match(row!.reason ?? '', /template/);
    assert.equal(graph.sends.filter((send) => send.to === '201001500001').length, 0);
  });

  it('when a template reminder comes due outside the window, then the template is sent once through the Graph API', async () => {
    const { ticketId, customerId } = await cloudTicket('+201001500002');
    assertValidationError(
      await schedule(agent, ticketId, {
        inDays: 1,
        template: { name: 'refill_due', language: 'ar', parameters: { body: ['منى'] } },
      }),
      'template.parameters.body',
    );
    const answer = await schedule(agent, ticketId, {
      sendAt: new Date(Date.now() + 1500).toISOString(),
      template: { name: 'refill_due', language: 'ar', parameters: { body: ['منى', 'الإنسولين'] } },
    });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.deepEqual(answer.body.template, {
      name: 'refill_due',
      language: 'ar',
      parameters: { body: ['منى', 'الإنسولين'] },
    });
    const send = await waitFor(
      () => graph.sends.find((candidate) => candidate.to === '201001500002'),
      15_000,
      'the template send',
    );
    // Meta, "Send message templates": type template, the name, the language code, body parameters.
    assert.deepEqual(send.body.template, {
      name: 'refill_due',
      language: { code: 'ar' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'منى' },
            { type: 'text', text: 'الإنسولين' },
          ],
        },
      ],
    });
    await pause(1500);
    assert.equal(graph.sends.filter((candidate) => candidate.to === '201001500002').length, 1, 'once');
    assert.deepEqual(
      (await rowsOf(helpdesk, customerId)).map(({ status }) => status),
      ['sent'],
    );
  });
});
