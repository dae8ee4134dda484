/**
 * The admin CLI, run as a user runs it (`src/cli.ts` in its own process) against a real database.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { query } from '../support/database';
import { HELPDESK_DIR, startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';
import { programArguments } from '../support/programs';

describe('admin CLI', () => {
  let helpdesk: TestHelpdesk;
  before(async () => {
    helpdesk = await startTestHelpdesk();
  });
  after(() => helpdesk.stop());

  it('when an agent is added and goes online, then agents:list shows them and a waiting ticket is assigned', async () => {
    await helpdesk.postWppconnect(textEvent('+201001234567', 'hello'));
    await waitFor(
      async () => JSON.parse((await helpdesk.cli('tickets:list', '--json')).stdout).length === 1,
      15_000,
      'ticket',
    );

    const added = await helpdesk.cli(
      'agents:add',
      '--name',
      'Sara',
      '--email',
      'Sara@Pharmacy.test',
      '--password',
      'password-123',
      '--capacity',
      '3',
      '--role',
      'admin',
    );
    assert.equal(added.status, 0, added.stderr);
    const online = await helpdesk.cli('agents:availability', 'sara@pharmacy.test', 'online');
    assert.equal(online.status, 0, online.stderr);
    assert.match(online.stdout, /1 waiting tickets assigned/);

    const agents = JSON.parse((await helpdesk.cli('agents:list', '--json')).stdout);
    assert.deepEqual(
      agents.map((a: Record<string, unknown>) => [
        a.email,
        a.role,
        a.availability,
        a.capacity,
        a.openTickets,
      ]),
      [['sara@pharmacy.test', 'admin', 'online', 3, 1]],
    );
    const [ticket] = JSON.parse((await helpdesk.cli('tickets:list', '--json')).stdout);
    assert.equal(ticket.assignee, 'sara@pharmacy.test');
    assert.equal(ticket.customerPhone, '+201001234567');
    assert.deepEqual(Object.keys(ticket).sort(), [
      'assignee',
      'category',
      'channel',
      'customerPhone',
      'messages',
      'number',
      'status',
    ]);
    assert.deepEqual(Object.keys(ticket.messages[0]).sort(), [
      'author',
      'deliveryStatus',
      'direction',
      'text',
      'type',
    ]);
  });

  it('when arguments are wrong, then it exits non-zero with a clear message', async () => {
    const missing = await helpdesk.cli(
      'agents:add',
      '--name',
      'X',
      '--email',
      'x@pharmacy.test',
      '--password',
      'password-123',
    );
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /needs --capacity/);
    const badEmail = await helpdesk.cli(
      'agents:add',
      '--name',
      'X',
      '--email',
      'nope',
      '--password',
      'password-123',
      '--capacity',
      '2',
    );
    assert.notEqual(badEmail.status, 0);
    assert.match(badEmail.stderr, /email: must be an email address/);
    const duplicate = await helpdesk.cli(
      'agents:add',
      '--name',
      'X',
      '--email',
      'sara@pharmacy.test',
      '--password',
      'password-123',
      '--capacity',
      '2',
    );
    assert.notEqual(duplicate.status, 0);
    assert.match(duplicate.stderr, /exists/);
    const availability = await helpdesk.cli('agents:availability', 'sara@pharmacy.test', 'sleeping');
    assert.notEqual(availability.status, 0);
    assert.match(availability.stderr, /online, away, offline/);
    const unknown = await helpdesk.cli('agents:availability', 'nobody@pharmacy.test', 'online');
    assert.notEqual(unknown.status, 0);
    assert.match(unknown.stderr, /no agent/);
    const command = await helpdesk.cli('tickets:delete');
    assert.notEqual(command.status, 0);
    assert.match(command.stderr, /unknown command/);
  });

  it('when tickets:list meets more tickets than one read holds, then it streams them all, filtered and limited as asked', async () => {
    // 1,205 resolved or closed tickets of their own customers (more than two pages of 500).
    await query(
      helpdesk.database.url,
      `INSERT INTO customers (id, phone, name, created_at, updated_at)
       SELECT gen_random_uuid(), '+2011' || lpad(n::text, 8, '0'), 'Bulk ' || n, now(), now()
         FROM generate_series(1, 1205) n`,
    );
    await query(
      helpdesk.database.url,
      `INSERT INTO tickets (id, customer_id, channel, provider, status, opened_at, updated_at)
       SELECT gen_random_uuid(), c.id, 'pharmacy', 'wppconnect',
              (CASE WHEN c.name LIKE '%7' THEN 'closed' ELSE 'resolved' END)::"TicketStatus", now(), now()
         FROM customers c WHERE c.name LIKE 'Bulk %' ORDER BY c.phone`,
    );
    const listed = await helpdesk.cli('tickets:list', '--json', '--status', 'resolved,closed');
    assert.equal(listed.status, 0, listed.stderr);
    const tickets = JSON.parse(listed.stdout) as Array<{
      number: number;
      status: string;
      messages: unknown[];
    }>;
    assert.equal(tickets.length, 1205);
    const numbers = tickets.map((ticket) => ticket.number);
    assert.deepEqual(
      numbers,
      [...numbers].sort((a, b) => a - b),
      'oldest first',
    );
    assert.equal(new Set(numbers).size, 1205, 'each once');
    assert.equal(tickets.filter((ticket) => ticket.status === 'closed').length, 120);
    assert.ok(tickets.every((ticket) => ticket.messages.length === 0));

    const three = await helpdesk.cli('tickets:list', '--status', 'closed', '--limit', '٣');
    assert.equal(three.status, 0, three.stderr);
    assert.deepEqual(
      three.stdout
        .trim()
        .split('\n')
        .map((line) => line.split('\t')[1]),
      ['closed', 'closed', 'closed'],
    );
    const none = await helpdesk.cli('tickets:list', '--json', '--status', 'pending');
    assert.deepEqual(JSON.parse(none.stdout), []);
    const wrong = await helpdesk.cli('tickets:list', '--status', 'done');
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /--status: done is no status/);
  });

  it('when tickets:list is piped into a reader that stops early (| head), then it stops quietly', async () => {
    // The 1,205 tickets of the test above: their JSON is several times a pipe's buffer.
    const child = spawn(process.execPath, [...programArguments('src/cli.ts'), 'tickets:list', '--json'], {
      cwd: HELPDESK_DIR,
      env: { ...process.env, DATABASE_URL: helpdesk.database.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // Like `head -c 100`: read the first chunk, then close the pipe.
    const [first] = (await once(child.stdout, 'data')) as [Buffer];
    assert.match(first.toString('utf8'), /^\[/);
    child.stdout.destroy();
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    assert.equal(stderr, '', 'nothing on standard error');
    assert.deepEqual([code, signal], [0, null], 'exit code 0, as Unix tools end when their reader has gone');
  });
});
