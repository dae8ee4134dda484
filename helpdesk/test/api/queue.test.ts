/**
 * The live queue (`GET /api/queue`, issue 16 "Live queue"): waiting tickets (unassigned, open or
 * pending, not snoozed) oldest first with customer, channel, category, waiting time and SLA;
 * agents with availability, open console, load against capacity and last reply; the numbers'
 * connection state; admins only. Through the real HTTP API, database and Redis.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { liveQueueSchema, type LiveQueue } from '@whatsapp-helpdesk/contract/api';
import { startTestHelpdesk, waitFor, type TestHelpdesk } from '../support/harness';
import { assertMatches, createAgent, seedTicket, type TestAgent } from './api-support';
import { openStream, type SseConnection } from './sse-client';

describe("agents' API: live queue", () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;
  let agent: TestAgent;
  let stream: SseConnection | undefined;

  before(async () => {
    helpdesk = await startTestHelpdesk();
    // Offline: the assignment leaves the seeded waiting tickets alone.
    admin = await createAgent(helpdesk, { name: 'Queue Admin', role: 'admin', availability: 'offline' });
    agent = await createAgent(helpdesk, { name: 'Queue Agent', capacity: 4, availability: 'offline' });
  });
  after(async () => {
    stream?.close();
    await helpdesk?.stop();
  });

  async function queue(): Promise<LiveQueue> {
    const answer = await admin.api.get<LiveQueue>('/api/queue');
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assertMatches(liveQueueSchema, answer.body);
    return answer.body;
  }

  it('when tickets wait, then they are listed oldest first and the others are not', async () => {
    const db = helpdesk.context.db;
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    const newer = await seedTicket(db, {
      customerName: 'Mona',
      category: 'prescription',
      openedAt: minutesAgo(3),
    });
    const olderOpenedAt = minutesAgo(12);
    const older = await seedTicket(db, { customerName: 'Karim', openedAt: olderOpenedAt });
    const snoozed = await seedTicket(db, { status: 'pending', openedAt: minutesAgo(30) });
    await db.ticket.update({
      where: { id: snoozed.id },
      data: { snoozedUntil: new Date(Date.now() + 3_600_000) },
    });
    const pending = await seedTicket(db, {
      status: 'pending',
      customerName: 'Pending',
      openedAt: minutesAgo(1),
    });
    const assigned = await seedTicket(db, { assigneeId: agent.id, openedAt: minutesAgo(40) });
    const resolved = await seedTicket(db, { status: 'resolved', openedAt: minutesAgo(50) });
    // A response-time target already missed (W5's columns): the queue shows it breached.
    await db.$executeRaw`UPDATE tickets SET first_response_due_at = now() - interval '1 minute' WHERE id = ${older.id}::uuid`;

    const { waiting } = await queue();
    const numbers = waiting.map((ticket) => ticket.number);
    assert.deepEqual(numbers, [older.number, newer.number, pending.number]);
    for (const hidden of [snoozed, assigned, resolved]) assert.ok(!numbers.includes(hidden.number));
    const [first, second] = waiting;
    assert.equal(first?.customer.name, 'Karim');
    assert.equal(first?.sla?.state, 'breached');
    assert.equal(first?.sla?.kind, 'first_response');
    assert.equal(second?.sla, null);
    assert.equal(second?.category, 'prescription');
    assert.deepEqual(second?.channel, {
      key: 'pharmacy',
      provider: 'wppconnect',
      name: second?.channel.name ?? null,
    });
    assert.ok(
      // Against the seeded time, not the clock: on a loaded machine seconds pass before the read.
      Math.abs(Date.parse(first!.waitingSince) - olderOpenedAt.getTime()) < 5_000,
      first!.waitingSince,
    );
  });

  it('when an agent has tickets and replied, then their load and last reply show', async () => {
    const db = helpdesk.context.db;
    const ticket = await seedTicket(db, { assigneeId: agent.id });
    const repliedAt = new Date(Date.now() - 90_000);
    await db.message.create({
      data: {
        ticketId: ticket.id,
        channel: 'pharmacy',
        provider: 'wppconnect',
        direction: 'outbound',
        author: 'agent',
        type: 'text',
        deliveryStatus: 'sent',
        providerMessageId: `reply-${ticket.id}`,
        agentId: agent.id,
        text: 'Your order is ready',
        createdAt: repliedAt,
      },
    });
    const row = (await queue()).agents.find((entry) => entry.id === agent.id);
    assert.equal(row?.openTickets, 2, 'the seeded assigned ticket and this one');
    assert.equal(row?.capacity, 4);
    assert.equal(row?.availability, 'offline');
    assert.equal(row?.lastReplyAt, repliedAt.toISOString());
    assert.equal(row?.consoleOpen, false);
    const adminRow = (await queue()).agents.find((entry) => entry.id === admin.id);
    assert.equal(adminRow?.lastReplyAt, null);
  });

  it('when an agent opens a console and goes online, then the queue shows it', async () => {
    stream = await openStream(helpdesk.url, agent.token);
    assert.equal(stream.status, 200);
    const online = await agent.api.put('/api/me/availability', { availability: 'online' });
    assert.equal(online.status, 200);
    const row = await waitFor(async () => {
      const found = (await queue()).agents.find((entry) => entry.id === agent.id);
      return found?.consoleOpen && found.availability === 'online' ? found : null;
    });
    assert.equal(row.name, 'Queue Agent');
  });

  it('when the numbers are listed, then each has its connection state', async () => {
    const { channels } = await queue();
    const pharmacy = channels.find((channel) => channel.key === 'pharmacy');
    assert.ok(pharmacy, JSON.stringify(channels));
    assert.equal(pharmacy.provider, 'wppconnect');
    assert.ok(pharmacy.state.length > 0);
  });

  it('when an agent who is not an admin asks, then 403', async () => {
    assert.equal((await agent.api.get('/api/queue')).status, 403);
  });
});
