/**
 * The admin CLI's agent and team commands, run as a user runs them (`src/cli.ts` in its own
 * process) against a real database: agents:update (capacity with Arabic-Indic digits, role,
 * active, name), teams:add with categories, teams:members, teams:list, each with --json and clear
 * errors (exit 1 naming the unknown email or team), and --help.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addAgent } from '../../src/use-cases/agents/create-agent';
import { query } from '../support/database';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';

const SARA = 'sara.cli@pharmacy.test';
const OMAR = 'omar.cli@pharmacy.test';

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

  it('when --help follows a command, then it explains it without connecting', async () => {
    const help = await helpdesk.cli('teams:members', '--help');
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /usage: npm run helpdesk:cli -- teams:members NAME/);
  });
});
