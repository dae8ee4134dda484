/**
 * Response-time target policies API (admins): create, list most specific first, change, delete;
 * 400 naming the field, 403 for agents, 409 for a taken name or match. Through the real HTTP API
 * and database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  slaPolicyListSchema,
  slaPolicySchema,
  type SlaPolicy,
  type SlaPolicyList,
  type Team,
} from '@whatsapp-helpdesk/contract/api';
import { query } from '../support/database';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import { assertMatches, assertValidationError, createAgent, type TestAgent } from './api-support';

describe("agents' API: response-time target policies", () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;
  let agent: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk({ env: { SESSION_NAME: 'pharmacy' } });
    admin = await createAgent(helpdesk, { name: 'SLA Admin', role: 'admin' });
    agent = await createAgent(helpdesk, { name: 'SLA Agent' });
  });
  after(() => helpdesk?.stop());

  it('when an admin adds policies, then they are listed most specific first with hours as minutes', async () => {
    const team = await admin.api.post<Team>('/api/teams', { name: 'Pharmacists' });
    assert.equal(team.status, 201);
    const everyone = await admin.api.post<SlaPolicy>('/api/sla-policies', {
      name: 'Everyone',
      firstResponseMinutes: 60,
      resolutionHours: 24,
    });
    assert.equal(everyone.status, 201, JSON.stringify(everyone.body));
    assertMatches(slaPolicySchema, everyone.body);
    assert.equal(everyone.body.businessHours, true);
    assert.equal(everyone.body.resolutionMinutes, 24 * 60);
    assert.equal(everyone.body.category, null);

    const refills = await admin.api.post<SlaPolicy>('/api/sla-policies', {
      name: '  Refills on pharmacy  ',
      category: 'prescription_refill',
      channelKey: 'pharmacy',
      firstResponseMinutes: '١٥',
      resolutionHours: 1.5,
      businessHours: false,
    });
    assert.equal(refills.status, 201, JSON.stringify(refills.body));
    assert.equal(refills.body.name, 'Refills on pharmacy');
    assert.equal(refills.body.firstResponseMinutes, 15, 'Arabic-Indic digits accepted');
    assert.equal(refills.body.resolutionMinutes, 90);
    assert.equal(refills.body.resolutionHours, 1.5);

    const byTeam = await admin.api.post<SlaPolicy>('/api/sla-policies', {
      name: 'Pharmacists team',
      teamId: team.body.id,
      firstResponseMinutes: 30,
      resolutionHours: 8,
    });
    assert.equal(byTeam.status, 201, JSON.stringify(byTeam.body));

    const list = await admin.api.get<SlaPolicyList>('/api/sla-policies');
    assert.equal(list.status, 200);
    assertMatches(slaPolicyListSchema, list.body);
    assert.deepEqual(
      list.body.items.map((policy) => policy.name),
      ['Refills on pharmacy', 'Pharmacists team', 'Everyone'],
    );
  });

  it('when a body is wrong, then 400 names the field and nothing is written', async () => {
    const good = { name: 'Bad', firstResponseMinutes: 10, resolutionHours: 2 };
    assertValidationError(await admin.api.post('/api/sla-policies', { ...good, name: ' ' }), 'name');
    assertValidationError(
      await admin.api.post('/api/sla-policies', { ...good, firstResponseMinutes: 0 }),
      'firstResponseMinutes',
    );
    assertValidationError(
      await admin.api.post('/api/sla-policies', { ...good, firstResponseMinutes: 2.5 }),
      'firstResponseMinutes',
    );
    assertValidationError(
      await admin.api.post('/api/sla-policies', { ...good, resolutionHours: 'soon' }),
      'resolutionHours',
    );
    assertValidationError(
      await admin.api.post('/api/sla-policies', { ...good, category: 'groceries' }),
      'category',
    );
    assertValidationError(
      await admin.api.post('/api/sla-policies', { ...good, channelKey: 'nowhere' }),
      'channelKey',
    );
    assertValidationError(
      await admin.api.post('/api/sla-policies', { ...good, teamId: '00000000-0000-4000-8000-000000000000' }),
      'teamId',
    );
    assertValidationError(await admin.api.post('/api/sla-policies', { ...good, teamId: 'x' }), 'teamId');
    const rows = await query<{ n: number }>(
      helpdesk.database.url,
      "SELECT count(*)::int AS n FROM sla_policies WHERE name = 'Bad'",
    );
    assert.equal(rows[0]!.n, 0, 'nothing half-written');
  });

  it('when a name or a match is taken, then 409', async () => {
    const sameName = await admin.api.post('/api/sla-policies', {
      name: 'Everyone',
      category: 'delivery',
      firstResponseMinutes: 5,
      resolutionHours: 1,
    });
    assert.equal(sameName.status, 409);
    assert.match(String(sameName.body.message), /^name:/);
    const sameMatch = await admin.api.post('/api/sla-policies', {
      name: 'Everyone again',
      firstResponseMinutes: 5,
      resolutionHours: 1,
    });
    assert.equal(sameMatch.status, 409);
    assert.match(String(sameMatch.body.message), /category, channelKey, teamId/);
  });

  it('when an admin changes and deletes a policy, then the change shows and the policy goes', async () => {
    const list = (await admin.api.get<SlaPolicyList>('/api/sla-policies')).body.items;
    const everyone = list.find((policy) => policy.name === 'Everyone')!;
    const changed = await admin.api.patch<SlaPolicy>(`/api/sla-policies/${everyone.id}`, {
      resolutionHours: 48,
      category: 'delivery',
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.resolutionMinutes, 48 * 60);
    assert.equal(changed.body.category, 'delivery');
    assert.equal(changed.body.firstResponseMinutes, 60, 'fields left out stay');
    const taken = await admin.api.patch(`/api/sla-policies/${everyone.id}`, { name: 'Pharmacists team' });
    assert.equal(taken.status, 409);
    assertValidationError(await admin.api.patch(`/api/sla-policies/${everyone.id}`, {}), '');

    const removed = await admin.api.fetch(`/api/sla-policies/${everyone.id}`, { method: 'DELETE' });
    assert.equal(removed.status, 204);
    await removed.body?.cancel();
    const again = await admin.api.fetch(`/api/sla-policies/${everyone.id}`, { method: 'DELETE' });
    assert.equal(again.status, 404);
    await again.body?.cancel();
    assert.equal((await admin.api.patch(`/api/sla-policies/${everyone.id}`, { name: 'Z' })).status, 404);
  });

  it('when an agent who is not an admin reads or writes, then 403', async () => {
    assert.equal((await agent.api.get('/api/sla-policies')).status, 403);
    assert.equal(
      (
        await agent.api.post('/api/sla-policies', {
          name: 'Mine',
          firstResponseMinutes: 1,
          resolutionHours: 1,
        })
      ).status,
      403,
    );
  });
});
