/**
 * Concurrency: 200 events from 50 customers pushed at once through 2 worker processes, with 5
 * agents of capacity 20. Every ticket is assigned exactly once, no agent goes above capacity, and
 * open tickets per agent differ by at most 1.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listAgents } from '../../src/use-cases/agents/list-agents';
import { query } from '../support/database';
import {
  addOnlineAgent,
  startTestHelpdesk,
  textEvent,
  waitForStoredAndAssigned,
  type TestHelpdesk,
} from '../support/harness';

describe('concurrent ingest across worker processes', () => {
  let helpdesk: TestHelpdesk;
  before(async () => {
    helpdesk = await startTestHelpdesk({ inProcessWorkers: false, env: { WORKER_CONCURRENCY: '8' } });
    for (let index = 1; index <= 5; index += 1)
      await addOnlineAgent(helpdesk, `agent${index}@pharmacy.test`, 20);
  });
  after(() => helpdesk.stop());

  it('when 200 events from 50 customers arrive at once, then every ticket is assigned once and the load is even', async () => {
    const workers = [helpdesk.startWorkerProcess(), helpdesk.startWorkerProcess()];
    const events = [];
    for (let round = 0; round < 4; round += 1) {
      for (let customer = 0; customer < 50; customer += 1) {
        events.push(textEvent(`+2010012${String(customer).padStart(5, '0')}`, `message ${round}`));
      }
    }
    const statuses = await Promise.all(
      events.map((event) => helpdesk.postWppconnect(event).then((r) => r.status)),
    );
    assert.deepEqual([...new Set(statuses)], [202]);

    await waitForStoredAndAssigned(helpdesk, 200, 60_000);
    assert.ok(
      workers.every((worker) => worker.exitCode === null),
      'both workers still running',
    );

    const tickets = await query<{ n: number }>(
      helpdesk.database.url,
      `SELECT count(*)::int AS n FROM tickets`,
    );
    assert.deepEqual(tickets, [{ n: 50 }], 'one ticket per customer');
    const doubleAssigned = await query(
      helpdesk.database.url,
      `SELECT ticket_id FROM ticket_events WHERE type = 'assigned' GROUP BY ticket_id HAVING count(*) > 1`,
    );
    assert.deepEqual(doubleAssigned, [], 'no ticket assigned twice');
    const loads = (await listAgents(helpdesk.context.db)).map((agent) => agent.openTickets);
    assert.equal(
      loads.reduce((a, b) => a + b, 0),
      50,
    );
    assert.ok(Math.max(...loads) <= 20, `no agent above capacity: ${loads}`);
    assert.ok(Math.max(...loads) - Math.min(...loads) <= 1, `even load: ${loads}`);
    const welcomes = await query<{ n: number }>(
      helpdesk.database.url,
      `SELECT count(*)::int AS n FROM messages WHERE author = 'bot' AND raw->>'kind' = 'welcome'`,
    );
    assert.deepEqual(welcomes, [{ n: 50 }], 'one welcome per new customer');
  });
});
