/**
 * The assignment's safety net (jobs/scheduled-queue.ts `assignment-sweep`,
 * use-cases/assignment/sweep-waiting-tickets.ts): a waiting ticket whose assignment request was
 * lost (here: an agent came online without asking for one, as a request lost with a killed worker
 * leaves it) is assigned by the sweep, which every worker schedules.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ASSIGNMENT_SWEEP_MS } from '../../src/jobs/scheduled-queue';
import { addAgent } from '../../src/use-cases/agents/create-agent';
import { query } from '../support/database';
import { finishedJob, startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';

describe('the assignment sweep', () => {
  let helpdesk: TestHelpdesk;
  before(async () => {
    helpdesk = await startTestHelpdesk();
  });
  after(() => helpdesk.stop());

  it('when a ticket waits and an agent has a free place but no assignment was requested, then the sweep assigns it', async () => {
    const scheduler = await waitFor(() =>
      helpdesk.context.queues.scheduled.getJobScheduler('assignment-sweep'),
    );
    assert.equal(Number(scheduler.every), ASSIGNMENT_SWEEP_MS, 'the workers schedule the sweep');

    // Nobody online: the ticket waits.
    const phone = '+201008880001';
    assert.equal((await helpdesk.postWppconnect(textEvent(phone, 'hello'))).status, 202);
    const ticketOf = async () =>
      (
        await query<{ assignee_id: string | null }>(
          helpdesk.database.url,
          `SELECT t.assignee_id FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.phone = $1`,
          [phone],
        )
      )[0];
    await waitFor(ticketOf);
    // An agent online whose request was lost: no run asked for.
    const agent = await addAgent(helpdesk.context.db, {
      name: 'Mona',
      email: 'mona@pharmacy.test',
      password: 'password-123',
      capacity: 5,
    });
    await query(helpdesk.database.url, `UPDATE agents SET availability = 'online' WHERE id = $1`, [agent.id]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal((await ticketOf())!.assignee_id, null, 'still waiting');

    // The sweep's job as its scheduler adds it every ASSIGNMENT_SWEEP_MS, run by the workers.
    const sweep = await helpdesk.context.queues.scheduled.add('assignment-sweep', {
      kind: 'assignment-sweep',
    });
    assert.equal((await finishedJob(helpdesk.context.queues.scheduled, sweep.id!)).returnvalue, 'swept');
    assert.equal((await ticketOf())!.assignee_id, agent.id, 'assigned by the sweep');
  });
});
