/**
 * The audit log (`GET /api/audit`, issue 16 "Audit log"): sign-ins (successful and failed, with
 * the email), an agent's capacity change with before and after, a channel added, and ticket
 * events (a transfer) appear with who did them, newest first; filters by actor, action and period;
 * keyset pages; admins only. Through the real HTTP API and database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auditPageSchema, type AuditEntry, type AuditPage } from '@whatsapp-helpdesk/contract/api';
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

describe("agents' API: audit log", () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;
  let agent: TestAgent;
  let other: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk();
    admin = await createAgent(helpdesk, { name: 'Audit Admin', role: 'admin' });
    agent = await createAgent(helpdesk, { name: 'Audited Agent', capacity: 5 });
    other = await createAgent(helpdesk, { name: 'Other Agent', capacity: 5 });
  });
  after(() => helpdesk?.stop());

  async function audit(query = ''): Promise<AuditPage> {
    const answer = await admin.api.get<AuditPage>(`/api/audit${query}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assertMatches(auditPageSchema, answer.body);
    return answer.body;
  }

  it('when someone signs in and someone fails to, then both appear with the email', async () => {
    const failed = await apiClient(helpdesk.url, null).post('/api/auth/login', {
      email: agent.email.toUpperCase(),
      password: 'not the password',
    });
    assert.equal(failed.status, 401);
    const unknown = await apiClient(helpdesk.url, null).post('/api/auth/login', {
      email: 'nobody@pharmacy.test',
      password: 'whatever it is',
    });
    assert.equal(unknown.status, 401);
    const signedIn = await apiClient(helpdesk.url, null).post('/api/auth/login', {
      email: agent.email,
      password: PASSWORD,
    });
    assert.equal(signedIn.status, 200);

    const page = await audit('?action=auth.sign_in,auth.sign_in_failed');
    const [newest, second, third] = page.items;
    assert.equal(newest?.action, 'auth.sign_in');
    assert.deepEqual(newest?.actor, { id: agent.id, name: 'Audited Agent' });
    assert.deepEqual(newest?.subject, { type: 'agent', id: agent.id, name: 'Audited Agent', number: null });
    assert.deepEqual(newest?.data, { email: agent.email });
    assert.equal(second?.action, 'auth.sign_in_failed');
    assert.equal(second?.actor, null);
    assert.deepEqual(second?.data, { email: 'nobody@pharmacy.test', reason: 'unknown_email' });
    assert.equal(second?.subject.id, null);
    assert.equal(third?.action, 'auth.sign_in_failed');
    assert.deepEqual(third?.data, { email: agent.email, reason: 'wrong_password' });
    assert.equal(third?.subject.id, agent.id);
    assert.ok(page.items.every((entry) => entry.action.startsWith('auth.sign_in')));
  });

  it("when an admin changes an agent's capacity, then the change appears with before and after", async () => {
    const changed = await admin.api.patch(`/api/agents/${agent.id}`, { capacity: 8 });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const page = await audit(`?action=agent.updated&actor=${admin.id}`);
    const entry = page.items[0];
    assert.equal(entry?.action, 'agent.updated');
    assert.deepEqual(entry?.actor, { id: admin.id, name: 'Audit Admin' });
    assert.equal(entry?.subject.id, agent.id);
    assert.deepEqual(entry?.data, { changes: { capacity: { before: 5, after: 8 } } });
  });

  it('when an admin adds a channel, then it appears with the admin and the number', async () => {
    const created = await admin.api.post<{ id: string }>('/api/channels', {
      name: 'Audit branch',
      provider: 'cloud',
      cloud: {
        phoneNumberId: '106540352242922',
        businessAccountId: '102290129340398',
        accessToken: 'EAAG-audit-token-0123456789abcdef',
        appSecret: 'audit-app-secret-0123456789',
        verifyToken: 'audit-verify-token',
        baseUrl: 'http://127.0.0.1:9',
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const page = await audit('?action=channel.created');
    assert.equal(page.items.length, 1);
    const entry = page.items[0]!;
    assert.deepEqual(entry.actor, { id: admin.id, name: 'Audit Admin' });
    assert.deepEqual(entry.subject, {
      type: 'channel',
      id: created.body.id,
      name: 'Audit branch',
      number: null,
    });
    assert.deepEqual(entry.data, { name: 'Audit branch', provider: 'cloud', key: '106540352242922' });
    assert.ok(!JSON.stringify(entry).includes('EAAG-audit-token-0123456789abcdef'), 'never a secret');
  });

  it('when an admin transfers a ticket, then the ticket event appears merged with the audit events', async () => {
    const ticket = await seedTicket(helpdesk.context.db, { assigneeId: agent.id });
    const transferred = await admin.api.post(`/api/tickets/${ticket.id}/transfer`, { agentId: other.id });
    assert.equal(transferred.status, 200, JSON.stringify(transferred.body));
    const page = await audit(`?actor=${admin.id}`);
    const entry = page.items[0];
    assert.equal(entry?.action, 'ticket.transferred');
    assert.deepEqual(entry?.subject, { type: 'ticket', id: ticket.id, name: null, number: ticket.number });
    const actions = page.items.map((item) => item.action);
    assert.ok(actions.includes('channel.created') && actions.includes('agent.updated'), actions.join());
    assert.ok(page.items.every((item) => item.actor?.id === admin.id));
    const times = page.items.map((item) => Date.parse(item.at));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
      'newest first',
    );
  });

  it('when pages are read with the cursor, then every entry comes once, in order', async () => {
    const whole = await audit('?limit=200');
    const seen: AuditEntry[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: AuditPage = await audit(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.ok(page.items.length <= 2);
      seen.push(...page.items);
      cursor = page.nextCursor;
    }
    assert.deepEqual(
      seen.map((entry) => entry.id),
      whole.items.map((entry) => entry.id),
    );
    assert.equal(new Set(seen.map((entry) => entry.id)).size, seen.length);
  });

  it('when a period is given, then only entries inside it come', async () => {
    const future = await audit(`?from=${new Date(Date.now() + 60_000).toISOString()}`);
    assert.deepEqual(future.items, []);
    const past = await audit(`?to=${new Date(Date.now() - 3_600_000).toISOString()}`);
    assert.deepEqual(past.items, []);
    const now = await audit(
      `?from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`,
    );
    assert.ok(now.items.length > 0);
  });

  it('when a filter or cursor is wrong, then 400 naming it', async () => {
    assertValidationError(await admin.api.get('/api/audit?action=auth.teleport'), 'action.0');
    assertValidationError(await admin.api.get('/api/audit?actor=someone'), 'actor');
    assertValidationError(await admin.api.get('/api/audit?from=yesterday'), 'from');
    assertValidationError(await admin.api.get('/api/audit?cursor=bm9wZQ'), 'cursor');
  });

  it('when an agent who is not an admin asks, then 403', async () => {
    const answer = await agent.api.get('/api/audit');
    assert.equal(answer.status, 403);
  });
});
