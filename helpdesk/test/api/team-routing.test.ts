/**
 * Team routing (issue 16, "Agents and teams"): a ticket transferred to a team goes only to that
 * team's members (least loaded first) and waits while none is free without holding back other
 * tickets; a team's categories route the tickets of those categories to it; the agents API changes
 * an agent's email and shows admins each agent's teams and live console. Through the real HTTP
 * API, PostgreSQL and Redis.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  agentListSchema,
  ticketSchema,
  ticketThreadSchema,
  type AgentOverview,
  type Team,
  type Ticket,
  type TicketThread,
} from '@whatsapp-helpdesk/contract/api';
import { assignWaitingTickets } from '../../src/use-cases/assignment/assign-waiting-tickets';
import { query } from '../support/database';
import { startTestHelpdesk, waitFor, type TestHelpdesk } from '../support/harness';
import { assertMatches, assertValidationError, createAgent, seedTicket, type TestAgent } from './api-support';

const MISSING = '00000000-0000-4000-8000-000000000000';

describe('team routing: transfers to a team, categories routed to a team, agents and their teams', () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;
  let pharmacist: TestAgent;
  let courier: TestAgent;
  let generalist: TestAgent;
  let pharmacists: Team;
  let delivery: Team;

  const assigneeOf = async (ticketId: string) =>
    (
      await query<{ assigneeId: string | null }>(
        helpdesk.database.url,
        'SELECT assignee_id AS "assigneeId" FROM tickets WHERE id = $1',
        [ticketId],
      )
    )[0]!.assigneeId;

  before(async () => {
    helpdesk = await startTestHelpdesk();
    // The admin takes no tickets (offline): only the three agents below are candidates.
    admin = await createAgent(helpdesk, { name: 'Routing Admin', role: 'admin', availability: 'offline' });
    pharmacist = await createAgent(helpdesk, { name: 'Pharmacist One', capacity: 5 });
    courier = await createAgent(helpdesk, { name: 'Courier One', capacity: 5 });
    generalist = await createAgent(helpdesk, { name: 'Generalist', capacity: 5 });
    const created = await admin.api.post<Team>('/api/teams', {
      name: 'Pharmacists',
      memberIds: [pharmacist.id],
      categories: ['pharmacist', 'prescription_refill', 'pharmacist'],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    pharmacists = created.body;
    delivery = (await admin.api.post<Team>('/api/teams', { name: 'Delivery', memberIds: [courier.id] })).body;
  });
  after(() => helpdesk?.stop());

  it('when a team is added with categories, then the API shows them once each, and PATCH replaces them', async () => {
    assert.deepEqual(pharmacists.categories, ['pharmacist', 'prescription_refill']);
    assert.deepEqual(delivery.categories, []);
    const changed = await admin.api.patch<Team>(`/api/teams/${delivery.id}`, { categories: ['delivery'] });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.deepEqual(changed.body.categories, ['delivery']);
    assert.deepEqual(changed.body.memberIds, [courier.id], 'members left out stay');
    const listed = (await generalist.api.get<Team[]>('/api/teams')).body;
    assert.deepEqual(
      listed.map((team) => [team.name, team.categories]),
      [
        ['Delivery', ['delivery']],
        ['Pharmacists', ['pharmacist', 'prescription_refill']],
      ],
    );
  });

  it('when a ticket is transferred to a team, then it is unassigned, remembers the team and goes only to a member', async () => {
    const ticket = await seedTicket(helpdesk.context.db, { assigneeId: generalist.id });
    const moved = await generalist.api.post<Ticket>(`/api/tickets/${ticket.id}/transfer`, {
      teamId: delivery.id,
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assertMatches(ticketSchema, moved.body);
    assert.equal(moved.body.teamId, delivery.id);
    assert.equal(moved.body.assignee?.id, courier.id, 'the assignment ran and chose the only member');

    const thread = await admin.api.get<TicketThread>(`/api/tickets/${ticket.id}`);
    assertMatches(ticketThreadSchema, thread.body);
    assert.equal(thread.body.ticket.teamId, delivery.id);
    const event = thread.body.events.find((candidate) => candidate.type === 'team_transferred');
    assert.ok(event, 'a team_transferred event is recorded');
    assert.equal((event.data as { teamId: string }).teamId, delivery.id);
    assert.equal(event.agent?.id, generalist.id);
    const list = await admin.api.get<{ items: Ticket[] }>('/api/tickets?view=all');
    assert.equal(list.body.items.find((item) => item.id === ticket.id)?.teamId, delivery.id);
  });

  it("when the team's members are away, then its ticket waits while a later ticket goes to anyone, and a member back online takes it", async () => {
    assert.equal((await courier.api.put('/api/me/availability', { availability: 'away' })).status, 200);
    const teamTicket = await seedTicket(helpdesk.context.db, { assigneeId: pharmacist.id });
    const moved = await pharmacist.api.post<Ticket>(`/api/tickets/${teamTicket.id}/transfer`, {
      teamId: delivery.id,
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.assignee, null, 'nobody of Delivery is available: it waits');

    const general = await seedTicket(helpdesk.context.db, { category: 'other' });
    await assignWaitingTickets(helpdesk.context.pool);
    assert.notEqual(await assigneeOf(general.id), null, "the team's waiting ticket holds nothing back");
    assert.notEqual(await assigneeOf(general.id), courier.id);
    assert.equal(await assigneeOf(teamTicket.id), null, 'free agents outside the team do not take it');

    assert.equal((await courier.api.put('/api/me/availability', { availability: 'online' })).status, 200);
    await waitFor(async () => (await assigneeOf(teamTicket.id)) === courier.id, 10_000, 'member takes it');
  });

  it("when a waiting ticket's category is routed to a team, then a member takes it even when others are less loaded", async () => {
    // The pharmacist is the most loaded agent now; least-loaded alone would pick someone else.
    for (let index = 0; index < 2; index += 1) {
      await seedTicket(helpdesk.context.db, { assigneeId: pharmacist.id });
    }
    const refill = await seedTicket(helpdesk.context.db, { category: 'prescription_refill' });
    const unrouted = await seedTicket(helpdesk.context.db, { category: 'order_status' });
    await assignWaitingTickets(helpdesk.context.pool);
    assert.equal(await assigneeOf(refill.id), pharmacist.id);
    const other = await assigneeOf(unrouted.id);
    assert.ok(other !== null && other !== pharmacist.id, 'a category no team takes goes to the least loaded');
  });

  it('when a ticket transferred to a team has a category of another team, then its own team wins', async () => {
    const ticket = await seedTicket(helpdesk.context.db, { category: 'pharmacist', assigneeId: admin.id });
    const moved = await admin.api.post<Ticket>(`/api/tickets/${ticket.id}/transfer`, { teamId: delivery.id });
    assert.equal(moved.body.assignee?.id, courier.id);
  });

  it('when a transfer or team body is wrong, then 400 naming the field, 404 for an unknown team, 403/409 as for agents', async () => {
    const ticket = await seedTicket(helpdesk.context.db, { assigneeId: generalist.id });
    const transfer = (body: unknown, as = admin) => as.api.post(`/api/tickets/${ticket.id}/transfer`, body);
    assertValidationError(await transfer({}), 'agentId');
    assertValidationError(await transfer({ agentId: null, teamId: delivery.id }), 'agentId');
    assertValidationError(await transfer({ teamId: 'nope' }), 'teamId');
    const unknown = await transfer({ teamId: MISSING });
    assert.equal(unknown.status, 404);
    assert.match(String((unknown.body as { message: string }).message), /^teamId:/);
    assert.equal(
      (await transfer({ teamId: delivery.id }, courier)).status,
      403,
      'neither assignee nor admin',
    );
    const resolved = await seedTicket(helpdesk.context.db, { status: 'resolved' });
    const closedMove = await admin.api.post(`/api/tickets/${resolved.id}/transfer`, { teamId: delivery.id });
    assert.equal(closedMove.status, 409);
    assert.equal(await assigneeOf(ticket.id), generalist.id, 'nothing changed');

    assertValidationError(
      await admin.api.post('/api/teams', { name: 'Ghost categories', categories: ['no_such_category'] }),
      'categories',
    );
    assertValidationError(
      await admin.api.patch(`/api/teams/${pharmacists.id}`, { categories: ['pharmacist', 'nope'] }),
      'categories',
    );
    const rows = await query<{ n: number }>(
      helpdesk.database.url,
      "SELECT count(*)::int AS n FROM teams WHERE name = 'Ghost categories'",
    );
    assert.equal(rows[0]!.n, 0, 'nothing half-written');
    const still = (await admin.api.get<Team[]>('/api/teams')).body.find((team) => team.id === pharmacists.id);
    assert.deepEqual(still?.categories, ['pharmacist', 'prescription_refill']);
  });

  it("when an admin changes an agent's email, then it is stored in lower case; a taken one is 409 naming email", async () => {
    const changed = await admin.api.patch<{ email: string }>(`/api/agents/${generalist.id}`, {
      email: 'General.Desk@Pharmacy.test',
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.email, 'general.desk@pharmacy.test');
    const taken = await admin.api.patch(`/api/agents/${generalist.id}`, { email: courier.email });
    assert.equal(taken.status, 409);
    assert.match(String((taken.body as { message: string }).message), /^email:/);
    assertValidationError(
      await admin.api.patch(`/api/agents/${generalist.id}`, { email: 'not-an-email' }),
      'email',
    );
    const signedIn = await fetch(`${helpdesk.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'general.desk@pharmacy.test', password: 'correct horse battery' }),
    });
    assert.equal(signedIn.status, 200, 'the agent signs in with the new email');
    await signedIn.body?.cancel();
  });

  it('when an admin lists agents, then each shows load against capacity, teams and whether a console is open', async () => {
    const stream = await courier.api.fetch('/api/stream', { headers: { accept: 'text/event-stream' } });
    assert.equal(stream.status, 200);
    try {
      const overview = await waitFor(
        async () => {
          const answer = await admin.api.get<{ items: AgentOverview[] }>('/api/agents');
          const found = answer.body.items.find((agent) => agent.id === courier.id);
          return found?.consoleLive ? answer.body : null;
        },
        10_000,
        'live console',
      );
      assertMatches(agentListSchema, overview);
      const byId = new Map(overview.items.map((agent) => [agent.id, agent]));
      assert.deepEqual(byId.get(courier.id)?.teamIds, [delivery.id]);
      assert.deepEqual(byId.get(pharmacist.id)?.teamIds, [pharmacists.id]);
      assert.deepEqual(byId.get(generalist.id)?.teamIds, []);
      assert.equal(byId.get(generalist.id)?.consoleLive, false);
      // Counted independently: assignment runs may still hand the pharmacist a waiting ticket
      // while the earlier cases settle, so the number is read from the tickets, not assumed.
      const [{ count }] = (await query<{ count: number }>(
        helpdesk.database.url,
        `SELECT count(*)::int AS count FROM tickets
          WHERE assignee_id = $1 AND status IN ('open', 'pending')`,
        [pharmacist.id],
      )) as [{ count: number }];
      assert.ok(count >= 3, 'at least the two seeded and the refill');
      assert.equal(byId.get(pharmacist.id)?.openTickets, count, 'load as the tickets say');
      assert.equal(byId.get(pharmacist.id)?.capacity, 5);
    } finally {
      await stream.body?.cancel();
    }
    const directory = await courier.api.get<{ items: Array<Record<string, unknown>> }>('/api/agents');
    assert.equal(directory.body.items[0]!.teamIds, undefined, 'agents see directory entries only');
  });
});
