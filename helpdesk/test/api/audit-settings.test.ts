/**
 * The audit log of the admin settings (issues 16 and 17): an API key created and revoked, an
 * outgoing webhook created, changed and deleted, an SLA policy and an auto-reply created, changed and
 * deleted each appear in `GET /api/audit` with the admin who did it, the subject's name and, for a
 * change, the fields before and after. No API key, key prefix or webhook signing secret (nor a
 * token in a webhook URL) is in any row of `audit_events`. Through the real HTTP API and database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  auditPageSchema,
  type ApiKeyCreated,
  type AuditEntry,
  type AuditPage,
  type AutoReplyRule,
  type OutgoingWebhookCreated,
  type SlaPolicy,
} from '@whatsapp-helpdesk/contract/api';
import { query } from '../support/database';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import { assertMatches, createAgent, type TestAgent } from './api-support';

const WEBHOOK_SECRET = 'whsec_audit-signing-secret-0123456789';
const URL_TOKEN = 'url-token-9f8e7d6c5b4a';

describe("agents' API: audit log of API keys, webhooks, SLA policies and auto-replies", () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;
  /** Every secret the admin was shown or gave, to look for in the audit rows. */
  const secrets: string[] = [WEBHOOK_SECRET, URL_TOKEN];

  before(async () => {
    // Loopback webhook URLs are allowed: nothing here is delivered.
    helpdesk = await startTestHelpdesk({ env: { ALLOW_PRIVATE_WEBHOOK_URLS: 'true' } });
    admin = await createAgent(helpdesk, { name: 'Settings Admin', role: 'admin' });
  });
  after(() => helpdesk?.stop());

  /** The audit entries of `actions`, newest first. */
  async function audit(actions: string): Promise<AuditEntry[]> {
    const answer = await admin.api.get<AuditPage>(`/api/audit?action=${actions}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assertMatches(auditPageSchema, answer.body);
    return answer.body.items;
  }

  const byAdmin = { id: '', name: 'Settings Admin' };
  const remove = async (path: string) => (await admin.api.fetch(path, { method: 'DELETE' })).status;

  it('when an admin creates and revokes an API key, then both appear with its name and scopes, never the key', async () => {
    byAdmin.id = admin.id;
    const created = await admin.api.post<ApiKeyCreated>('/api/api-keys', {
      name: 'Order system',
      scopes: ['messages:send', 'tickets:read'],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    secrets.push(created.body.key, created.body.prefix);
    assert.equal(await remove(`/api/api-keys/${created.body.id}`), 200);
    assert.equal(await remove(`/api/api-keys/${created.body.id}`), 200, 'revoking again is harmless');

    const [revoked, made, ...rest] = await audit('api_key.created,api_key.revoked');
    assert.equal(rest.length, 0, 'a second revocation records nothing');
    assert.equal(made?.action, 'api_key.created');
    assert.deepEqual(made?.actor, byAdmin);
    assert.deepEqual(made?.subject, {
      type: 'api_key',
      id: created.body.id,
      name: 'Order system',
      number: null,
    });
    assert.deepEqual(made?.data, { name: 'Order system', scopes: ['messages:send', 'tickets:read'] });
    assert.equal(revoked?.action, 'api_key.revoked');
    assert.deepEqual(revoked?.actor, byAdmin);
    assert.deepEqual(revoked?.data, { name: 'Order system' });
  });

  it('when an admin creates, changes and deletes a webhook, then each appears, the change before and after, never the secret', async () => {
    const created = await admin.api.post<OutgoingWebhookCreated>('/api/webhooks', {
      name: 'CRM',
      url: `http://127.0.0.1:9/hooks/helpdesk?token=${URL_TOKEN}`,
      events: ['ticket.created'],
      secret: WEBHOOK_SECRET,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    const changed = await admin.api.patch(`/api/webhooks/${id}`, {
      events: ['ticket.created', 'message.created'],
      enabled: false,
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    // A generated secret is never recorded either.
    const generated = await admin.api.post<OutgoingWebhookCreated>('/api/webhooks', {
      name: 'Generated',
      url: 'http://127.0.0.1:9/other',
      events: ['message.created'],
    });
    assert.equal(generated.status, 201, JSON.stringify(generated.body));
    secrets.push(generated.body.secret);
    assert.equal(await remove(`/api/webhooks/${id}`), 204);
    assert.equal(await remove(`/api/webhooks/${id}`), 404);

    const entries = await audit('webhook.created,webhook.updated,webhook.deleted');
    assert.deepEqual(
      entries.map((entry) => entry.action),
      ['webhook.deleted', 'webhook.created', 'webhook.updated', 'webhook.created'],
    );
    const [deleted, , updated, made] = entries;
    assert.ok(entries.every((entry) => entry.actor?.id === admin.id));
    assert.deepEqual(made?.data, {
      name: 'CRM',
      url: 'http://127.0.0.1:9/hooks/helpdesk',
      events: ['ticket.created'],
      enabled: true,
    });
    assert.deepEqual(updated?.subject, { type: 'webhook', id, name: null, number: null }, 'deleted since');
    assert.deepEqual(updated?.data, {
      changes: {
        events: { before: ['ticket.created'], after: ['ticket.created', 'message.created'] },
        enabled: { before: true, after: false },
      },
    });
    assert.deepEqual(deleted?.data, { name: 'CRM', url: 'http://127.0.0.1:9/hooks/helpdesk' });
  });

  it('when an admin creates, changes and deletes an SLA policy, then each appears with its name and the change before and after', async () => {
    const created = await admin.api.post<SlaPolicy>('/api/sla-policies', {
      name: 'Refills',
      firstResponseMinutes: 30,
      resolutionHours: 8,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    const changed = await admin.api.patch(`/api/sla-policies/${id}`, {
      firstResponseMinutes: 15,
      resolutionHours: 8,
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));

    const [updated, made] = await audit('sla_policy.created,sla_policy.updated');
    assert.equal(made?.action, 'sla_policy.created');
    assert.deepEqual(made?.actor, byAdmin);
    assert.deepEqual(made?.subject, { type: 'sla_policy', id, name: 'Refills', number: null });
    assert.deepEqual(made?.data, {
      name: 'Refills',
      category: null,
      channelKey: null,
      teamId: null,
      firstResponseMinutes: 30,
      resolutionMinutes: 480,
      businessHours: true,
    });
    assert.equal(updated?.action, 'sla_policy.updated');
    // Only what differs: the resolution time was given again unchanged.
    assert.deepEqual(updated?.data, { changes: { firstResponseMinutes: { before: 30, after: 15 } } });

    assert.equal(await remove(`/api/sla-policies/${id}`), 204);
    const [deleted] = await audit('sla_policy.deleted');
    assert.deepEqual(deleted?.actor, byAdmin);
    assert.deepEqual(deleted?.subject, { type: 'sla_policy', id, name: null, number: null });
    assert.deepEqual(deleted?.data, { name: 'Refills' });
  });

  it('when an admin creates, changes and deletes an auto-reply, then each appears with its keywords and the change before and after', async () => {
    const created = await admin.api.post<AutoReplyRule>('/api/auto-replies', {
      keywords: ['مواعيد', 'hours'],
      reply: { ar: 'نفتح من ٩ صباحًا', en: 'We open at 9 am' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    const changed = await admin.api.patch(`/api/auto-replies/${id}`, { enabled: false });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));

    const [updated, made] = await audit('auto_reply.created,auto_reply.updated');
    assert.deepEqual(made?.actor, byAdmin);
    assert.deepEqual(made?.subject, { type: 'auto_reply', id, name: 'مواعيد · hours', number: null });
    assert.deepEqual(made?.data, { keywords: ['مواعيد', 'hours'], channelKey: null, enabled: true });
    assert.deepEqual(updated?.data, { changes: { enabled: { before: true, after: false } } });

    assert.equal(await remove(`/api/auto-replies/${id}`), 204);
    const [deleted] = await audit('auto_reply.deleted');
    assert.deepEqual(deleted?.actor, byAdmin);
    assert.deepEqual(deleted?.data, { keywords: ['مواعيد', 'hours'] });
  });

  it('when every audit row is read from the database, then no API key, key prefix or webhook secret is in any', async () => {
    const rows = await query<{ action: string; text: string }>(
      helpdesk.database.url,
      `SELECT action, row_to_json(a)::text AS text FROM audit_events a`,
    );
    assert.ok(rows.length >= 12, `the settings' entries are there: ${rows.length}`);
    for (const secret of secrets) {
      assert.ok(secret.length >= 8, 'a real secret to look for');
      const found = rows.filter((row) => row.text.includes(secret));
      assert.deepEqual(found, [], `"${secret.slice(0, 4)}…" is in no audit row`);
    }
  });
});
