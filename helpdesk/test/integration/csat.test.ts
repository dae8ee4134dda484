/**
 * The satisfaction survey (CSAT, issue 16) end to end, on real PostgreSQL, Redis and HTTP: an admin
 * resolves a ticket over the API, the question goes out (numbered text through the stand-in
 * sidecar, an interactive list through the stand-in Graph API), and the customer's answer comes back
 * through the real webhooks. Meta's shapes: "Interactive list messages" and the `list_reply`
 * webhook (WhatsApp Cloud API reference); the 24-hour window: "Customer service windows".
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAgent, type TestAgent } from '../api/api-support';
import { openStream } from '../api/sse-client';
import { message, messagesValue, notification } from '../support/cloud-payloads';
import { query } from '../support/database';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';

interface TicketState {
  id: string;
  status: string;
  csat_score: number | null;
  csat_comment: string | null;
  csat_requested_at: Date | null;
}

async function ticketOf(helpdesk: TestHelpdesk, phone: string): Promise<TicketState | undefined> {
  const [ticket] = await query<TicketState>(
    helpdesk.database.url,
    `SELECT t.id, t.status, t.csat_score, t.csat_comment, t.csat_requested_at
       FROM tickets t JOIN customers c ON c.id = t.customer_id
      WHERE c.phone = $1 ORDER BY t.number DESC LIMIT 1`,
    [phone],
  );
  return ticket;
}

async function resolve(admin: TestAgent, ticketId: string): Promise<void> {
  const answer = await admin.api.post(`/api/tickets/${ticketId}/status`, { status: 'resolved' });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('CSAT on WPPConnect: numbered text', () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk();
    admin = await createAgent(helpdesk, { name: 'Lead', role: 'admin', availability: 'offline' });
  });
  after(() => helpdesk.stop());

  /** A customer writes (the webhook accepts it; a worker stores it). */
  async function customerWrites(phone: string, text: string): Promise<void> {
    const posted = await helpdesk.postWppconnect(textEvent(phone, text));
    assert.equal(posted.status, 202);
  }

  const surveysTo = (phone: string) =>
    helpdesk.sidecar.sends.filter(
      (send) => send.to.includes(phone.slice(1)) && send.text?.includes('How would you rate'),
    );

  it('when an agent resolves, then the survey is sent; "٤" is recorded as 4, thanked, and the ticket stays resolved; a second resolution does not ask again', async () => {
    const phone = '+201001110001';
    await customerWrites(phone, 'hello, my order is late');
    const ticket = await waitFor(() => ticketOf(helpdesk, phone), 10_000, 'the ticket');
    await resolve(admin, ticket.id);
    await waitFor(() => surveysTo(phone).length === 1, 10_000, 'the survey at the sidecar');
    assert.match(surveysTo(phone)[0]!.text!, /1\. 1 ⭐ Poor[\s\S]*5\. 5 ⭐ Excellent/);

    await customerWrites(phone, '٤');
    const rated = await waitFor(
      async () => ((await ticketOf(helpdesk, phone))?.csat_score === 4 ? ticketOf(helpdesk, phone) : null),
      10_000,
      'the rating stored',
    );
    assert.equal(rated!.status, 'resolved');
    assert.equal(rated!.id, ticket.id);
    await waitFor(
      () => helpdesk.sidecar.sends.some((send) => send.text === 'Thank you for your rating! 🙏'),
      10_000,
      'the thanks',
    );
    const events = await query<{ type: string; data: { score: number } }>(
      helpdesk.database.url,
      `SELECT type, data FROM ticket_events WHERE ticket_id = $1 AND type = 'csat_answered'`,
      [ticket.id],
    );
    assert.deepEqual(
      events.map((event) => [event.type, event.data.score]),
      [['csat_answered', 4]],
    );
    const detail = await admin.api.get<{ ticket: { csat: { score: number } | null } }>(
      `/api/tickets/${ticket.id}`,
    );
    assert.equal(detail.body.ticket.csat?.score, 4);

    // Anything else reopens as usual; resolving again does not ask again.
    await customerWrites(phone, 'one more question please');
    await waitFor(async () => (await ticketOf(helpdesk, phone))?.status === 'open', 10_000, 'reopened');
    await resolve(admin, ticket.id);
    await pause(500);
    assert.equal(surveysTo(phone).length, 1);
  });

  it('when the customer rates 1 with a comment, then csat.low reaches the admins with the score', async () => {
    const phone = '+201001110002';
    const stream = await openStream(helpdesk.url, admin.token);
    try {
      await customerWrites(phone, 'hello');
      const ticket = await waitFor(() => ticketOf(helpdesk, phone), 10_000, 'the ticket');
      await resolve(admin, ticket.id);
      await waitFor(() => surveysTo(phone).length === 1, 10_000, 'the survey');
      await customerWrites(phone, '1 ⭐ nobody answered my call');
      const low = await stream.next((event) => event.event === 'csat.low', 10_000, 'csat.low');
      assert.equal(low.data.ticketId, ticket.id);
      assert.equal(low.data.score, 1);
      assert.equal(low.data.comment, 'nobody answered my call');
      const rated = await ticketOf(helpdesk, phone);
      assert.equal(rated!.csat_comment, 'nobody answered my call');
      assert.equal(rated!.status, 'resolved');
    } finally {
      stream.close();
    }
  });

  it('when the channel turns CSAT off, then resolving sends nothing', async () => {
    const phone = '+201001110003';
    await query(
      helpdesk.database.url,
      `UPDATE channels SET overrides = '{"csat": false}', updated_at = now()`,
    );
    await helpdesk.context.channels.reload();
    await customerWrites(phone, 'hello');
    const ticket = await waitFor(() => ticketOf(helpdesk, phone), 10_000, 'the ticket');
    await resolve(admin, ticket.id);
    await pause(500);
    assert.equal(surveysTo(phone).length, 0);
    assert.equal((await ticketOf(helpdesk, phone))!.csat_requested_at, null);
  });
});

describe('CSAT on the Cloud API: interactive list', () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk({ provider: 'cloud' });
    admin = await createAgent(helpdesk, { name: 'Lead', role: 'admin', availability: 'offline' });
  });
  after(() => helpdesk.stop());

  const listsTo = (waId: string) =>
    helpdesk.graph!.sends.filter(
      (send) =>
        send.to === waId && send.type === 'interactive' && JSON.stringify(send.body).includes('csat_5'),
    );

  it('when an agent resolves, then a list of five ratings is sent, and its list reply is recorded', async () => {
    const customer = { waId: '201002220001', name: 'Mona' };
    await helpdesk.postCloud(notification(messagesValue(customer, [message.text(customer, 'hello')])));
    const ticket = await waitFor(() => ticketOf(helpdesk, '+201002220001'), 10_000, 'the ticket');
    await resolve(admin, ticket.id);
    await waitFor(() => listsTo(customer.waId).length === 1, 10_000, 'the list at Meta');
    const body = listsTo(customer.waId)[0]!.body as {
      interactive: { type: string; action: { sections: Array<{ rows: Array<{ id: string }> }> } };
    };
    assert.equal(body.interactive.type, 'list');
    assert.deepEqual(
      body.interactive.action.sections.flatMap((section) => section.rows.map((row) => row.id)),
      ['csat_1', 'csat_2', 'csat_3', 'csat_4', 'csat_5'],
    );
    await helpdesk.postCloud(
      notification(
        messagesValue(customer, [message.listReply(customer, { id: 'csat_5', title: '5 ⭐ Excellent' })]),
      ),
    );
    await waitFor(
      async () => (await ticketOf(helpdesk, '+201002220001'))?.csat_score === 5,
      10_000,
      'the rating stored',
    );
    assert.equal((await ticketOf(helpdesk, '+201002220001'))!.status, 'resolved');
  });

  it('when the customer last wrote 25 hours ago, then nothing is sent and the reason is recorded', async () => {
    const customer = { waId: '201002220002', name: 'Ali' };
    await helpdesk.postCloud(notification(messagesValue(customer, [message.text(customer, 'hello')])));
    const ticket = await waitFor(() => ticketOf(helpdesk, '+201002220002'), 10_000, 'the ticket');
    await query(
      helpdesk.database.url,
      `UPDATE tickets SET last_inbound_at = now() - interval '25 hours' WHERE id = $1`,
      [ticket.id],
    );
    await resolve(admin, ticket.id);
    await pause(500);
    assert.equal(listsTo(customer.waId).length, 0);
    const skipped = await query<{ data: { reason: string } }>(
      helpdesk.database.url,
      `SELECT data FROM ticket_events WHERE ticket_id = $1 AND type = 'csat_skipped'`,
      [ticket.id],
    );
    assert.deepEqual(
      skipped.map((event) => event.data.reason),
      ['outside_customer_service_window'],
    );
    assert.equal((await ticketOf(helpdesk, '+201002220002'))!.csat_requested_at, null);
  });
});
