/**
 * The integration API (issue 17) through the real HTTP API, PostgreSQL, BullMQ and the stand-in
 * sidecar: an admin creates an API key, shown once and stored only as its SHA-256; a key with
 * `messages:send` sends a text to a phone (Arabic-Indic digits accepted), which opens a ticket and
 * reaches the sidecar, and a second one joins that ticket; a key without the scope gets 403, a
 * revoked key 401; an API key is refused on the agents' routes and a session on the integration
 * routes; on the Cloud API a text outside the 24-hour window is refused with 409.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  apiKeyCreatedSchema,
  apiKeyListSchema,
  integrationMessageAcceptedSchema,
  integrationTicketSchema,
  type ApiKey,
  type ApiKeyCreated,
  type IntegrationMessageAccepted,
} from '@whatsapp-helpdesk/contract/api';
import { query } from '../support/database';
import { startTestHelpdesk, waitFor, type TestHelpdesk } from '../support/harness';
import { apiClient, assertMatches, assertValidationError, createAgent, type TestAgent } from './api-support';

async function newKey(admin: TestAgent, scopes: string[]): Promise<ApiKeyCreated> {
  const answer = await admin.api.post<ApiKeyCreated>('/api/api-keys', {
    name: `key ${scopes.join(' ')}`,
    scopes,
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  assertMatches(apiKeyCreatedSchema, answer.body);
  return answer.body;
}

describe('integration API (WPPConnect)', () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk();
    admin = await createAgent(helpdesk, { name: 'Integrations Admin', role: 'admin' });
  });
  after(() => helpdesk.stop());

  it('when an admin creates a key, then it is shown once and only its SHA-256 is stored', async () => {
    const created = await newKey(admin, ['messages:send']);
    assert.match(created.key, /^hk_[A-Za-z0-9_-]{43}$/);
    assert.equal(created.prefix, created.key.slice(0, 8));

    const list = await admin.api.get<{ items: ApiKey[] }>('/api/api-keys');
    assert.equal(list.status, 200);
    assertMatches(apiKeyListSchema, list.body);
    const listed = list.body.items.find((item) => item.id === created.id)!;
    assert.equal(listed.prefix, created.prefix);
    assert.ok(!JSON.stringify(list.body).includes(created.key), 'the list never shows the key');

    const stored = await query<Record<string, unknown>>(
      helpdesk.database.url,
      `SELECT * FROM api_keys WHERE id = $1`,
      [created.id],
    );
    assert.equal(stored[0]!.key_hash, createHash('sha256').update(created.key).digest('hex'));
    const everything = JSON.stringify(await query(helpdesk.database.url, `SELECT * FROM api_keys`));
    assert.ok(!everything.includes(created.key), 'the key is not in the database');

    const agent = await createAgent(helpdesk, { role: 'agent' });
    assert.equal(
      (await agent.api.post('/api/api-keys', { name: 'x', scopes: ['messages:send'] })).status,
      403,
    );
    assertValidationError(
      await admin.api.post('/api/api-keys', { name: 'x', scopes: ['messages:delete'] }),
      'scopes',
    );
  });

  it('when a key with messages:send posts a message to a new phone, then a ticket opens and the sidecar gets it; a second one joins that ticket', async () => {
    const { key, id } = await newKey(admin, ['messages:send', 'tickets:read']);
    const integration = apiClient(helpdesk.url, key);
    const text = `Your order #123 is ready ${Date.now()}`;
    // 01001234567 in Arabic-Indic digits, national (DEFAULT_COUNTRY=EG).
    const first = await integration.post<IntegrationMessageAccepted>('/api/integration/messages', {
      phone: '٠١٠٠١٢٣٤٥٦٧',
      text,
    });
    assert.equal(first.status, 202, JSON.stringify(first.body));
    assertMatches(integrationMessageAcceptedSchema, first.body);
    assert.equal(first.body.ticketOpened, true);
    await waitFor(
      () => helpdesk.sidecar.sends.find((send) => send.text === text),
      15_000,
      'the integration message sent through the sidecar',
    );
    const send = helpdesk.sidecar.sends.find((item) => item.text === text)!;
    assert.match(send.to, /201001234567/);

    const second = await integration.post<IntegrationMessageAccepted>('/api/integration/messages', {
      phone: '+201001234567',
      text: `${text} (2)`,
    });
    assert.equal(second.status, 202, JSON.stringify(second.body));
    assert.equal(second.body.ticketId, first.body.ticketId, 'joins the open ticket');
    assert.equal(second.body.ticketOpened, false);
    await waitFor(
      () => helpdesk.sidecar.sends.find((item) => item.text === `${text} (2)`),
      15_000,
      'the second message sent',
    );
    const stored = await query<{ author: string; delivery_status: string }>(
      helpdesk.database.url,
      `SELECT author, delivery_status FROM messages WHERE id = $1`,
      [first.body.messageId],
    );
    assert.equal(stored[0]!.author, 'bot');

    const ticket = await integration.get(`/api/integration/tickets/${first.body.ticketNumber}`);
    assert.equal(ticket.status, 200, JSON.stringify(ticket.body));
    assertMatches(integrationTicketSchema, ticket.body);
    assert.equal((ticket.body as { customer: { phone: string } }).customer.phone, '+201001234567');

    const used = await query<{ last_used_at: Date | null }>(
      helpdesk.database.url,
      `SELECT last_used_at FROM api_keys WHERE id = $1`,
      [id],
    );
    assert.ok(used[0]!.last_used_at, 'last use recorded');

    assertValidationError(
      await integration.post('/api/integration/messages', { phone: '12', text: 'x' }),
      'phone',
    );
    assertValidationError(
      await integration.post('/api/integration/messages', { phone: '+201001234567' }),
      'text',
    );
  });

  it('when a key lacks the scope, then 403; when revoked, then 401', async () => {
    const readOnly = await newKey(admin, ['tickets:read']);
    const answer = await apiClient(helpdesk.url, readOnly.key).post('/api/integration/messages', {
      phone: '+201001234568',
      text: 'hello',
    });
    assert.equal(answer.status, 403, JSON.stringify(answer.body));
    assert.match(JSON.stringify(answer.body), /messages:send/);

    const writer = await newKey(admin, ['customers:write']);
    const customers = apiClient(helpdesk.url, writer.key);
    const put = await customers.put(`/api/integration/customers/${encodeURIComponent('+201001234569')}`, {
      name: 'Mona',
      tags: ['vip'],
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual((put.body as { tags: string[] }).tags, ['vip']);

    const revoked = await admin.api.fetch(`/api/api-keys/${writer.id}`, { method: 'DELETE' });
    assert.equal(revoked.status, 200);
    const after = await customers.put(`/api/integration/customers/${encodeURIComponent('+201001234569')}`, {
      name: 'Mona 2',
    });
    assert.equal(after.status, 401, JSON.stringify(after.body));
  });

  it("when an API key is sent to an agents' route, then 401; a session token on an integration route, 401", async () => {
    const { key } = await newKey(admin, ['messages:send', 'tickets:read', 'customers:write']);
    const integration = apiClient(helpdesk.url, key);
    for (const path of ['/api/tickets', '/api/customers', '/api/api-keys', '/api/webhooks', '/api/agents']) {
      const answer = await integration.get(path);
      assert.equal(answer.status, 401, `${path}: ${JSON.stringify(answer.body)}`);
    }
    const bySession = await admin.api.post('/api/integration/messages', {
      phone: '+201001234567',
      text: 'x',
    });
    assert.equal(bySession.status, 401);
  });
});

describe('integration API (Cloud API)', () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk({ provider: 'cloud' });
    admin = await createAgent(helpdesk, { name: 'Cloud Admin', role: 'admin' });
  });
  after(() => helpdesk.stop());

  it('when the customer has not written within 24 hours, then a text is refused with 409 and nothing is stored', async () => {
    const { key } = await newKey(admin, ['messages:send']);
    const answer = await apiClient(helpdesk.url, key).post('/api/integration/messages', {
      phone: '+201001234570',
      text: 'Your order is ready',
    });
    assert.equal(answer.status, 409, JSON.stringify(answer.body));
    assert.match(JSON.stringify(answer.body), /24-hour/);
    const stored = await query(
      helpdesk.database.url,
      `SELECT 1 FROM messages WHERE text = 'Your order is ready'`,
    );
    assert.equal(stored.length, 0);
  });
});
