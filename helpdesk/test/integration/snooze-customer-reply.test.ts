/**
 * A customer's message ends a snooze (as in Chatwoot and Front): the snoozed ticket returns to open
 * at once, recorded and announced to its agent, through the real webhook, queue, worker, database,
 * Redis and SSE stream. A plain pending ticket (not snoozed) keeps its status, as before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { Ticket, TicketThread } from '@whatsapp-helpdesk/contract/api';
import { jobIdFor } from '../../src/jobs/queues';
import { inboundJobDependencies } from '../../src/jobs/workers';
import { ingestInboundMessages } from '../../src/use-cases/inbound/ingest-messages';
import { endSnooze } from '../../src/use-cases/tickets/end-snooze';
import { createAgent, seedTicket, type TestAgent } from '../api/api-support';
import { openStream, type SseConnection, type SseEvent } from '../api/sse-client';
import { finishedJob, startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';

describe('snooze: the customer writes', () => {
  let helpdesk: TestHelpdesk;
  let holder: TestAgent;
  let stream: SseConnection;

  const threadOf = async (ticketId: string) => {
    const answer = await holder.api.get<TicketThread>(`/api/tickets/${ticketId}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body;
  };
  const inboundTexts = (thread: TicketThread) =>
    thread.messages.filter((message) => message.direction === 'inbound').map((message) => message.text);
  const customerReplied = (thread: TicketThread) =>
    thread.events.filter(
      (entry) =>
        entry.type === 'status_changed' && (entry.data as { reason?: string }).reason === 'customer_replied',
    );
  const statusEventsOf = (ticketId: string): SseEvent[] =>
    stream.events.filter((event) => event.event === 'ticket.status' && event.data.ticketId === ticketId);
  const snooze = async (ticketId: string, until: Date) => {
    const answer = await holder.api.post<Ticket>(`/api/tickets/${ticketId}/status`, {
      status: 'pending',
      snoozeUntil: until.toISOString(),
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.snoozedUntil, until.toISOString());
  };
  let phones = 0;
  /** A ticket of a customer with a valid Egyptian mobile number (the worker skips invalid ones). */
  const seed = () =>
    seedTicket(helpdesk.context.db, {
      assigneeId: holder.id,
      phone: `+20100${String(Date.now() % 100_000).padStart(5, '0')}${++phones % 10}0`,
    });
  /** Waits until the worker has finished the webhook event's job; @returns the job's outcome. */
  const processed = async (eventId: string) =>
    String(
      (await finishedJob(helpdesk.context.queues.inbound, jobIdFor('in', `wppconnect|${eventId}`), 15_000))
        .returnvalue,
    );

  before(async () => {
    helpdesk = await startTestHelpdesk();
    // Offline: nothing is assigned behind the test's back; the tickets are the holder's.
    holder = await createAgent(helpdesk, { name: 'Holder', availability: 'offline' });
    stream = await openStream(helpdesk.url, holder.token);
    await stream.next((event) => event.event === 'ready', 5000, 'ready');
  });
  after(async () => {
    stream.close();
    await helpdesk.stop();
  });

  it('when the customer writes to a ticket snoozed an hour ahead, then it is open again, recorded once and announced', async () => {
    const ticket = await seed();
    const until = new Date(Date.now() + 3_600_000);
    await snooze(ticket.id, until);

    const event = textEvent(ticket.phone, 'any news about my order?');
    assert.equal((await helpdesk.postWppconnect(event)).status, 202);
    const announced = await stream.next(
      (entry) =>
        entry.event === 'ticket.status' &&
        entry.data.ticketId === ticket.id &&
        entry.data.reason === 'customer_replied',
      15_000,
      'the snooze ended by the customer',
    );
    assert.equal(announced.data.status, 'open');
    assert.equal(announced.data.previousStatus, 'pending');
    assert.equal(announced.data.ticketNumber, ticket.number);

    const thread = await threadOf(ticket.id);
    assert.equal(thread.ticket.status, 'open');
    assert.equal(thread.ticket.snoozedUntil, null);
    assert.equal(thread.ticket.assignee?.id, holder.id, 'still the same agent’s');
    assert.ok(inboundTexts(thread).includes('any news about my order?'));
    const recorded = customerReplied(thread);
    assert.equal(recorded.length, 1, JSON.stringify(thread.events));
    assert.equal(recorded[0]!.agent, null, 'by nobody: the customer wrote');
    assert.deepEqual(recorded[0]!.data, { from: 'pending', to: 'open', reason: 'customer_replied' });

    // The same webhook again (the queue knows it), and the same message under another event id (the
    // worker stores it once): nothing changes, nothing is announced twice.
    assert.equal((await helpdesk.postWppconnect(event)).status, 202);
    const again = { ...event, eventId: `${event.eventId}:again` };
    assert.equal((await helpdesk.postWppconnect(again)).status, 202);
    assert.equal(await processed(again.eventId), 'duplicate');
    // The snooze's own job, at its time, finds nothing left to do.
    assert.equal(
      await endSnooze(helpdesk.context, ticket.id, until, new Date(until.getTime() + 1000)),
      false,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));

    const after = await threadOf(ticket.id);
    assert.equal(after.ticket.status, 'open');
    assert.equal(after.ticket.snoozedUntil, null);
    assert.equal(inboundTexts(after).filter((text) => text === 'any news about my order?').length, 1);
    assert.equal(customerReplied(after).length, 1, 'recorded once');
    assert.equal(
      after.events.filter((entry) => entry.type === 'status_changed').length,
      2,
      'the snooze and its end, nothing else',
    );
    assert.equal(statusEventsOf(ticket.id).filter((entry) => entry.data.reason).length, 1, 'announced once');
  });

  it('when the customer sends several messages at once to a snoozed ticket, then the snooze ends once', async () => {
    const ticket = await seed();
    await snooze(ticket.id, new Date(Date.now() + 3_600_000));

    const events = ['hello?', 'are you there?', 'I need the refill today'].map((text) =>
      textEvent(ticket.phone, text),
    );
    // Together: the worker may take them in one batch, or one by one; either way one end.
    const answers = await Promise.all(events.map((event) => helpdesk.postWppconnect(event)));
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [202, 202, 202],
    );
    // Posted together, they may travel as one job (inbound-queue.ts, a shard's batch): what an agent
    // sees is the three in the thread.
    await waitFor(
      async () => {
        const texts = inboundTexts(await threadOf(ticket.id));
        return events.every((event) => texts.some((text) => text === event.message.text));
      },
      15_000,
      'the three messages stored',
    );
    // Read once more: a thread's ticket is read before its messages (get-ticket.ts), so the read that
    // first saw the last message may hold the ticket as it was just before that message's commit.
    const thread = await threadOf(ticket.id);
    assert.equal(thread.ticket.status, 'open');
    assert.equal(thread.ticket.snoozedUntil, null);
    // Posted at once, they may be stored in any order.
    assert.deepEqual(inboundTexts(thread).slice(-3).sort(), [
      'I need the refill today',
      'are you there?',
      'hello?',
    ]);
    assert.equal(customerReplied(thread).length, 1, JSON.stringify(thread.events));
    await stream.next(
      (entry) =>
        entry.event === 'ticket.status' &&
        entry.data.ticketId === ticket.id &&
        entry.data.reason === 'customer_replied',
      5000,
      'the snooze ended by the customer',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(statusEventsOf(ticket.id).filter((entry) => entry.data.reason).length, 1, 'announced once');
  });

  it('when one batch holds several messages to a snoozed ticket, then the first ends the snooze, in the same transaction', async () => {
    const snoozed = await seed();
    const other = await seed();
    await snooze(snoozed.id, new Date(Date.now() + 3_600_000));
    const messages = [
      textEvent(snoozed.phone, 'first').message,
      textEvent(other.phone, 'someone else').message,
      textEvent(snoozed.phone, 'second').message,
    ];
    // The batch's log tells whether it fell back to one message at a time (it must not here).
    const logged: string[] = [];
    const log = pino({ level: 'debug' }, { write: (line: string) => void logged.push(line) });
    const outcomes = await ingestInboundMessages(
      { ...inboundJobDependencies(helpdesk.context), log },
      messages.map((message) => ({
        event: message,
        driver: helpdesk.context.drivers.driverOf(
          helpdesk.context.channels.find(message.provider, message.channel)!,
        ),
        lastAttempt: false,
      })),
    );
    assert.deepEqual(
      outcomes.map((outcome) => (outcome instanceof Error ? outcome.message : outcome.endedSnooze)),
      [true, false, false],
    );
    assert.ok(!logged.some((line) => line.includes('batch rolled back')), logged.join(''));
    const thread = await threadOf(snoozed.id);
    assert.equal(thread.ticket.status, 'open');
    assert.equal(thread.ticket.snoozedUntil, null);
    assert.equal(customerReplied(thread).length, 1);
    assert.equal((await threadOf(other.id)).ticket.status, 'open', 'the other ticket as it was');
    assert.equal(customerReplied(await threadOf(other.id)).length, 0);
  });

  it('when the customer writes to a pending ticket that is not snoozed, then it stays pending, as before', async () => {
    const ticket = await seed();
    const pending = await holder.api.post<Ticket>(`/api/tickets/${ticket.id}/status`, { status: 'pending' });
    assert.equal(pending.status, 200, JSON.stringify(pending.body));
    assert.equal(pending.body.snoozedUntil, null);

    const event = textEvent(ticket.phone, 'the photo of the prescription is coming');
    assert.equal((await helpdesk.postWppconnect(event)).status, 202);
    assert.equal(await processed(event.eventId), 'stored');
    await stream.next(
      (entry) => entry.event === 'message.created' && entry.data.ticketId === ticket.id,
      5000,
      'the message announced',
    );

    const thread = await threadOf(ticket.id);
    assert.ok(inboundTexts(thread).includes('the photo of the prescription is coming'));
    assert.equal(thread.ticket.status, 'pending', 'the agent decides when it is open again');
    assert.equal(thread.ticket.snoozedUntil, null);
    assert.equal(customerReplied(thread).length, 0);
    assert.equal(statusEventsOf(ticket.id).filter((entry) => entry.data.status === 'open').length, 0);
  });
});
