/**
 * Snooze (a pending ticket back to open by itself at a time, `POST /api/tickets/:id/status` with
 * `snoozeUntil`) and admins reopening closed tickets, through the real API, database, Redis and
 * BullMQ worker.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Ticket, TicketThread } from '@whatsapp-helpdesk/contract/api';
import { endOverdueSnoozes } from '../../src/use-cases/tickets/end-overdue-snoozes';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import { assertValidationError, createAgent, seedTicket, type TestAgent } from './api-support';
import { openStream, type SseConnection } from './sse-client';

describe("agents' API: snooze and reopening", () => {
  let helpdesk: TestHelpdesk;
  let holder: TestAgent;
  let admin: TestAgent;
  const streams: SseConnection[] = [];
  const threadOf = async (agent: TestAgent, ticketId: string) => {
    const answer = await agent.api.get<TicketThread>(`/api/tickets/${ticketId}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body;
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  before(async () => {
    helpdesk = await startTestHelpdesk();
    holder = await createAgent(helpdesk, { name: 'Holder', availability: 'offline' });
    admin = await createAgent(helpdesk, { name: 'Admin', role: 'admin', availability: 'offline' });
  });
  after(async () => {
    for (const stream of streams) stream.close();
    await helpdesk.stop();
  });

  it('when an agent snoozes a ticket 2 s ahead, then it returns to open by itself, recorded and announced', async () => {
    const ticket = await seedTicket(helpdesk.context.db, { assigneeId: holder.id });
    const stream = await openStream(helpdesk.url, holder.token);
    streams.push(stream);
    await stream.next((event) => event.event === 'ready', 5000, 'ready');
    assert.ok((await threadOf(holder, ticket.id)).ticket.allowedActions.includes('snooze'));

    const until = new Date(Date.now() + 2000);
    const snoozed = await holder.api.post<Ticket>(`/api/tickets/${ticket.id}/status`, {
      status: 'pending',
      snoozeUntil: until.toISOString(),
    });
    assert.equal(snoozed.status, 200, JSON.stringify(snoozed.body));
    assert.equal(snoozed.body.status, 'pending');
    assert.equal(snoozed.body.snoozedUntil, until.toISOString());

    const ended = await stream.next(
      (event) => event.event === 'ticket.status' && event.data.reason === 'snooze_ended',
      15_000,
      'the snooze ending',
    );
    assert.ok(ended.receivedAt >= until.getTime(), 'not before the snooze time');
    assert.deepEqual(
      { ticketId: ended.data.ticketId, status: ended.data.status, previousStatus: ended.data.previousStatus },
      { ticketId: ticket.id, status: 'open', previousStatus: 'pending' },
    );
    const thread = await threadOf(holder, ticket.id);
    assert.equal(thread.ticket.status, 'open');
    assert.equal(thread.ticket.snoozedUntil, null);
    assert.equal(thread.ticket.assignee?.id, holder.id, 'still the same agent’s');
    const event = thread.events.find(
      (entry) =>
        entry.type === 'status_changed' && (entry.data as { reason?: string }).reason === 'snooze_ended',
    );
    assert.ok(event, 'the return to open is in the ticket’s history');
    assert.equal(event.agent, null, 'by nobody: the snooze ended');
    assert.deepEqual(
      { from: (event.data as { from: string }).from, to: (event.data as { to: string }).to },
      { from: 'pending', to: 'open' },
    );
  });

  it('when a snoozed ticket is resolved, or snoozed again later, then the first snooze time does nothing', async () => {
    const resolvedOne = await seedTicket(helpdesk.context.db, { assigneeId: holder.id });
    const movedOne = await seedTicket(helpdesk.context.db, { assigneeId: holder.id });
    const soon = new Date(Date.now() + 1200).toISOString();
    for (const ticket of [resolvedOne, movedOne]) {
      const answer = await holder.api.post<Ticket>(`/api/tickets/${ticket.id}/status`, {
        status: 'pending',
        snoozeUntil: soon,
      });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
    }
    const resolved = await holder.api.post<Ticket>(`/api/tickets/${resolvedOne.id}/status`, {
      status: 'resolved',
    });
    assert.equal(resolved.body.snoozedUntil, null, 'resolving ends the snooze');
    const later = new Date(Date.now() + 60_000).toISOString();
    const moved = await holder.api.post<Ticket>(`/api/tickets/${movedOne.id}/status`, {
      status: 'pending',
      snoozeUntil: later,
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.snoozedUntil, later);

    await sleep(2500);
    assert.equal((await threadOf(holder, resolvedOne.id)).ticket.status, 'resolved');
    const stillSnoozed = (await threadOf(holder, movedOne.id)).ticket;
    assert.equal(stillSnoozed.status, 'pending');
    assert.equal(stillSnoozed.snoozedUntil, later);
  });

  it('when snoozeUntil is bad, then 400 names it and the ticket is unchanged', async () => {
    const ticket = await seedTicket(helpdesk.context.db, { assigneeId: holder.id });
    const path = `/api/tickets/${ticket.id}/status`;
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const cases: Array<[string, unknown]> = [
      ['in the past', { status: 'pending', snoozeUntil: new Date(Date.now() - 60_000).toISOString() }],
      [
        'more than 90 days ahead',
        { status: 'pending', snoozeUntil: new Date(Date.now() + 91 * 86_400_000).toISOString() },
      ],
      ['not a date', { status: 'pending', snoozeUntil: 'tomorrow' }],
      ['with another status', { status: 'resolved', snoozeUntil: inAnHour }],
      ['with open', { status: 'open', snoozeUntil: inAnHour }],
    ];
    for (const [what, body] of cases) {
      const answer = await holder.api.post(path, body);
      assert.equal(answer.status, 400, `${what}: ${JSON.stringify(answer.body)}`);
      assertValidationError(answer, 'snoozeUntil');
    }
    const thread = await threadOf(holder, ticket.id);
    assert.equal(thread.ticket.status, 'open');
    assert.equal(thread.ticket.snoozedUntil, null);
  });

  it('when a ticket is closed, then an admin may reopen it and its agent may not', async () => {
    const ticket = await seedTicket(helpdesk.context.db, { assigneeId: holder.id, status: 'closed' });
    assert.deepEqual((await threadOf(holder, ticket.id)).ticket.allowedActions, ['note']);
    assert.deepEqual((await threadOf(admin, ticket.id)).ticket.allowedActions, ['note', 'reopen']);

    const byAgent = await holder.api.post(`/api/tickets/${ticket.id}/status`, { status: 'open' });
    assert.equal(byAgent.status, 409);
    assert.match(String(byAgent.body.message), /closed is final/);

    const byAdmin = await admin.api.post<Ticket>(`/api/tickets/${ticket.id}/status`, { status: 'open' });
    assert.equal(byAdmin.status, 200, JSON.stringify(byAdmin.body));
    assert.equal(byAdmin.body.status, 'open');
    assert.equal(byAdmin.body.closedAt, null);
    assert.equal(byAdmin.body.resolvedAt, null);
    const thread = await threadOf(holder, ticket.id);
    assert.ok(thread.ticket.allowedActions.includes('reply'), 'the agent works it again');
    assert.ok(
      thread.events.some(
        (entry) =>
          entry.type === 'status_changed' &&
          entry.agent?.id === admin.id &&
          (entry.data as { from?: string }).from === 'closed',
      ),
    );
  });

  it('when the customer already has another open ticket on the channel, then reopening answers 409 naming it', async () => {
    const closed = await seedTicket(helpdesk.context.db, { assigneeId: holder.id, status: 'closed' });
    const current = await seedTicket(helpdesk.context.db, { assigneeId: holder.id, phone: closed.phone });
    const answer = await admin.api.post(`/api/tickets/${closed.id}/status`, { status: 'open' });
    assert.equal(answer.status, 409);
    assert.match(String(answer.body.message), new RegExp(`already has ticket #${current.number} open`));
    assert.equal((await threadOf(admin, closed.id)).ticket.status, 'closed');
    // Once the other ticket is resolved, the closed one can be reopened.
    assert.equal(
      (await holder.api.post(`/api/tickets/${current.id}/status`, { status: 'resolved' })).status,
      200,
    );
    const reopened = await admin.api.post<Ticket>(`/api/tickets/${closed.id}/status`, { status: 'open' });
    assert.equal(reopened.status, 200, JSON.stringify(reopened.body));
  });

  it('when a snooze’s delayed job was lost, then the sweep of overdue snoozes still reopens the ticket', async () => {
    const ticket = await seedTicket(helpdesk.context.db, { assigneeId: holder.id });
    const until = new Date(Date.now() + 60_000);
    const snoozed = await holder.api.post(`/api/tickets/${ticket.id}/status`, {
      status: 'pending',
      snoozeUntil: until.toISOString(),
    });
    assert.equal(snoozed.status, 200);
    const job = await helpdesk.context.queues.scheduled.getJob(`snooze-${ticket.id}-${until.getTime()}`);
    assert.ok(job, 'a delayed job was scheduled for the snooze time');
    await job.remove();
    await endOverdueSnoozes(helpdesk.context, new Date(until.getTime() - 1000));
    assert.equal((await threadOf(holder, ticket.id)).ticket.status, 'pending', 'not due yet');
    assert.ok((await endOverdueSnoozes(helpdesk.context, until)) >= 1);
    const thread = await threadOf(holder, ticket.id);
    assert.equal(thread.ticket.status, 'open');
    assert.equal(thread.ticket.snoozedUntil, null);
  });
});
