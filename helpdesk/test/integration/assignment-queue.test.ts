/**
 * A busy morning: every online agent at capacity. New conversations wait in the queue without the
 * workers starting an assignment run for each (no run could assign anything: the request counter,
 * the `assignment_requests` sequence, stays where it was), and the first place freed takes the
 * oldest waiting ticket. Real HTTP stack, PostgreSQL, Redis and BullMQ workers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAgent, type TestAgent } from '../api/api-support';
import { query } from '../support/database';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';

describe('assignment while every agent is at capacity', () => {
  let helpdesk: TestHelpdesk;
  let agent: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk();
    agent = await createAgent(helpdesk, { name: 'Mona', capacity: 1 });
  });
  after(() => helpdesk.stop());

  const ticketOf = async (phone: string) =>
    (
      await query<{ id: string; assigneeId: string | null; sent: number }>(
        helpdesk.database.url,
        `SELECT t.id, t.assignee_id AS "assigneeId",
                (SELECT count(*)::int FROM messages m WHERE m.ticket_id = t.id AND m.delivery_status = 'sent') AS sent
           FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.phone = $1`,
        [phone],
      )
    )[0];
  const assignmentRequests = async () =>
    (
      await query<{ value: string }>(
        helpdesk.database.url,
        `SELECT last_value::text AS value FROM assignment_requests`,
      )
    )[0]!.value;

  it('when the only agent is full, then new tickets wait without an assignment run, and a resolved ticket frees the place for the oldest', async () => {
    assert.equal((await helpdesk.postWppconnect(textEvent('+201005550001', 'صباح الخير'))).status, 202);
    const first = await waitFor(
      async () => {
        const ticket = await ticketOf('+201005550001');
        return ticket?.assigneeId && ticket.sent === 2 ? ticket : null;
      },
      10_000,
      'the first ticket assigned and the bot’s welcome and menu sent',
    );
    assert.equal(first.assigneeId, agent.id);
    const before = await assignmentRequests();

    for (const phone of ['+201005550002', '+201005550003']) {
      assert.equal((await helpdesk.postWppconnect(textEvent(phone, 'عندي سؤال'))).status, 202);
      await waitFor(
        async () => ((await ticketOf(phone))?.sent === 2 ? true : null),
        10_000,
        `${phone}: ticket stored, welcome and menu sent`,
      );
    }
    assert.equal((await ticketOf('+201005550002'))!.assigneeId, null, 'waits in the queue');
    assert.equal((await ticketOf('+201005550003'))!.assigneeId, null, 'waits in the queue');
    assert.equal(await assignmentRequests(), before, 'no assignment run was requested: nobody had a place');

    const resolved = await agent.api.post(`/api/tickets/${first.id}/status`, { status: 'resolved' });
    assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
    const next = await waitFor(
      async () => ((await ticketOf('+201005550002'))?.assigneeId ? ticketOf('+201005550002') : null),
      10_000,
      'the oldest waiting ticket assigned',
    );
    assert.equal(next!.assigneeId, agent.id);
    assert.equal((await ticketOf('+201005550003'))!.assigneeId, null, 'the next one keeps waiting');
  });
});
