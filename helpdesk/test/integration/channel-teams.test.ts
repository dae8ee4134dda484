/**
 * Channels routed to teams, and channels with their own bot settings (SPEC section 9, issue 14):
 * a ticket that came in on a channel with a team goes only to that team's available members
 * (least-loaded first), a team with nobody free makes its tickets wait without holding back other
 * channels' tickets, one phone writing to two numbers has two tickets, and a channel's own welcome
 * text, language and business hours answer its customers while the other channels keep the
 * deployment's. Through the real HTTP stack, PostgreSQL, Redis and BullMQ workers, with four
 * sessions on the stand-in sidecar; channels are rows of `channels` (secrets sealed with the
 * deployment's CHANNEL_SECRETS_KEY) and teams rows of `teams` / `team_members`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_BOT_TEXTS } from '../../src/domain/bot-texts';
import { SecretBox } from '../../src/infra/secret-box';
import { insertChannel } from '../../src/store/channels';
import { createAgent, type TestAgent } from '../api/api-support';
import { query } from '../support/database';
import { startTestHelpdesk, textEvent, waitFor, WEBHOOK_SECRET, type TestHelpdesk } from '../support/harness';

const SECRETS_KEY = 'channel-teams-test-secrets-key-0123456789abcdef';
/** The deployment's channel (no team, no overrides), and three more numbers on the same sidecar. */
const DEFAULT_CHANNEL = 'pharmacy';
const NASR = 'nasr-city';
const MAADI = 'maadi';
const ZAMALEK = 'zamalek';

const ZAMALEK_WELCOME = {
  ar: 'أهلاً بك في فرع الزمالك',
  en: 'Welcome to the Zamalek branch, open on weekdays only',
};

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

describe('channels routed to teams, and channels with their own bot settings', () => {
  let helpdesk: TestHelpdesk;
  let nasrAgent: TestAgent;
  let maadiAgent: TestAgent;
  let outsider: TestAgent;
  let phoneCounter = 0;
  const nextPhone = () => `+2010013${String(++phoneCounter).padStart(5, '0')}`;

  const openTickets = async (agentId: string) =>
    (
      await query<{ count: number }>(
        helpdesk.database.url,
        `SELECT count(*)::int AS count FROM tickets WHERE assignee_id = $1 AND status IN ('open', 'pending')`,
        [agentId],
      )
    )[0]!.count;
  /** The phone's ticket on a channel, once stored. */
  const ticketOf = (phone: string, channel: string) =>
    waitFor(
      async () =>
        (
          await query<{ id: string; assigneeId: string | null }>(
            helpdesk.database.url,
            `SELECT t.id, t.assignee_id AS "assigneeId" FROM tickets t JOIN customers c ON c.id = t.customer_id
              WHERE c.phone = $1 AND t.channel = $2`,
            [phone, channel],
          )
        )[0],
      10_000,
      `${phone}'s ticket on ${channel}`,
    );
  /** The phone's ticket on a channel, once assigned. */
  const assignedTicketOf = (phone: string, channel: string) =>
    waitFor(
      async () => {
        const ticket = await ticketOf(phone, channel);
        return ticket.assigneeId ? ticket : null;
      },
      10_000,
      `${phone}'s ticket on ${channel} assigned`,
    );
  const write = async (phone: string, channel: string, text = 'السلام عليكم') => {
    const answer = await helpdesk.postWppconnect(textEvent(phone, text, { channel }));
    assert.equal(answer.status, 202);
  };

  before(async () => {
    helpdesk = await startTestHelpdesk({
      env: { CHANNEL_SECRETS_KEY: SECRETS_KEY, SESSION_NAME: DEFAULT_CHANNEL },
    });
    helpdesk.sidecar.sessions = [DEFAULT_CHANNEL, NASR, MAADI, ZAMALEK];
    const teams = await query<{ id: string; name: string }>(
      helpdesk.database.url,
      `INSERT INTO teams (name) VALUES ('Nasr City'), ('Maadi') RETURNING id, name`,
    );
    const teamId = (name: string) => teams.find((team) => team.name === name)!.id;
    // Another day than today (UTC): the Zamalek branch is closed now, whatever the time.
    const closedDay = DAYS[(new Date().getUTCDay() + 2) % 7]!;
    const box = new SecretBox(SECRETS_KEY);
    for (const [key, team, overrides] of [
      [NASR, teamId('Nasr City'), {}],
      [MAADI, teamId('Maadi'), {}],
      [
        ZAMALEK,
        null,
        {
          businessHours: `${closedDay} 10:00-11:00`,
          businessTimeZone: 'UTC',
          botLanguage: 'en',
          texts: { welcome: ZAMALEK_WELCOME },
        },
      ],
    ] as const) {
      await insertChannel(helpdesk.context.pool, {
        name: `Branch ${key}`,
        provider: 'wppconnect',
        key,
        settings: { sidecarUrl: helpdesk.sidecar.url, session: key },
        secrets: box.seal({ apiKey: helpdesk.sidecar.apiKey, webhookSecret: WEBHOOK_SECRET }),
        enabled: true,
        teamId: team,
        overrides,
        configured: false,
      });
    }
    await helpdesk.context.channels.reload();

    // Agents with no tickets yet, all online; the outsider is in no team.
    outsider = await createAgent(helpdesk, { name: 'Outsider', capacity: 10 });
    nasrAgent = await createAgent(helpdesk, { name: 'Nasr', capacity: 10 });
    maadiAgent = await createAgent(helpdesk, { name: 'Maadi', capacity: 1 });
    await query(
      helpdesk.database.url,
      `INSERT INTO team_members (team_id, agent_id) VALUES ($1, $2), ($3, $4)`,
      [teamId('Nasr City'), nasrAgent.id, teamId('Maadi'), maadiAgent.id],
    );
  });
  after(() => helpdesk?.stop());

  it('when customers write to a channel routed to a team, then only its online member gets the tickets, never a less-loaded outsider', async () => {
    const phones = [nextPhone(), nextPhone(), nextPhone()];
    for (const phone of phones) {
      await write(phone, NASR);
      assert.equal((await assignedTicketOf(phone, NASR)).assigneeId, nasrAgent.id);
    }
    assert.equal(await openTickets(nasrAgent.id), 3);
    assert.equal(await openTickets(outsider.id), 0, 'the online agent outside the team has no ticket');
  });

  it('when a team’s members are all at capacity, then its ticket waits while a later ticket of another channel is assigned, and goes to the team once a member frees up', async () => {
    const first = nextPhone();
    await write(first, MAADI);
    const taken = await assignedTicketOf(first, MAADI);
    assert.equal(taken.assigneeId, maadiAgent.id, 'the Maadi team’s only member (capacity 1) is now full');

    const waiting = nextPhone();
    await write(waiting, MAADI);
    await ticketOf(waiting, MAADI);
    const other = nextPhone();
    await write(other, DEFAULT_CHANNEL);
    const assigned = await assignedTicketOf(other, DEFAULT_CHANNEL);
    assert.notEqual(assigned.assigneeId, null);
    assert.equal(
      (await ticketOf(waiting, MAADI)).assigneeId,
      null,
      'the Maadi ticket waits for its team although the outsider is free',
    );

    // The Maadi agent resolves their ticket: the waiting one is theirs at once.
    const resolved = await maadiAgent.api.post(`/api/tickets/${taken.id}/status`, { status: 'resolved' });
    assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
    assert.equal((await assignedTicketOf(waiting, MAADI)).assigneeId, maadiAgent.id);
  });

  it('when one phone writes to a team’s number and to the deployment’s number, then it has two tickets, each routed by its channel', async () => {
    const phone = nextPhone();
    await write(phone, NASR, 'hello Nasr City');
    await write(phone, DEFAULT_CHANNEL, 'hello pharmacy');
    const onNasr = await assignedTicketOf(phone, NASR);
    const onDefault = await assignedTicketOf(phone, DEFAULT_CHANNEL);
    assert.notEqual(onNasr.id, onDefault.id);
    assert.equal(onNasr.assigneeId, nasrAgent.id);
    const [customers] = await query<{ count: number }>(
      helpdesk.database.url,
      `SELECT count(*)::int AS count FROM customers WHERE phone = $1`,
      [phone],
    );
    assert.equal(customers!.count, 1, 'one customer, two tickets');
  });

  it('when more of a busy team’s tickets wait than there are free places, then a later ticket of a channel without a team still takes the free place', async () => {
    // Every agent full but the outsider, who has one free place (capacity set directly: nothing reassigns).
    await query(
      helpdesk.database.url,
      `UPDATE agents SET capacity = (SELECT count(*)::int FROM tickets t
                                      WHERE t.assignee_id = agents.id AND t.status IN ('open', 'pending'))
                                    + CASE WHEN id = $1 THEN 1 ELSE 0 END`,
      [outsider.id],
    );
    const waiting = [nextPhone(), nextPhone(), nextPhone()];
    for (const phone of waiting) {
      await write(phone, MAADI);
      await ticketOf(phone, MAADI);
    }
    const other = nextPhone();
    await write(other, DEFAULT_CHANNEL);
    assert.equal((await assignedTicketOf(other, DEFAULT_CHANNEL)).assigneeId, outsider.id);
    for (const phone of waiting) {
      assert.equal(
        (await ticketOf(phone, MAADI)).assigneeId,
        null,
        'the Maadi tickets still wait for their team',
      );
    }
  });

  it('when a channel has its own welcome text, language and closed hours, then it greets with them and the after-hours note while the deployment’s channel keeps its own', async () => {
    const zamalekCustomer = nextPhone();
    const defaultCustomer = nextPhone();
    await write(zamalekCustomer, ZAMALEK, 'السلام عليكم');
    await write(defaultCustomer, DEFAULT_CHANNEL, 'السلام عليكم');
    const botReplies = (phone: string, channel: string) =>
      query<{ kind: string; text: string }>(
        helpdesk.database.url,
        `SELECT m.raw->>'kind' AS kind, m.text FROM messages m JOIN tickets t ON t.id = m.ticket_id
           JOIN customers c ON c.id = t.customer_id
          WHERE c.phone = $1 AND t.channel = $2 AND m.author = 'bot' ORDER BY m.created_at`,
        [phone, channel],
      );
    const zamalek = await waitFor(
      async () => {
        const replies = await botReplies(zamalekCustomer, ZAMALEK);
        return replies.length >= 3 ? replies : null;
      },
      10_000,
      'the Zamalek bot replies',
    );
    assert.deepEqual(
      zamalek.map((reply) => reply.kind),
      ['welcome', 'menu', 'after_hours'],
    );
    // English although the customer wrote Arabic: the channel's bot language.
    assert.equal(zamalek[0]!.text, ZAMALEK_WELCOME.en);
    assert.equal(zamalek[2]!.text, DEFAULT_BOT_TEXTS.afterHours.en);

    const deployment = await waitFor(
      async () => {
        const replies = await botReplies(defaultCustomer, DEFAULT_CHANNEL);
        return replies.length >= 2 ? replies : null;
      },
      10_000,
      'the default channel’s bot replies',
    );
    // The deployment is always open (no BUSINESS_HOURS) and answers Arabic in Arabic.
    assert.deepEqual(
      deployment.map((reply) => [reply.kind, reply.kind === 'welcome' ? reply.text : null]),
      [
        ['welcome', DEFAULT_BOT_TEXTS.welcome.ar],
        ['menu', null],
      ],
    );
    // The replies leave through the number each customer wrote to.
    await waitFor(
      () => helpdesk.sidecar.sends.filter((send) => send.to === zamalekCustomer).length >= 3,
      10_000,
      'the Zamalek replies sent',
    );
    assert.deepEqual(
      [
        ...new Set(
          helpdesk.sidecar.sends.filter((send) => send.to === zamalekCustomer).map((send) => send.route),
        ),
      ],
      [`/api/sessions/${ZAMALEK}/send-message`],
    );
  });
});
