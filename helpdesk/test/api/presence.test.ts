/**
 * Presence that tells the truth: an agent set online whose console is closed (no open event
 * stream, or signed out) for longer than AGENT_PRESENCE_GRACE_MS becomes away by itself, is told
 * so (`agent.availability`), and gets no new tickets; an agent whose console stays open stays
 * online; only choosing online brings an away agent back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Agent, AgentList, AgentOverview, LiveQueue, Ticket } from '@whatsapp-helpdesk/contract/api';
import { presenceRefreshMs } from '../../src/domain/presence';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';
import { createAgent, seedTicket, type TestAgent } from './api-support';
import { openStream, type SseConnection } from './sse-client';

const GRACE_MS = 2000;

describe("agents' API: presence", () => {
  let helpdesk: TestHelpdesk;
  let amal: TestAgent;
  let badr: TestAgent;
  let admin: TestAgent;
  let adminStream: SseConnection;
  const streams: SseConnection[] = [];
  const open = async (agent: TestAgent) => {
    const stream = await openStream(helpdesk.url, agent.token);
    streams.push(stream);
    assert.equal(stream.status, 200);
    await stream.next((event) => event.event === 'ready', 5000, 'ready');
    return stream;
  };
  const availabilityOf = async (agent: TestAgent) => {
    const me = await agent.api.get<Agent>('/api/me');
    assert.equal(me.status, 200, JSON.stringify(me.body));
    return me.body.availability;
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  before(async () => {
    helpdesk = await startTestHelpdesk({ env: { AGENT_PRESENCE_GRACE_MS: String(GRACE_MS) } });
    // The admin watches every event but is not online (so presence leaves them alone).
    admin = await createAgent(helpdesk, { name: 'Admin', role: 'admin', availability: 'offline' });
    amal = await createAgent(helpdesk, { name: 'Amal', capacity: 5 });
    badr = await createAgent(helpdesk, { name: 'Badr', capacity: 5 });
    adminStream = await open(admin);
    // Amal's console stays open for the whole suite.
    await open(amal);
  });
  after(async () => {
    for (const stream of streams) stream.close();
    await helpdesk.stop();
  });

  it('when an agent closes their console, then after the grace period they are away and a new customer goes to an online colleague', async () => {
    // Amal already holds a ticket: with Badr online, the next ticket would be Badr's (fewest open).
    await seedTicket(helpdesk.context.db, { assigneeId: amal.id });
    const badrStream = await open(badr);
    await sleep(GRACE_MS * 2);
    assert.equal(await availabilityOf(badr), 'online', 'an open console keeps Badr online');

    badrStream.close();
    const closedAt = Date.now();
    const notice = await adminStream.next(
      (event) => event.event === 'agent.availability' && event.data.agentId === badr.id,
      15_000,
      "Badr's availability change",
    );
    assert.deepEqual(
      { availability: notice.data.availability, reason: notice.data.reason, ticketId: notice.data.ticketId },
      { availability: 'away', reason: 'no_console', ticketId: null },
    );
    // Counted from the console's last heartbeat, at most one refresh before it closed.
    assert.ok(
      notice.receivedAt - closedAt >= GRACE_MS - presenceRefreshMs(GRACE_MS),
      `not before the grace period has passed (${notice.receivedAt - closedAt} ms)`,
    );
    assert.equal(await availabilityOf(badr), 'away');

    const posted = await helpdesk.postWppconnect(textEvent('+201003330001', 'محتاج دواء للضغط'));
    assert.equal(posted.status, 202);
    const assigned = await waitFor(
      async () => {
        const page = await admin.api.get<{ items: Ticket[] }>('/api/tickets?view=all');
        const ticket = page.body.items.find((item) => item.customer.phone === '+201003330001');
        return ticket?.assignee ? ticket : null;
      },
      10_000,
      "the new customer's ticket assigned",
    );
    assert.equal(assigned.assignee?.id, amal.id, 'the ticket goes to Amal, who is there, not to Badr');
  });

  it('when an agent keeps their console open, then they stay online past the grace period', async () => {
    // Amal's stream has been open since the start, several grace periods ago.
    await sleep(GRACE_MS * 2);
    assert.equal(await availabilityOf(amal), 'online');
    assert.equal(
      adminStream.events.filter(
        (event) => event.event === 'agent.availability' && event.data.agentId === amal.id,
      ).length,
      0,
    );
  });

  it('when an away agent opens their console again, then they stay away until they choose online', async () => {
    const badrStream = await open(badr);
    await sleep(GRACE_MS * 2);
    assert.equal(await availabilityOf(badr), 'away', 'opening the console alone does not make Badr online');
    const chosen = await badr.api.put<Agent>('/api/me/availability', { availability: 'online' });
    assert.equal(chosen.status, 200);
    await sleep(GRACE_MS * 2);
    assert.equal(await availabilityOf(badr), 'online', 'online by choice, with the console open');
    badrStream.close();
  });

  it('when an agent is set online without a console, then the live queue and the agents page never show one open', async () => {
    const nour = await createAgent(helpdesk, { name: 'Nour' });
    const shown = async () => {
      const queue = await admin.api.get<LiveQueue>('/api/queue');
      const agents = await admin.api.get<AgentList>('/api/agents');
      assert.equal(queue.status, 200);
      assert.equal(agents.status, 200);
      return {
        queue: queue.body.agents.find((entry) => entry.id === nour.id)?.consoleOpen,
        agents: (agents.body.items.find((entry) => entry.id === nour.id) as AgentOverview | undefined)
          ?.consoleLive,
      };
    };
    // Her grace period starts at the job's first sweep (every GRACE_MS / 4): watch through it.
    const until = Date.now() + GRACE_MS;
    while (Date.now() < until && (await availabilityOf(nour)) === 'online') {
      assert.deepEqual(await shown(), { queue: false, agents: false }, 'no console of Nour is open');
      await sleep(100);
    }
    await waitFor(async () => (await availabilityOf(nour)) === 'away', GRACE_MS * 4, 'Nour away');
  });

  it('when an agent signs out with the console still open, then signing out counts as no console', async () => {
    const sami = await createAgent(helpdesk, { name: 'Sami' });
    const samiStream = await open(sami);
    await sleep(GRACE_MS * 2);
    assert.equal(await availabilityOf(sami), 'online');
    const signedOut = await sami.api.post('/api/auth/logout');
    assert.equal(signedOut.status, 204);
    await adminStream.next(
      (event) => event.event === 'agent.availability' && event.data.agentId === sami.id,
      10_000,
      "Sami's availability change",
    );
    // Away before the stream itself noticed the sign-out (its session check runs every 15 s).
    assert.equal(samiStream.events.filter((event) => event.event === 'logout').length, 0);
    const seenByAdmin = await admin.api.get<Agent>(`/api/agents/${sami.id}`);
    assert.equal(seenByAdmin.body.availability, 'away');
  });
});

describe("agents' API: presence across processes", () => {
  let helpdesk: TestHelpdesk;

  before(async () => {
    // The API in this process, the presence job in two worker processes of their own: what the
    // API sees of consoles reaches the job through Redis, and one sweep at a time is enough.
    helpdesk = await startTestHelpdesk({
      inProcessWorkers: false,
      env: { AGENT_PRESENCE_GRACE_MS: String(GRACE_MS) },
    });
    helpdesk.startWorkerProcess();
    helpdesk.startWorkerProcess();
  });
  after(() => helpdesk.stop());

  it('when the job runs in other processes, then an agent with an open console stays online and one without becomes away once', async () => {
    const here = await createAgent(helpdesk, { name: 'Here' });
    const gone = await createAgent(helpdesk, { name: 'Gone' });
    const admin = await createAgent(helpdesk, { name: 'Boss', role: 'admin', availability: 'offline' });
    const watching = await openStream(helpdesk.url, admin.token);
    const hereConsole = await openStream(helpdesk.url, here.token);
    try {
      await watching.next((event) => event.event === 'ready', 5000, 'ready');
      const notice = await watching.next(
        (event) => event.event === 'agent.availability' && event.data.agentId === gone.id,
        30_000,
        "Gone's availability change",
      );
      assert.equal(notice.data.availability, 'away');
      await new Promise((resolve) => setTimeout(resolve, GRACE_MS * 2));
      const me = await here.api.get<Agent>('/api/me');
      assert.equal(me.body.availability, 'online');
      const notices = watching.events.filter((event) => event.event === 'agent.availability');
      assert.deepEqual(
        notices.map((event) => event.data.agentId),
        [gone.id],
        'one notice, for the absent agent only',
      );
    } finally {
      watching.close();
      hereConsole.close();
    }
  });
});
