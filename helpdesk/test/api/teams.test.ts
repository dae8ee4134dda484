/**
 * Teams API: admins keep teams of agents (a channel may route its tickets to one); every agent may
 * list them. Through the real HTTP API and database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { teamListSchema, teamSchema, type Team } from '@whatsapp-helpdesk/contract/api';
import { query } from '../support/database';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import { assertMatches, assertValidationError, createAgent, type TestAgent } from './api-support';

describe("agents' API: teams", () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;
  let first: TestAgent;
  let second: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk({
      env: { CHANNEL_SECRETS_KEY: 'teams-test-secrets-key-0123456789abcdef0123', SESSION_NAME: 'pharmacy' },
    });
    admin = await createAgent(helpdesk, { name: 'Team Admin', role: 'admin' });
    first = await createAgent(helpdesk, { name: 'First Agent' });
    second = await createAgent(helpdesk, { name: 'Second Agent' });
  });
  after(() => helpdesk?.stop());

  it('when an admin adds a team with members, then every agent lists it', async () => {
    const created = await admin.api.post<Team>('/api/teams', {
      name: 'Nasr City',
      memberIds: [first.id, second.id, first.id],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assertMatches(teamSchema, created.body);
    assert.deepEqual(created.body.memberIds, [first.id, second.id].sort());
    const empty = await admin.api.post<Team>('/api/teams', { name: '  Heliopolis  ' });
    assert.equal(empty.status, 201);
    assert.equal(empty.body.name, 'Heliopolis');
    assert.deepEqual(empty.body.memberIds, []);

    const list = await first.api.get<Team[]>('/api/teams');
    assert.equal(list.status, 200);
    assertMatches(teamListSchema, list.body);
    assert.deepEqual(
      list.body.map((team) => team.name),
      ['Heliopolis', 'Nasr City'],
    );
  });

  it('when a body is wrong or a name taken, then 400 naming the field or 409', async () => {
    assertValidationError(await admin.api.post('/api/teams', { name: '' }), 'name');
    assertValidationError(
      await admin.api.post('/api/teams', { name: 'X', memberIds: ['nope'] }),
      'memberIds.0',
    );
    assertValidationError(
      await admin.api.post('/api/teams', {
        name: 'Ghosts',
        memberIds: ['00000000-0000-4000-8000-000000000000'],
      }),
      'memberIds',
    );
    const taken = await admin.api.post('/api/teams', { name: 'Nasr City' });
    assert.equal(taken.status, 409);
    assert.match(String(taken.body.message), /^name:/);
    const rows = await query<{ n: number }>(
      helpdesk.database.url,
      "SELECT count(*)::int AS n FROM teams WHERE name = 'Ghosts'",
    );
    assert.equal(rows[0]!.n, 0, 'nothing half-written');
  });

  it('when an agent who is not an admin writes, then 403', async () => {
    const team = (await first.api.get<Team[]>('/api/teams')).body[0]!;
    assert.equal((await first.api.post('/api/teams', { name: 'Mine' })).status, 403);
    assert.equal((await first.api.patch(`/api/teams/${team.id}`, { name: 'Mine' })).status, 403);
    const deleted = await first.api.fetch(`/api/teams/${team.id}`, { method: 'DELETE' });
    assert.equal(deleted.status, 403);
    await deleted.body?.cancel();
  });

  it('when an admin renames a team or replaces its members, then it changes; unknown ids 404', async () => {
    const team = (await admin.api.get<Team[]>('/api/teams')).body.find((t) => t.name === 'Nasr City')!;
    const renamed = await admin.api.patch<Team>(`/api/teams/${team.id}`, { name: 'Nasr City branch' });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.name, 'Nasr City branch');
    assert.equal(renamed.body.memberIds.length, 2, 'members left out stay');
    const members = await admin.api.patch<Team>(`/api/teams/${team.id}`, { memberIds: [second.id] });
    assert.deepEqual(members.body.memberIds, [second.id]);
    assertValidationError(await admin.api.patch(`/api/teams/${team.id}`, {}), 'name');
    const taken = await admin.api.patch(`/api/teams/${team.id}`, { name: 'Heliopolis' });
    assert.equal(taken.status, 409);
    const missing = '00000000-0000-4000-8000-000000000000';
    assert.equal((await admin.api.patch(`/api/teams/${missing}`, { name: 'Nobody' })).status, 404);
  });

  it('when an admin deletes a team, then its channels route to every agent', async () => {
    const team = (await admin.api.get<Team[]>('/api/teams')).body.find((t) => t.name === 'Heliopolis')!;
    const channel = (
      await admin.api.get<Array<{ id: string; configured: boolean }>>('/api/channels')
    ).body.find((c) => c.configured)!;
    const routed = await admin.api.patch<{ teamId: string | null }>(`/api/channels/${channel.id}`, {
      teamId: team.id,
    });
    assert.equal(routed.body.teamId, team.id);
    const deleted = await admin.api.fetch(`/api/teams/${team.id}`, { method: 'DELETE' });
    assert.equal(deleted.status, 204);
    const after = await admin.api.get<{ teamId: string | null }>(`/api/channels/${channel.id}`);
    assert.equal(after.body.teamId, null);
    const again = await admin.api.fetch(`/api/teams/${team.id}`, { method: 'DELETE' });
    assert.equal(again.status, 404);
    await again.body?.cancel();
  });
});
