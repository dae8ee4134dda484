/**
 * Channels API (SPEC section 9, issue 14): admins add WhatsApp numbers of both providers, change,
 * pair, restart, log out, test and remove them through the real HTTP API, against the stand-in
 * sidecar (wpp-sidecar's sessions API) and a stand-in Graph API (Meta's phone number read).
 * Secrets are never answered and the database holds only their ciphertext.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { channelListSchema, channelSchema, type ChannelView } from '@whatsapp-helpdesk/contract/api';
import { SecretBox } from '../../src/infra/secret-box';
import { query } from '../support/database';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import { startStandInGraphApi, type StandInGraphApi } from '../support/stand-in-graph-api';
import { assertMatches, assertValidationError, createAgent, seedTicket, type TestAgent } from './api-support';

const SECRETS_KEY = 'channels-test-secrets-key-0123456789abcdef0123456789';
const WEBHOOK_SECRET_2 = 'branch-two-webhook-secret-9f8e7d6c5b4a';
const CLOUD_APP_SECRET = 'cloud-app-secret-0123456789abcdef';
const CLOUD_VERIFY_TOKEN = 'cloud-verify-token-0123456789abcd';

interface StoredChannel {
  id: string;
  name: string;
  key: string;
  secrets: string;
  settings: Record<string, unknown>;
  enabled: boolean;
  team_id: string | null;
  overrides: Record<string, unknown>;
}

describe("agents' API: channels", () => {
  let helpdesk: TestHelpdesk;
  let graph: StandInGraphApi;
  let admin: TestAgent;
  let agent: TestAgent;

  const wppconnectBody = (session: string, name: string, extra: Record<string, unknown> = {}) => ({
    name,
    provider: 'wppconnect',
    wppconnect: {
      sidecarUrl: helpdesk.sidecar.url,
      apiKey: helpdesk.sidecar.apiKey,
      webhookSecret: WEBHOOK_SECRET_2,
      session,
      ...extra,
    },
  });
  const cloudBody = (phoneNumberId: string, name: string, extra: Record<string, unknown> = {}) => ({
    name,
    provider: 'cloud',
    cloud: {
      phoneNumberId,
      businessAccountId: '102290129340398',
      accessToken: graph.token,
      appSecret: CLOUD_APP_SECRET,
      verifyToken: CLOUD_VERIFY_TOKEN,
      graphVersion: graph.version,
      baseUrl: graph.url,
      ...extra,
    },
  });
  const stored = async (id: string) =>
    (
      await query<StoredChannel>(
        helpdesk.database.url,
        'SELECT id, name, key, secrets, settings, enabled, team_id, overrides FROM channels WHERE id = $1',
        [id],
      )
    )[0];
  const countChannels = async () =>
    (await query<{ n: number }>(helpdesk.database.url, 'SELECT count(*)::int AS n FROM channels'))[0]!.n;
  const create = async (body: unknown) => {
    const answer = await admin.api.post<ChannelView>('/api/channels', body);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    return answer.body;
  };
  const noSecretIn = (text: string, ...secrets: string[]) => {
    for (const secret of secrets)
      assert.ok(!text.includes(secret), `"${secret.slice(0, 6)}…" is not in ${text.slice(0, 80)}…`);
  };

  before(async () => {
    helpdesk = await startTestHelpdesk({
      env: { CHANNEL_SECRETS_KEY: SECRETS_KEY, SESSION_NAME: 'pharmacy' },
    });
    graph = await startStandInGraphApi({ phoneNumberId: '106540352242922' });
    admin = await createAgent(helpdesk, { name: 'Channel Admin', role: 'admin' });
    agent = await createAgent(helpdesk, { name: 'Channel Agent' });
  });
  after(async () => {
    await helpdesk?.stop();
    await graph?.close();
  });

  it('when an admin adds a WPPConnect number, then the sidecar creates the session and the answer has no secrets', async () => {
    const channel = await create(wppconnectBody('branch-2', 'Nasr City branch'));
    assertMatches(channelSchema, channel);
    assert.equal(channel.provider, 'wppconnect');
    assert.equal(channel.key, 'branch-2');
    assert.equal(channel.configured, false);
    assert.deepEqual(channel.settings, { sidecarUrl: helpdesk.sidecar.url, session: 'branch-2' });
    noSecretIn(JSON.stringify(channel), helpdesk.sidecar.apiKey, WEBHOOK_SECRET_2);
    assert.ok(helpdesk.sidecar.sessions.includes('branch-2'), 'the stand-in sidecar holds the session');
    assert.deepEqual(helpdesk.sidecar.sessionCalls.at(-1), { action: 'create', session: 'branch-2' });

    const row = (await stored(channel.id))!;
    noSecretIn(JSON.stringify(row), helpdesk.sidecar.apiKey, WEBHOOK_SECRET_2);
    assert.deepEqual(new SecretBox(SECRETS_KEY).open(row.secrets), {
      apiKey: helpdesk.sidecar.apiKey,
      webhookSecret: WEBHOOK_SECRET_2,
    });
  });

  it('when an admin adds a Cloud API number, then it is stored with defaults and answered without secrets', async () => {
    const body = cloudBody('106540352242922', 'Cloud number');
    delete (body.cloud as Record<string, unknown>).graphVersion;
    const channel = await create(body);
    assertMatches(channelSchema, channel);
    assert.equal(channel.key, '106540352242922');
    assert.deepEqual(channel.settings, {
      phoneNumberId: '106540352242922',
      businessAccountId: '102290129340398',
      graphVersion: 'v23.0',
      baseUrl: graph.url,
    });
    noSecretIn(JSON.stringify(channel), graph.token, CLOUD_APP_SECRET, CLOUD_VERIFY_TOKEN);
    noSecretIn(JSON.stringify(await stored(channel.id)), graph.token, CLOUD_APP_SECRET, CLOUD_VERIFY_TOKEN);
  });

  it('when a body is wrong, then it answers 400 naming the field and stores nothing', async () => {
    const before = await countChannels();
    const withoutSession = wppconnectBody('x', 'No session');
    delete (withoutSession.wppconnect as Record<string, unknown>).session;
    assertValidationError(await admin.api.post('/api/channels', withoutSession), 'wppconnect.session');
    assertValidationError(
      await admin.api.post('/api/channels', wppconnectBody('Bad Name!', 'Bad session')),
      'wppconnect.session',
    );
    assertValidationError(
      await admin.api.post(
        '/api/channels',
        wppconnectBody('ok-name', 'Bad URL', { sidecarUrl: 'ftp://sidecar' }),
      ),
      'wppconnect.sidecarUrl',
    );
    assertValidationError(
      await admin.api.post('/api/channels', cloudBody('+20 100 000 0000', 'Phone, not id')),
      'cloud.phoneNumberId',
    );
    assertValidationError(
      await admin.api.post('/api/channels', { name: 'No provider part', provider: 'cloud' }),
      'cloud',
    );
    assertValidationError(
      await admin.api.post('/api/channels', { name: 'Unknown', provider: 'telegram' }),
      'provider',
    );
    assertValidationError(
      await admin.api.post('/api/channels', {
        ...wppconnectBody('hours', 'Hours'),
        overrides: { businessHours: 'always' },
      }),
      'overrides.businessHours',
    );
    assertValidationError(
      await admin.api.post('/api/channels', {
        ...wppconnectBody('zone', 'Zone'),
        overrides: { businessTimeZone: 'Mars/Base' },
      }),
      'overrides.businessTimeZone',
    );
    assertValidationError(
      await admin.api.post('/api/channels', {
        ...wppconnectBody('team', 'Team'),
        teamId: '00000000-0000-4000-8000-000000000000',
      }),
      'teamId',
    );
    assert.equal(await countChannels(), before, 'nothing stored');
    assert.ok(!helpdesk.sidecar.sessions.includes('hours'), 'no session created for a refused body');
  });

  it('when a phone number id is typed in Arabic-Indic digits, then it is stored in ASCII digits', async () => {
    const channel = await create(cloudBody('١٠٦٥٤٠٣٥٢٢٤٢٩٢٣', 'Arabic digits'));
    assert.equal(channel.key, '106540352242923');
  });

  it('when the name, session or phone number id is taken, then it answers 409 naming it', async () => {
    const sameName = await admin.api.post('/api/channels', wppconnectBody('another', 'Nasr City branch'));
    assert.equal(sameName.status, 409);
    assert.match(String(sameName.body.message), /^name:/);
    const sameSession = await admin.api.post('/api/channels', wppconnectBody('branch-2', 'Other name'));
    assert.equal(sameSession.status, 409);
    assert.match(String(sameSession.body.message), /^wppconnect\.session:/);
    const samePhone = await admin.api.post('/api/channels', cloudBody('106540352242922', 'Other cloud'));
    assert.equal(samePhone.status, 409);
    assert.match(String(samePhone.body.message), /^cloud\.phoneNumberId:/);
    assert.ok(!helpdesk.sidecar.sessions.includes('another'), 'no session created for a taken name');
  });

  it('when the sidecar refuses the key or cannot be reached, then nothing is stored', async () => {
    const before = await countChannels();
    const refused = await admin.api.post(
      '/api/channels',
      wppconnectBody('refused', 'Refused', { apiKey: 'not-the-sidecars-key-0123456789' }),
    );
    assertValidationError(refused, 'wppconnect.apiKey');
    const unreachable = await admin.api.post(
      '/api/channels',
      wppconnectBody('far', 'Unreachable', { sidecarUrl: 'http://127.0.0.1:9' }),
    );
    assert.equal(unreachable.status, 502, JSON.stringify(unreachable.body));
    assert.match(String(unreachable.body.message), /^wppconnect\.sidecarUrl:/);
    assert.equal(await countChannels(), before);
    assert.ok(!helpdesk.sidecar.sessions.includes('refused'));
  });

  it('when an agent lists channels, then they see states without settings, and cannot change any', async () => {
    const list = await agent.api.get<ChannelView[]>('/api/channels');
    assert.equal(list.status, 200);
    assertMatches(channelListSchema, list.body);
    assert.ok(list.body.length >= 2);
    for (const channel of list.body) assert.equal(channel.settings, null);
    const adminList = await admin.api.get<ChannelView[]>('/api/channels');
    assert.ok(adminList.body.every((channel) => channel.settings !== null));
    assert.deepEqual(
      adminList.body.map((channel) => channel.name),
      [...adminList.body.map((channel) => channel.name)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
      'by name',
    );
    const one = list.body.find((channel) => channel.key === 'branch-2')!;
    const got = await agent.api.get<ChannelView>(`/api/channels/${one.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.settings, null);

    assert.equal((await agent.api.post('/api/channels', wppconnectBody('by-agent', 'By agent'))).status, 403);
    assert.equal((await agent.api.patch(`/api/channels/${one.id}`, { name: 'Renamed' })).status, 403);
    const deleted = await agent.api.fetch(`/api/channels/${one.id}`, { method: 'DELETE' });
    assert.equal(deleted.status, 403);
    await deleted.body?.cancel();
    assert.equal((await agent.api.get(`/api/channels/${one.id}/qr`)).status, 403);
    for (const action of ['restart', 'logout', 'test']) {
      assert.equal((await agent.api.post(`/api/channels/${one.id}/${action}`)).status, 403, action);
    }
    assert.equal((await admin.api.get('/api/channels/00000000-0000-4000-8000-000000000000')).status, 404);
  });

  it('when an admin renames, disables, routes to a team and overrides, then the channel changes', async () => {
    const channel = (await admin.api.get<ChannelView[]>('/api/channels')).body.find(
      (c) => c.key === 'branch-2',
    )!;
    const team = await admin.api.post<{ id: string }>('/api/teams', {
      name: 'Branch two team',
      memberIds: [agent.id],
    });
    assert.equal(team.status, 201);
    const changed = await admin.api.patch<ChannelView>(`/api/channels/${channel.id}`, {
      name: 'Heliopolis branch',
      enabled: false,
      teamId: team.body.id,
      overrides: {
        businessHours: 'sat-thu 10:00-22:00',
        businessTimeZone: 'Africa/Cairo',
        botLanguage: 'ar',
        texts: { welcome: { ar: 'أهلاً بك في فرع مصر الجديدة', en: 'Welcome to Heliopolis branch' } },
      },
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assertMatches(channelSchema, changed.body);
    assert.equal(changed.body.name, 'Heliopolis branch');
    assert.equal(changed.body.enabled, false);
    assert.equal(changed.body.teamId, team.body.id);
    assert.deepEqual(changed.body.overrides, {
      businessHours: 'sat-thu 10:00-22:00',
      businessTimeZone: 'Africa/Cairo',
      botLanguage: 'ar',
      texts: { welcome: { ar: 'أهلاً بك في فرع مصر الجديدة', en: 'Welcome to Heliopolis branch' } },
    });
    // A key left out stays; null returns it to the deployment's.
    const cleared = await admin.api.patch<ChannelView>(`/api/channels/${channel.id}`, {
      enabled: true,
      overrides: { botLanguage: null },
    });
    assert.equal(cleared.body.overrides.botLanguage, null);
    assert.equal(cleared.body.overrides.businessHours, 'sat-thu 10:00-22:00');
    const row = (await stored(channel.id))!;
    assert.equal(row.enabled, true);
    assert.equal(row.team_id, team.body.id);
    assert.ok(!('botLanguage' in row.overrides));

    assertValidationError(
      await admin.api.patch(`/api/channels/${channel.id}`, { wppconnect: { session: 'renamed' } }),
      'wppconnect.session',
    );
    assertValidationError(
      await admin.api.patch(`/api/channels/${channel.id}`, { cloud: { accessToken: 'x'.repeat(30) } }),
      'cloud',
    );
    assertValidationError(
      await admin.api.patch(`/api/channels/${channel.id}`, {
        overrides: { businessHours: 'mon 25:00-26:00' },
      }),
      'overrides.businessHours',
    );
    const taken = await admin.api.patch(`/api/channels/${channel.id}`, { name: 'Cloud number' });
    assert.equal(taken.status, 409);
  });

  it('when a secret is rotated, then the ciphertext changes and the plaintext is in neither the row nor the answer', async () => {
    const channels = (await admin.api.get<ChannelView[]>('/api/channels')).body;
    const wpp = channels.find((c) => c.key === 'branch-2')!;
    const before = (await stored(wpp.id))!.secrets;
    const rotated = 'rotated-webhook-secret-a1b2c3d4e5f6';
    const answer = await admin.api.patch<ChannelView>(`/api/channels/${wpp.id}`, {
      wppconnect: { webhookSecret: rotated },
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    noSecretIn(JSON.stringify(answer.body), rotated, helpdesk.sidecar.apiKey);
    const after = (await stored(wpp.id))!;
    assert.notEqual(after.secrets, before);
    noSecretIn(JSON.stringify(after), rotated);
    assert.deepEqual(new SecretBox(SECRETS_KEY).open(after.secrets), {
      apiKey: helpdesk.sidecar.apiKey,
      webhookSecret: rotated,
    });

    // A new API key is checked with the sidecar before it is stored.
    const refused = await admin.api.patch(`/api/channels/${wpp.id}`, {
      wppconnect: { apiKey: 'a-key-the-sidecar-refuses-0123' },
    });
    assertValidationError(refused, 'wppconnect.apiKey');
    assert.equal((await stored(wpp.id))!.secrets, after.secrets, 'nothing written');

    const cloud = channels.find((c) => c.key === '106540352242922')!;
    const token = 'EAArotated-access-token-0123456789abcdef';
    const cloudAnswer = await admin.api.patch<ChannelView>(`/api/channels/${cloud.id}`, {
      cloud: { accessToken: token, graphVersion: 'v24.0' },
    });
    assert.equal(cloudAnswer.status, 200);
    noSecretIn(JSON.stringify(cloudAnswer.body), token);
    assert.equal((cloudAnswer.body.settings as { graphVersion: string }).graphVersion, 'v24.0');
    const cloudRow = (await stored(cloud.id))!;
    noSecretIn(JSON.stringify(cloudRow), token);
    assert.equal(new SecretBox(SECRETS_KEY).open(cloudRow.secrets).accessToken, token);
    // Back to the stand-in's token and version for the test below.
    await admin.api.patch(`/api/channels/${cloud.id}`, {
      cloud: { accessToken: graph.token, graphVersion: graph.version },
    });
  });

  it('when a WPPConnect channel waits for a scan, then its QR is answered; otherwise 409', async () => {
    const channel = (await admin.api.get<ChannelView[]>('/api/channels')).body.find(
      (c) => c.key === 'branch-2',
    )!;
    helpdesk.sidecar.sessionStates.set('branch-2', { state: 'qr' });
    const qr = await admin.api.get<{ qr: string; expiresAt: string }>(`/api/channels/${channel.id}/qr`);
    assert.equal(qr.status, 200, JSON.stringify(qr.body));
    assert.match(qr.body.qr, /^data:image\/png;base64,[A-Za-z0-9+/=]+$/);
    assert.ok(Date.parse(qr.body.expiresAt) > Date.now());

    helpdesk.sidecar.sessionStates.set('branch-2', { state: 'connected', phone: '+201000000077' });
    const connected = await admin.api.get<{ details: { reason: string; state: string } }>(
      `/api/channels/${channel.id}/qr`,
    );
    assert.equal(connected.status, 409);
    assert.deepEqual(connected.body.details, { reason: 'not_waiting_for_scan', state: 'connected' });

    const cloud = (await admin.api.get<ChannelView[]>('/api/channels')).body.find(
      (c) => c.provider === 'cloud',
    )!;
    assertValidationError(await admin.api.get(`/api/channels/${cloud.id}/qr`), 'provider');
  });

  it('when an admin restarts or logs out a WPPConnect channel, then the sidecar is asked', async () => {
    const channel = (await admin.api.get<ChannelView[]>('/api/channels')).body.find(
      (c) => c.key === 'branch-2',
    )!;
    const restarted = await admin.api.post<ChannelView>(`/api/channels/${channel.id}/restart`);
    assert.equal(restarted.status, 200, JSON.stringify(restarted.body));
    assertMatches(channelSchema, restarted.body);
    assert.equal(restarted.body.state, 'starting');
    assert.deepEqual(helpdesk.sidecar.sessionCalls.at(-1), { action: 'restart', session: 'branch-2' });

    const [row] = await query<{ state: string }>(
      helpdesk.database.url,
      'SELECT state FROM channels WHERE id = $1',
      [channel.id],
    );
    assert.equal(row!.state, 'starting', 'the answered state is stored');

    // A session the sidecar lost is created again by a restart.
    helpdesk.sidecar.sessions.splice(helpdesk.sidecar.sessions.indexOf('branch-2'), 1);
    const repaired = await admin.api.post<ChannelView>(`/api/channels/${channel.id}/restart`);
    assert.equal(repaired.status, 200, JSON.stringify(repaired.body));
    assert.ok(helpdesk.sidecar.sessions.includes('branch-2'));
    assert.deepEqual(helpdesk.sidecar.sessionCalls.at(-1), { action: 'create', session: 'branch-2' });

    const loggedOut = await admin.api.post<ChannelView>(`/api/channels/${channel.id}/logout`);
    assert.equal(loggedOut.status, 200);
    assert.equal(loggedOut.body.state, 'qr');
    assert.deepEqual(helpdesk.sidecar.sessionCalls.at(-1), { action: 'logout', session: 'branch-2' });

    const cloud = (await admin.api.get<ChannelView[]>('/api/channels')).body.find(
      (c) => c.provider === 'cloud',
    )!;
    assertValidationError(await admin.api.post(`/api/channels/${cloud.id}/restart`), 'provider');
  });

  it('when an admin tests a channel, then a good Graph token is ok and a bad one a clear failure', async () => {
    const channels = (await admin.api.get<ChannelView[]>('/api/channels')).body;
    const cloud = channels.find((c) => c.key === '106540352242922')!;
    const good = await admin.api.post<{ ok: boolean; detail: string; phone: string | null }>(
      `/api/channels/${cloud.id}/test`,
    );
    assert.equal(good.status, 200);
    assert.deepEqual({ ok: good.body.ok, phone: good.body.phone }, { ok: true, phone: '+201000000000' });
    assert.match(good.body.detail, /Pharmacy/);
    assert.ok(graph.requests.includes(`GET /${graph.version}/106540352242922`));

    const badToken = await create(
      cloudBody('106540352242924', 'Bad token', { accessToken: 'EAAwrong-token-0123456789abcdef' }),
    );
    const bad = await admin.api.post<{ ok: boolean; detail: string }>(`/api/channels/${badToken.id}/test`);
    assert.equal(bad.status, 200);
    assert.equal(bad.body.ok, false);
    assert.match(bad.body.detail, /cloud\.accessToken/);
    assert.match(bad.body.detail, /190/);

    // The stand-in's token cannot see this id: Meta's error 100 names the phone number id.
    const otherId = channels.find((c) => c.key === '106540352242923')!;
    const unknown = await admin.api.post<{ ok: boolean; detail: string }>(`/api/channels/${otherId.id}/test`);
    assert.equal(unknown.body.ok, false);
    assert.match(unknown.body.detail, /cloud\.phoneNumberId/);

    const wpp = channels.find((c) => c.key === 'branch-2')!;
    const reached = await admin.api.post<{ ok: boolean; detail: string }>(`/api/channels/${wpp.id}/test`);
    assert.equal(reached.body.ok, true, reached.body.detail);
  });

  it("when tickets are listed or counted by channel, then only that channel's count", async () => {
    const first = await seedTicket(helpdesk.context.db, { assigneeId: admin.id });
    const second = await seedTicket(helpdesk.context.db, { assigneeId: admin.id });
    await seedTicket(helpdesk.context.db, { assigneeId: null });
    await helpdesk.context.db.ticket.update({ where: { id: second.id }, data: { channel: 'branch-2' } });
    const list = await admin.api.get<{ items: Array<{ id: string; channel: string }> }>(
      '/api/tickets?view=all&channel=branch-2',
    );
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.items.map((ticket) => ticket.id),
      [second.id],
    );
    const pharmacy = await admin.api.get<{ items: Array<{ id: string }> }>(
      '/api/tickets?view=all&channel=pharmacy',
    );
    assert.ok(pharmacy.body.items.some((ticket) => ticket.id === first.id));
    assert.ok(!pharmacy.body.items.some((ticket) => ticket.id === second.id));

    const all = await admin.api.get<{ mine: number; unassigned: number }>('/api/tickets/counts');
    const branch = await admin.api.get<{ mine: number; unassigned: number }>(
      '/api/tickets/counts?channel=branch-2',
    );
    assert.equal(branch.status, 200);
    assert.deepEqual(
      { mine: branch.body.mine, unassigned: branch.body.unassigned },
      { mine: 1, unassigned: 0 },
    );
    assert.ok(all.body.mine >= 2 && all.body.unassigned >= 1);
  });

  it('when an admin deletes a channel, then the sidecar deletes its session; the configured channel stays', async () => {
    const channels = (await admin.api.get<ChannelView[]>('/api/channels')).body;
    const wpp = channels.find((c) => c.key === 'branch-2')!;
    const deleted = await admin.api.fetch(`/api/channels/${wpp.id}`, { method: 'DELETE' });
    assert.equal(deleted.status, 204);
    assert.deepEqual(helpdesk.sidecar.sessionCalls.at(-1), { action: 'delete', session: 'branch-2' });
    assert.ok(!helpdesk.sidecar.sessions.includes('branch-2'));
    assert.equal(await stored(wpp.id), undefined);
    assert.equal((await admin.api.get(`/api/channels/${wpp.id}`)).status, 404);

    const configured = channels.find((c) => c.configured);
    assert.ok(configured, 'the environment describes a channel');
    const refused = await admin.api.fetch(`/api/channels/${configured.id}`, { method: 'DELETE' });
    assert.equal(refused.status, 409);
    await refused.body?.cancel();
    assert.ok(await stored(configured.id));
  });
});
