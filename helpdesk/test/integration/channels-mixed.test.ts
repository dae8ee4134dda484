/**
 * Several WhatsApp numbers of both providers at once (issue 14, SPEC section 9): two sidecar
 * sessions ("main", "branch-2") and two Cloud API phone numbers of two Meta apps (stand-in Graph
 * APIs), every channel inserted through store/channels.ts with its secrets sealed by the
 * SecretBox. Customers write to each number; each ticket carries its number's provider and channel;
 * the bot's and agents' replies leave through that session's routes or that phone number id; one
 * phone writing to two numbers has two tickets; a webhook signed with another secret than its
 * channel's is refused or its events dropped; a sidecar session with no channel, signed with a
 * known sidecar's secret, becomes a channel; the table holds only ciphertext of the secrets.
 * Through the real HTTP stack, PostgreSQL, Redis and BullMQ workers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deleteChannel, insertChannel, updateChannel } from '../../src/store/channels';
import { checkChannelStates } from '../../src/use-cases/channels/check-channel-states';
import { ensureConfiguredChannel } from '../../src/use-cases/channels/ensure-configured-channel';
import { query } from '../support/database';
import { startTestHelpdesk, textEvent, waitFor, WEBHOOK_SECRET, type TestHelpdesk } from '../support/harness';
import {
  APP_SECRET,
  message,
  messagesValue,
  notification,
  PHONE_NUMBER_ID,
  VERIFY_TOKEN,
  type Sender,
} from '../support/cloud-payloads';
import { startStandInGraphApi, type StandInGraphApi } from '../support/stand-in-graph-api';
import { createAgent, type TestAgent } from '../api/api-support';

/** The second Meta app's phone number, app secret and verify token. */
const PHONE_NUMBER_ID_2 = '209876543210987';
const APP_SECRET_2 = 'second-app-secret-9f8e7d6c5b4a3210';
const VERIFY_TOKEN_2 = 'second-verify-token-5a4b3c2d1e0f9a8b';
/** A second sidecar's webhook secret (its channel exists; nothing of "main" is signed with it). */
const OTHER_SIDECAR_SECRET = 'other-sidecar-webhook-secret-7c6b5a4d3e2f';

const MAIN_CUSTOMER = '+201001300001';
const BRANCH_CUSTOMER = '+201001300002';
const CLOUD_CUSTOMER: Sender = { waId: '201001300003', name: 'Cloud Customer' };
const TWO_NUMBERS_PHONE = '+201001300004';

describe('channels of both providers at once', () => {
  let helpdesk: TestHelpdesk;
  let graph: StandInGraphApi;
  let graph2: StandInGraphApi;
  let admin: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk();
    helpdesk.sidecar.sessions = ['main', 'branch-2', 'branch-3'];
    graph = await startStandInGraphApi({ phoneNumberId: PHONE_NUMBER_ID });
    graph2 = await startStandInGraphApi({
      phoneNumberId: PHONE_NUMBER_ID_2,
      token: 'EAAsecond-app-token-0123456789',
    });
    const { pool, secretBox } = helpdesk.context;
    const base = { enabled: true, teamId: null, overrides: {}, configured: false };
    for (const session of ['main', 'branch-2']) {
      await insertChannel(pool, {
        ...base,
        name: `Branch ${session}`,
        provider: 'wppconnect',
        key: session,
        settings: { sidecarUrl: helpdesk.sidecar.url, session },
        secrets: secretBox.seal({ apiKey: helpdesk.sidecar.apiKey, webhookSecret: WEBHOOK_SECRET }),
      });
    }
    await insertChannel(pool, {
      ...base,
      name: 'Other sidecar',
      provider: 'wppconnect',
      key: 'elsewhere',
      settings: { sidecarUrl: 'http://127.0.0.1:9', session: 'elsewhere' },
      secrets: secretBox.seal({
        apiKey: 'other-sidecar-api-key-0123456789',
        webhookSecret: OTHER_SIDECAR_SECRET,
      }),
    });
    for (const [name, stand, appSecret, verifyToken] of [
      ['Cloud number', graph, APP_SECRET, VERIFY_TOKEN],
      ['Second app number', graph2, APP_SECRET_2, VERIFY_TOKEN_2],
    ] as const) {
      await insertChannel(pool, {
        ...base,
        name,
        provider: 'cloud',
        key: stand.phoneNumberId,
        settings: {
          phoneNumberId: stand.phoneNumberId,
          businessAccountId: '102290129340398',
          graphVersion: stand.version,
          baseUrl: stand.url,
        },
        secrets: secretBox.seal({ accessToken: stand.token, appSecret, verifyToken }),
      });
    }
    await helpdesk.context.channels.reload();
    admin = await createAgent(helpdesk, { name: 'Admin', role: 'admin', capacity: 0, availability: 'away' });
  });
  after(async () => {
    await helpdesk?.stop();
    await graph?.close();
    await graph2?.close();
  });

  const sidecarSendsTo = (phone: string) => helpdesk.sidecar.sends.filter((send) => send.to === phone);
  const ticketsOf = (phone: string) =>
    query<{ id: string; channel: string; provider: string }>(
      helpdesk.database.url,
      `SELECT t.id, t.channel, t.provider FROM tickets t JOIN customers c ON c.id = t.customer_id
        WHERE c.phone = $1 ORDER BY t.number`,
      [phone],
    );
  const cloudPost = (body: unknown, secret = APP_SECRET) => helpdesk.postCloud(body, { secret });

  it('when customers write to each number, then each ticket carries its channel and the bot answers from that number', async () => {
    assert.equal(
      (await helpdesk.postWppconnect(textEvent(MAIN_CUSTOMER, 'hello main', { channel: 'main' }))).status,
      202,
    );
    assert.equal(
      (await helpdesk.postWppconnect(textEvent(BRANCH_CUSTOMER, 'hello branch', { channel: 'branch-2' })))
        .status,
      202,
    );
    const cloud = await cloudPost(
      notification(messagesValue(CLOUD_CUSTOMER, [message.text(CLOUD_CUSTOMER, 'hello cloud')])),
    );
    assert.equal(cloud.status, 200);
    assert.deepEqual(await cloud.json(), { accepted: 1, rejected: 0 });

    await waitFor(() => sidecarSendsTo(MAIN_CUSTOMER).length >= 2, 10_000, 'welcome and menu to main');
    await waitFor(() => sidecarSendsTo(BRANCH_CUSTOMER).length >= 2, 10_000, 'welcome and menu to branch-2');
    await waitFor(() => graph.sends.length >= 2, 10_000, 'welcome and menu through the Cloud API');

    assert.deepEqual(
      (await ticketsOf(MAIN_CUSTOMER)).map((t) => [t.provider, t.channel]),
      [['wppconnect', 'main']],
    );
    assert.deepEqual(
      (await ticketsOf(BRANCH_CUSTOMER)).map((t) => [t.provider, t.channel]),
      [['wppconnect', 'branch-2']],
    );
    assert.deepEqual(
      (await ticketsOf(`+${CLOUD_CUSTOMER.waId}`)).map((t) => [t.provider, t.channel]),
      [['cloud', PHONE_NUMBER_ID]],
    );
    assert.ok(sidecarSendsTo(MAIN_CUSTOMER).every((send) => send.route.startsWith('/api/sessions/main/')));
    assert.ok(
      sidecarSendsTo(BRANCH_CUSTOMER).every((send) => send.route.startsWith('/api/sessions/branch-2/')),
    );
    assert.ok(
      graph.sends.every((send) => send.phoneNumberId === PHONE_NUMBER_ID && send.to === CLOUD_CUSTOMER.waId),
    );
    assert.deepEqual(graph.violations, []);
    assert.equal(graph2.sends.length, 0, 'nothing left through the other app’s number');
  });

  it('when an agent replies on each ticket, then each reply leaves through its ticket’s session or phone number id', async () => {
    const replies = [
      { phone: MAIN_CUSTOMER, text: 'from main' },
      { phone: BRANCH_CUSTOMER, text: 'from branch-2' },
      { phone: `+${CLOUD_CUSTOMER.waId}`, text: 'from the Cloud API number' },
    ];
    for (const reply of replies) {
      const [ticket] = await ticketsOf(reply.phone);
      const answer = await admin.api.post(`/api/tickets/${ticket!.id}/messages`, { text: reply.text });
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
    }
    const main = await waitFor(
      () => sidecarSendsTo(MAIN_CUSTOMER).find((send) => send.text === 'from main'),
      10_000,
      'main reply',
    );
    assert.equal(main.route, '/api/sessions/main/send-message');
    const branch = await waitFor(
      () => sidecarSendsTo(BRANCH_CUSTOMER).find((send) => send.text === 'from branch-2'),
      10_000,
      'branch reply',
    );
    assert.equal(branch.route, '/api/sessions/branch-2/send-message');
    const cloud = await waitFor(
      () =>
        graph.sends.find(
          (send) => (send.body.text as { body?: string } | undefined)?.body === 'from the Cloud API number',
        ),
      10_000,
      'cloud reply',
    );
    assert.equal(cloud.phoneNumberId, PHONE_NUMBER_ID);
    assert.equal(cloud.to, CLOUD_CUSTOMER.waId);
  });

  it('when one phone writes to a sidecar number and a Cloud API number, then it has two tickets, one on each', async () => {
    const sender: Sender = { waId: TWO_NUMBERS_PHONE.slice(1), name: 'Two Numbers' };
    await helpdesk.postWppconnect(textEvent(TWO_NUMBERS_PHONE, 'hello branch', { channel: 'branch-2' }));
    await cloudPost(notification(messagesValue(sender, [message.text(sender, 'hello cloud')])));
    const tickets = await waitFor(
      async () => {
        const found = await ticketsOf(TWO_NUMBERS_PHONE);
        return found.length === 2 ? found : null;
      },
      10_000,
      'two tickets',
    );
    assert.deepEqual(tickets.map((t) => `${t.provider}:${t.channel}`).sort(), [
      'cloud:' + PHONE_NUMBER_ID,
      'wppconnect:branch-2',
    ]);
    const [customers] = await query<{ count: number }>(
      helpdesk.database.url,
      'SELECT count(*)::int AS count FROM customers WHERE phone = $1',
      [TWO_NUMBERS_PHONE],
    );
    assert.equal(customers!.count, 1, 'one customer, two tickets');
  });

  it('when a Cloud API webhook is signed with another app’s secret, then it is refused or its other number’s changes are dropped', async () => {
    const sender: Sender = { waId: '201001300005', name: 'Forged' };
    const forged = await cloudPost(
      notification(messagesValue(sender, [message.text(sender, 'forged')])),
      'not-any-app-secret-0123456789abcdef',
    );
    assert.equal(forged.status, 401);
    // Signed by the second app, but addressed to the first app's number: dropped with its reason.
    const crossed = await cloudPost(
      notification(messagesValue(sender, [message.text(sender, 'crossed')], PHONE_NUMBER_ID)),
      APP_SECRET_2,
    );
    assert.equal(crossed.status, 200);
    assert.deepEqual(await crossed.json(), { accepted: 0, rejected: 1 });
    // The second app's own number, with its own secret: accepted, ticket on that number, reply from it.
    const own = await cloudPost(
      notification(messagesValue(sender, [message.text(sender, 'own')], PHONE_NUMBER_ID_2)),
      APP_SECRET_2,
    );
    assert.deepEqual(await own.json(), { accepted: 1, rejected: 0 });
    await waitFor(() => graph2.sends.length >= 2, 10_000, 'the bot answers from the second app’s number');
    assert.ok(graph2.sends.every((send) => send.phoneNumberId === PHONE_NUMBER_ID_2));
    assert.deepEqual(
      (await ticketsOf(`+${sender.waId}`)).map((t) => [t.provider, t.channel]),
      [['cloud', PHONE_NUMBER_ID_2]],
    );
    const texts = await query<{ text: string }>(
      helpdesk.database.url,
      `SELECT text FROM messages WHERE direction = 'inbound' AND text IN ('forged', 'crossed')`,
    );
    assert.deepEqual(texts, []);
  });

  it('when Meta verifies the webhook, then the verify token of any Cloud API channel is accepted', async () => {
    for (const token of [VERIFY_TOKEN, VERIFY_TOKEN_2]) {
      const answer = await fetch(
        `${helpdesk.url}/webhooks/whatsapp-cloud?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`,
      );
      assert.equal(answer.status, 200);
      assert.equal(await answer.text(), '1158201444');
    }
    const wrong = await fetch(
      `${helpdesk.url}/webhooks/whatsapp-cloud?hub.mode=subscribe&hub.verify_token=wrong-token-0123456789&hub.challenge=1`,
    );
    assert.equal(wrong.status, 403);
  });

  it('when a sidecar event names a channel signed with another sidecar’s secret, then it is dropped', async () => {
    const response = await helpdesk.postWppconnect(
      textEvent('+201001300006', 'spoofed', { channel: 'main' }),
      {
        secret: OTHER_SIDECAR_SECRET,
      },
    );
    assert.equal(response.status, 202);
    assert.deepEqual(await response.json(), { accepted: 0, rejected: 1 });
    const unsigned = await helpdesk.postWppconnect(
      textEvent('+201001300006', 'unsigned', { channel: 'main' }),
      {
        secret: 'no-sidecar-has-this-secret-0123456789',
      },
    );
    assert.equal(unsigned.status, 401);
  });

  it('when a session with no channel sends events signed with a known sidecar’s secret, then it becomes a channel and is answered through it', async () => {
    const phone = '+201001300007';
    const response = await helpdesk.postWppconnect(
      textEvent(phone, 'hello branch 3', { channel: 'branch-3' }),
    );
    assert.equal(response.status, 202);
    assert.deepEqual(await response.json(), { accepted: 1, rejected: 0 });
    const [registered] = await query<{
      name: string;
      provider: string;
      settings: { sidecarUrl: string; session: string };
    }>(helpdesk.database.url, `SELECT name, provider, settings FROM channels WHERE key = 'branch-3'`);
    assert.deepEqual(registered, {
      name: 'branch-3',
      provider: 'wppconnect',
      settings: { sidecarUrl: helpdesk.sidecar.url, session: 'branch-3' },
    });
    await waitFor(() => sidecarSendsTo(phone).length >= 2, 10_000, 'welcome and menu from branch-3');
    assert.ok(sidecarSendsTo(phone).every((send) => send.route.startsWith('/api/sessions/branch-3/')));
    assert.deepEqual(
      (await ticketsOf(phone)).map((t) => t.channel),
      ['branch-3'],
    );
  });

  it('when a deleted channel’s session sends its last events, then the channel is not registered again', async () => {
    const { pool, secretBox } = helpdesk.context;
    const gone = await insertChannel(pool, {
      enabled: true,
      teamId: null,
      overrides: {},
      configured: false,
      name: 'Closed branch',
      provider: 'wppconnect',
      key: 'gone-branch',
      settings: { sidecarUrl: helpdesk.sidecar.url, session: 'gone-branch' },
      secrets: secretBox.seal({ apiKey: helpdesk.sidecar.apiKey, webhookSecret: WEBHOOK_SECRET }),
    });
    await helpdesk.context.channels.reload();
    assert.equal(await deleteChannel(pool, gone.id), true);
    await helpdesk.context.channels.reload();
    const since = new Date().toISOString();
    const response = await helpdesk.postWppconnect({
      eventId: `wppconnect:gone-branch:session:${since}:logged_out`,
      type: 'session',
      channel: 'gone-branch',
      state: 'logged_out',
      phone: null,
      since,
      detail: 'session deleted',
    });
    assert.equal(response.status, 202);
    assert.deepEqual(await response.json(), { accepted: 0, rejected: 1 });
    const rows = await query(helpdesk.database.url, `SELECT id FROM channels WHERE key = 'gone-branch'`);
    assert.equal(rows.length, 0, 'the deleted channel stays deleted');
  });

  it('when the API starts, then the channel the environment describes exists, and a restart keeps an admin’s rename', async () => {
    const configured = () =>
      query<{ name: string; provider: string; key: string; configured: boolean; settings: unknown }>(
        helpdesk.database.url,
        'SELECT name, provider, key, configured, settings FROM channels WHERE configured',
      );
    assert.deepEqual(await configured(), [
      {
        name: 'WhatsApp',
        provider: 'wppconnect',
        key: 'pharmacy',
        configured: true,
        settings: { sidecarUrl: helpdesk.sidecar.url, session: 'pharmacy' },
      },
    ]);
    const [row] = await query<{ id: string }>(
      helpdesk.database.url,
      `SELECT id FROM channels WHERE key = 'pharmacy'`,
    );
    await updateChannel(helpdesk.context.pool, row!.id, { name: 'Heliopolis branch' });
    await ensureConfiguredChannel(helpdesk.context);
    assert.deepEqual(
      (await configured()).map((channel) => channel.name),
      ['Heliopolis branch'],
    );
    assert.equal(helpdesk.context.channels.find('wppconnect', 'pharmacy')?.name, 'Heliopolis branch');
  });

  it('when a channel has overrides, then effectiveBot applies them to the deployment’s settings, and others keep the deployment’s', async () => {
    const [main] = await query<{ id: string }>(
      helpdesk.database.url,
      `SELECT id FROM channels WHERE key = 'main'`,
    );
    const welcome = { ar: 'أهلاً بك في فرع مدينة نصر', en: 'Welcome to the Nasr City branch' };
    await updateChannel(helpdesk.context.pool, main!.id, {
      overrides: {
        businessHours: 'sat-thu 09:00-17:00',
        businessTimeZone: 'Asia/Riyadh',
        botLanguage: 'en',
        texts: { welcome },
      },
    });
    await helpdesk.context.channels.reload();
    const effective = helpdesk.context.channels.effectiveBot('wppconnect', 'main');
    assert.equal(effective.bot.language, 'en');
    assert.deepEqual(effective.bot.texts.welcome, welcome);
    assert.deepEqual(effective.bot.texts.menu, helpdesk.context.bot.texts.menu, 'texts not overridden stay');
    assert.equal(effective.businessTimeZone, 'Asia/Riyadh');
    assert.deepEqual(effective.businessHours?.[6], [{ start: 9 * 60, end: 17 * 60 }], 'Saturday');
    assert.deepEqual(effective.businessHours?.[5], [], 'Friday closed');
    const other = helpdesk.context.channels.effectiveBot('wppconnect', 'branch-2');
    assert.equal(other.bot, helpdesk.context.bot, 'the deployment’s settings');
    assert.equal(other.businessHours, helpdesk.context.config.businessHours);
    await updateChannel(helpdesk.context.pool, main!.id, { overrides: { businessTimeZone: 'Mars/Olympus' } });
    await helpdesk.context.channels.reload();
    assert.equal(
      helpdesk.context.channels.effectiveBot('wppconnect', 'main').businessTimeZone,
      helpdesk.context.config.businessTimeZone,
      'an unknown zone is ignored',
    );
    await updateChannel(helpdesk.context.pool, main!.id, { overrides: {} });
    await helpdesk.context.channels.reload();
  });

  it('when the periodic check runs, then each enabled channel’s state and phone are stored from its driver', async () => {
    await checkChannelStates(helpdesk.context);
    const states = await query<{
      key: string;
      state: string;
      phone: string | null;
      state_since: Date | null;
    }>(helpdesk.database.url, 'SELECT key, state, phone, state_since FROM channels ORDER BY key');
    const byKey = new Map(states.map((row) => [row.key, row]));
    assert.deepEqual(
      { state: byKey.get('main')?.state, phone: byKey.get('main')?.phone },
      { state: 'connected', phone: '+201000000000' },
      'the stand-in sidecar’s answer for session main',
    );
    assert.equal(byKey.get('branch-2')?.phone, '+201000000001');
    assert.equal(
      byKey.get(PHONE_NUMBER_ID)?.state,
      'connected',
      'the Graph API answers for the phone number id',
    );
    assert.equal(byKey.get('elsewhere')?.state, 'unknown', 'a sidecar nobody answers at');
    assert.ok(byKey.get('main')?.state_since instanceof Date);
    assert.equal(await checkChannelStates(helpdesk.context), 0, 'nothing changed since');
  });

  it('when a channel is disabled, then its webhooks’ events are dropped and replies on its tickets fail for good', async () => {
    const [branch] = await query<{ id: string }>(
      helpdesk.database.url,
      `SELECT id FROM channels WHERE key = 'branch-2'`,
    );
    await updateChannel(helpdesk.context.pool, branch!.id, { enabled: false });
    await helpdesk.context.channels.reload();
    const dropped = await helpdesk.postWppconnect(
      textEvent(BRANCH_CUSTOMER, 'still there?', { channel: 'branch-2' }),
    );
    assert.deepEqual(await dropped.json(), { accepted: 0, rejected: 1 });
    const [ticket] = await ticketsOf(BRANCH_CUSTOMER);
    const answer = await admin.api.post(`/api/tickets/${ticket!.id}/messages`, { text: 'after disabling' });
    assert.equal(answer.status, 201);
    const failed = await waitFor(
      async () =>
        (
          await query<{ delivery_status: string; error: string | null }>(
            helpdesk.database.url,
            `SELECT delivery_status, error FROM messages WHERE text = 'after disabling' AND delivery_status = 'failed'`,
          )
        )[0],
      10_000,
      'the reply failed',
    );
    assert.match(failed.error ?? '', /disabled/);
    assert.ok(!sidecarSendsTo(BRANCH_CUSTOMER).some((send) => send.text === 'after disabling'));
    await updateChannel(helpdesk.context.pool, branch!.id, { enabled: true });
    await helpdesk.context.channels.reload();
  });

  it('when the channels table is read, then it holds only ciphertext of the secrets, which the key opens', async () => {
    const stored = await query<Record<string, unknown>>(helpdesk.database.url, 'SELECT * FROM channels');
    assert.ok(stored.length >= 6, 'the configured, inserted and registered channels');
    const plaintexts = [
      WEBHOOK_SECRET,
      helpdesk.sidecar.apiKey,
      OTHER_SIDECAR_SECRET,
      APP_SECRET,
      APP_SECRET_2,
      VERIFY_TOKEN,
      VERIFY_TOKEN_2,
      graph.token,
      graph2.token,
    ];
    for (const row of stored) {
      const text = JSON.stringify(row);
      for (const secret of plaintexts)
        assert.ok(!text.includes(secret), `${String(row.name)} holds no plaintext secret`);
      const opened = helpdesk.context.secretBox.open(String(row.secrets));
      assert.ok(Object.keys(opened).length >= 2, 'the key opens it');
    }
    const [cloud] = stored.filter((row) => row.key === PHONE_NUMBER_ID);
    assert.deepEqual(helpdesk.context.secretBox.open(String(cloud!.secrets)), {
      accessToken: graph.token,
      appSecret: APP_SECRET,
      verifyToken: VERIFY_TOKEN,
    });
  });
});
