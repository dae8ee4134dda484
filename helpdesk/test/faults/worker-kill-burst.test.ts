/**
 * A worker process killed (SIGKILL) in the middle of a burst and started again: nothing is lost
 * and nothing doubles — one message per event, one ticket and one welcome per customer, one
 * assignment per ticket.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { query } from '../support/database';
import { addOnlineAgent, startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';

describe('worker killed in the middle of a burst', () => {
  let helpdesk: TestHelpdesk;
  before(async () => {
    helpdesk = await startTestHelpdesk({ inProcessWorkers: false });
    for (const name of ['a', 'b', 'c']) await addOnlineAgent(helpdesk, `${name}@pharmacy.test`, 30);
  });
  after(() => helpdesk.stop());

  it('when one of two workers is killed and restarted, then all 300 messages are processed exactly once', async () => {
    const victim = helpdesk.startWorkerProcess();
    helpdesk.startWorkerProcess();
    const events = Array.from({ length: 300 }, (_, index) =>
      textEvent(`+2010014${String(index % 60).padStart(5, '0')}`, `message ${index}`),
    );
    const statuses = await Promise.all(
      events.map((event) => helpdesk.postWppconnect(event).then((r) => r.status)),
    );
    assert.deepEqual([...new Set(statuses)], [202]);

    const count = async () =>
      (
        await query<{ n: number }>(
          helpdesk.database.url,
          `SELECT count(*)::int AS n FROM messages WHERE direction = 'inbound'`,
        )
      )[0]!.n;
    await waitFor(async () => (await count()) >= 40, 30_000, 'the burst to be under way');
    victim.kill('SIGKILL');
    await once(victim, 'exit');
    assert.ok((await count()) < 300, 'killed before the burst was done');
    helpdesk.startWorkerProcess();

    await waitFor(async () => (await count()) === 300, 60_000, 'all 300 messages stored');
    await waitFor(
      async () =>
        (
          await query<{ n: number }>(
            helpdesk.database.url,
            `SELECT count(*)::int AS n FROM tickets WHERE assignee_id IS NULL`,
          )
        )[0]!.n === 0,
      30_000,
      'every ticket assigned',
    );
    const [row] = await query<{ tickets: number; welcomes: number; assignments: number; duplicates: number }>(
      helpdesk.database.url,
      `SELECT (SELECT count(*)::int FROM tickets) AS tickets,
              (SELECT count(*)::int FROM messages WHERE raw->>'kind' = 'welcome') AS welcomes,
              (SELECT count(*)::int FROM ticket_events WHERE type = 'assigned') AS assignments,
              (SELECT count(*)::int FROM (SELECT 1 FROM messages WHERE direction = 'inbound'
                 GROUP BY provider, provider_message_id HAVING count(*) > 1) d) AS duplicates`,
    );
    assert.deepEqual(row, { tickets: 60, welcomes: 60, assignments: 60, duplicates: 0 });
  });
});
