/**
 * Agents through the agents' API: own profile and availability (online assigns waiting tickets),
 * the directory, and admins creating agents, changing capacity and deactivating them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { agentListSchema as agentListView, agentSchema as agentView } from '@whatsapp-helpdesk/contract/api';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import {
  apiClient,
  assertMatches,
  assertValidationError,
  createAgent,
  PASSWORD,
  seedTicket,
  type TestAgent,
} from './api-support';

describe("agents' API: agents", () => {
  let helpdesk: TestHelpdesk;
  let mona: TestAgent;
  let admin: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk();
    mona = await createAgent(helpdesk, { name: 'Mona', availability: 'offline', capacity: 3 });
    admin = await createAgent(helpdesk, { name: 'Admin', role: 'admin', capacity: 0 });
  });
  after(() => helpdesk.stop());

  const db = () => helpdesk.context.db;

  it('when an agent asks who they are, then their profile comes back', async () => {
    const answer = await mona.api.get('/api/me');
    assert.equal(answer.status, 200);
    assertMatches(agentView, answer.body);
    assert.equal(answer.body.email, mona.email);
    assert.equal(answer.body.availability, 'offline');
  });

  it('when an agent goes online, then waiting tickets are assigned to them', async () => {
    const waiting = await seedTicket(db());
    const answer = await mona.api.put('/api/me/availability', { availability: 'online' });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.availability, 'online');
    assert.equal(answer.body.openTickets, 1);
    assert.equal((await db().ticket.findUniqueOrThrow({ where: { id: waiting.id } })).assigneeId, mona.id);
    assertValidationError(
      await mona.api.put('/api/me/availability', { availability: 'busy' }),
      'availability',
    );
  });

  it('when an agent lists agents, then they see names and availability but not emails; admins see all', async () => {
    const asAgent = await mona.api.get<{ items: Array<Record<string, unknown>> }>('/api/agents');
    assert.equal(asAgent.status, 200);
    assertMatches(agentListView, asAgent.body);
    assert.ok(asAgent.body.items.length >= 2);
    assert.ok(asAgent.body.items.every((item) => !('email' in item) && !('capacity' in item)));
    const asAdmin = await admin.api.get<{ items: Array<Record<string, unknown>> }>('/api/agents');
    assert.ok(
      asAdmin.body.items.every((item) => typeof item.email === 'string' && typeof item.capacity === 'number'),
    );
  });

  it('when an admin creates an agent, then they can sign in; agents may not create agents', async () => {
    const body = { name: 'Layla', email: 'Layla@Pharmacy.test', password: 'a good password', capacity: 4 };
    assert.equal((await mona.api.post('/api/agents', body)).status, 403);
    const created = await admin.api.post('/api/agents', body);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assertMatches(agentView, created.body);
    assert.equal(created.body.email, 'layla@pharmacy.test');
    assert.equal(created.body.role, 'agent');
    const login = await apiClient(helpdesk.url, null).post('/api/auth/login', {
      email: 'layla@pharmacy.test',
      password: 'a good password',
    });
    assert.equal(login.status, 200);
    assert.equal((await admin.api.post('/api/agents', body)).status, 409, 'email taken');
  });

  it('when an admin sends a bad agent, then 400 names the field', async () => {
    const good = { name: 'X', email: 'x@pharmacy.test', password: 'long enough', capacity: 1 };
    assertValidationError(await admin.api.post('/api/agents', { ...good, email: 'not-an-email' }), 'email');
    assertValidationError(await admin.api.post('/api/agents', { ...good, capacity: -1 }), 'capacity');
    assertValidationError(await admin.api.post('/api/agents', { ...good, password: 'short' }), 'password');
    assertValidationError(await admin.api.post('/api/agents', { ...good, role: 'owner' }), 'role');
  });

  it('when an admin raises a full agent’s capacity, then waiting tickets are assigned', async () => {
    const full = await createAgent(helpdesk, { name: 'Full', capacity: 0 });
    const waiting = await seedTicket(db(), { openedAt: new Date('2002-02-02T00:00:00Z') });
    await helpdesk.context.db.agent.update({ where: { id: mona.id }, data: { availability: 'away' } });
    const answer = await admin.api.patch(`/api/agents/${full.id}`, { capacity: 2 });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.capacity, 2);
    assert.equal((await db().ticket.findUniqueOrThrow({ where: { id: waiting.id } })).assigneeId, full.id);
    assert.equal((await mona.api.patch(`/api/agents/${full.id}`, { capacity: 9 })).status, 403);
    assertValidationError(await admin.api.patch(`/api/agents/${full.id}`, { capacity: 1.5 }), 'capacity');
    assert.equal((await admin.api.patch(`/api/agents/${full.id}`, {})).status, 400);
  });

  it('when an admin deactivates an agent, then their sessions end, their tickets return to the queue and they cannot sign in', async () => {
    const leaving = await createAgent(helpdesk, { name: 'Leaving', availability: 'away' });
    const ticket = await seedTicket(db(), { assigneeId: leaving.id });
    const answer = await admin.api.patch(`/api/agents/${leaving.id}`, { active: false });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.active, false);
    assert.equal(answer.body.availability, 'offline');
    assert.equal((await leaving.api.get('/api/me')).status, 401);
    const released = await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    assert.notEqual(released.assigneeId, leaving.id);
    const login = await apiClient(helpdesk.url, null).post('/api/auth/login', {
      email: leaving.email,
      password: PASSWORD,
    });
    assert.equal(login.status, 401);
    const self = await admin.api.patch(`/api/agents/${admin.id}`, { active: false });
    assert.equal(self.status, 409);
  });

  it('when an admin reads one agent, then it comes back; an unknown id is 404', async () => {
    assert.equal((await admin.api.get(`/api/agents/${mona.id}`)).status, 200);
    assert.equal((await admin.api.get('/api/agents/00000000-0000-4000-8000-000000000000')).status, 404);
    assert.equal((await mona.api.get(`/api/agents/${mona.id}`)).status, 403);
  });
});
