/**
 * The admin CLI's agent and team commands, run as a user runs them (`src/cli.ts` in its own
 * process) against a real database: agents:update (capacity with Arabic-Indic digits, role,
 * active, name), teams:add with categories, teams:members, teams:list, each with --json and clear
 * errors (exit 1 naming the unknown email or team), and --help; a team added with categories has its
 * tickets' response-time targets computed again at once, as through the API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChannelView, Team, TicketPage } from '@whatsapp-helpdesk/contract/api';
import { addAgent } from '../../src/use-cases/agents/create-agent';
import { checkSla } from '../../src/use-cases/sla/check-sla';
import { createAgent, seedTicket } from '../api/api-support';
import { query } from '../support/database';
import { startTestHelpdesk, waitFor, type TestHelpdesk } from '../support/harness';

const SARA = 'sara.cli@pharmacy.test';
const OMAR = 'omar.cli@pharmacy.test';
const MINUTE = 60_000;

describe('admin CLI: agents:update and teams', () => {
  let helpdesk: TestHelpdesk;
  const agentRow = async (email: string) =>
    (
      await query<{ capacity: number; role: string; active: boolean; name: string }>(
        helpdesk.database.url,
        'SELECT capacity, role::text AS role, active, name FROM agents WHERE email = $1',
        [email],
      )
    )[0];

  before(async () => {
    helpdesk = await startTestHelpdesk();
    // Added in-process (agents:add has its own test): each CLI run starts a process.
    for (const [name, email] of [
      ['Sara', SARA],
      ['Omar', OMAR],
    ] as const) {
      await addAgent(helpdesk.context.db, { name, email, password: 'password-123', capacity: 2 });
    }
  });
  after(() => helpdesk?.stop());

  it('when agents:update changes capacity (Arabic-Indic digits), role, name and active, then the agent changes and --json prints it', async () => {
    const updated = await helpdesk.cli(
      'agents:update',
      'Sara.CLI@pharmacy.test',
      '--capacity',
      '٧',
      '--role',
      'admin',
      '--name',
      'Sara A.',
      '--json',
    );
    assert.equal(updated.status, 0, updated.stderr);
    const json = JSON.parse(updated.stdout);
    assert.equal(json.email, SARA);
    assert.equal(json.capacity, 7);
    assert.equal(json.role, 'admin');
    assert.equal(json.name, 'Sara A.');
    assert.deepEqual(await agentRow(SARA), { capacity: 7, role: 'admin', active: true, name: 'Sara A.' });

    const off = await helpdesk.cli('agents:update', SARA, '--active', 'false');
    assert.equal(off.status, 0, off.stderr);
    assert.match(off.stdout, /deactivated/);
    assert.equal((await agentRow(SARA))?.active, false);
  });

  it('when agents:update is given an unknown email or a bad value, then it exits 1 naming it and changes nothing', async () => {
    const unknown = await helpdesk.cli('agents:update', 'nobody@pharmacy.test', '--capacity', '3');
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /nobody@pharmacy\.test/);
    const capacity = await helpdesk.cli('agents:update', OMAR, '--capacity', 'many');
    assert.equal(capacity.status, 1);
    assert.match(capacity.stderr, /--capacity/);
    const active = await helpdesk.cli('agents:update', OMAR, '--active', 'yes');
    assert.equal(active.status, 1);
    assert.match(active.stderr, /--active/);
    assert.equal((await agentRow(OMAR))?.capacity, 2, 'nothing changed');
  });

  it('when teams:add and teams:members run, then teams:list shows the team with its categories and members', async () => {
    const added = await helpdesk.cli(
      'teams:add',
      'Pharmacists',
      '--categories',
      'pharmacist,prescription_refill',
      '--json',
    );
    assert.equal(added.status, 0, added.stderr);
    assert.deepEqual(JSON.parse(added.stdout).categories, ['pharmacist', 'prescription_refill']);

    const members = await helpdesk.cli(
      'teams:members',
      'Pharmacists',
      '--add',
      SARA,
      '--add',
      OMAR,
      '--json',
    );
    assert.equal(members.status, 0, members.stderr);
    assert.deepEqual(JSON.parse(members.stdout).members, [OMAR, SARA]);
    const removed = await helpdesk.cli('teams:members', 'pharmacists', '--remove', OMAR);
    assert.equal(removed.status, 0, removed.stderr);
    assert.match(removed.stdout, /Pharmacists: sara\.cli@pharmacy\.test$/m);

    const list = await helpdesk.cli('teams:list', '--json');
    assert.equal(list.status, 0, list.stderr);
    assert.deepEqual(
      JSON.parse(list.stdout).map((team: Record<string, unknown>) => [
        team.name,
        team.categories,
        team.members,
      ]),
      [['Pharmacists', ['pharmacist', 'prescription_refill'], [SARA]]],
    );
  });

  it('when a team command names an unknown team or category, then it exits 1 naming it', async () => {
    const team = await helpdesk.cli('teams:members', 'Ghosts', '--add', SARA);
    assert.equal(team.status, 1);
    assert.match(team.stderr, /Ghosts/);
    const category = await helpdesk.cli('teams:add', 'Delivery', '--categories', 'flying');
    assert.equal(category.status, 1);
    assert.match(category.stderr, /categories.*flying/);
    const rows = await query<{ n: number }>(helpdesk.database.url, 'SELECT count(*)::int AS n FROM teams');
    assert.equal(rows[0]!.n, 1, 'nothing half-written');
  });

  it("when teams:add takes a category, then its tickets' response-time targets follow within seconds, not at the next 20 s sweep", async () => {
    // The number's team has a 5-minute target; once delivery goes to a team of its own, the
    // 60-minute target for everyone applies to a delivery ticket on that number.
    const admin = await createAgent(helpdesk, { name: 'CLI Lead', role: 'admin', capacity: 0 });
    const frontDesk = await admin.api.post<Team>('/api/teams', { name: 'Front desk' });
    assert.equal(frontDesk.status, 201, JSON.stringify(frontDesk.body));
    const channels = await admin.api.get<ChannelView[]>('/api/channels');
    const pharmacy = channels.body.find((channel) => channel.key === 'pharmacy')!;
    const routed = await admin.api.patch(`/api/channels/${pharmacy.id}`, { teamId: frontDesk.body.id });
    assert.equal(routed.status, 200, JSON.stringify(routed.body));
    for (const policy of [
      { name: 'Front desk', teamId: frontDesk.body.id, firstResponseMinutes: 5 },
      { name: 'Everyone', firstResponseMinutes: 60 },
    ]) {
      const added = await admin.api.post('/api/sla-policies', {
        ...policy,
        resolutionHours: 8,
        businessHours: false,
      });
      assert.equal(added.status, 201, JSON.stringify(added.body));
    }
    const ticket = await seedTicket(helpdesk.context.db, { category: 'delivery' });
    const dueAt = async () => {
      const page = await admin.api.get<TicketPage>('/api/tickets?view=all&status=open,pending&limit=100');
      const sla = page.body.items.find((item) => item.id === ticket.id)?.sla;
      return sla ? Date.parse(sla.dueAt) : null;
    };
    await checkSla(helpdesk.context);
    const [opened] = await query<{ openedAt: Date }>(
      helpdesk.database.url,
      'SELECT opened_at AS "openedAt" FROM tickets WHERE id = $1',
      [ticket.id],
    );
    assert.equal(await dueAt(), opened!.openedAt.getTime() + 5 * MINUTE, "the number's team's target");

    const added = await helpdesk.cli('teams:add', 'Couriers', '--categories', 'delivery');
    assert.equal(added.status, 0, added.stderr);
    await waitFor(
      async () => (await dueAt()) === opened!.openedAt.getTime() + 60 * MINUTE,
      3_000,
      'the target for everyone (60 minutes) once delivery has its own team',
    );
  });

  it('when --help follows a command, then it explains it without connecting', async () => {
    const help = await helpdesk.cli('teams:members', '--help');
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /usage: npm run helpdesk:cli -- teams:members NAME/);
  });
});
