/**
 * PostgreSQL restarts under load: the jobs that failed while it was down retry and complete;
 * every message is stored once and every ticket assigned. Webhooks posted while it is unreachable
 * answer 503 and are retried by the sender. PostgreSQL runs privately so the
 * restart disturbs nothing else.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDatabaseOn, query } from '../support/database';
import {
  addOnlineAgent,
  startTestHelpdesk,
  textEvent,
  waitForStoredAndAssigned,
  type TestHelpdesk,
} from '../support/harness';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-servers';

describe('PostgreSQL restart under load', () => {
  let postgres: PrivatePostgres;
  let helpdesk: TestHelpdesk;
  before(async () => {
    postgres = await startPrivatePostgres();
    const database = await createDatabaseOn(postgres.urlOf('postgres'));
    helpdesk = await startTestHelpdesk({ database, env: { JOB_BACKOFF_MS: '300', JOB_ATTEMPTS: '12' } });
    await addOnlineAgent(helpdesk, 'a@pharmacy.test', 100);
  });
  after(async () => {
    await helpdesk?.stop();
    await postgres?.stop();
  });

  it('when PostgreSQL restarts in the middle of a burst, then every job retries and completes', async () => {
    const events = Array.from({ length: 150 }, (_, index) =>
      textEvent(`+2010013${String(index % 30).padStart(5, '0')}`, `message ${index}`),
    );
    // While PostgreSQL is unreachable the webhook answers 503 and the sender retries, as the
    // sidecar's outbox does (see postgres-outage.test.ts); every event ends up accepted.
    const deliver = async (event: (typeof events)[number]): Promise<number[]> => {
      const statuses: number[] = [];
      for (;;) {
        const { status } = await helpdesk.postWppconnect(event);
        statuses.push(status);
        if (status !== 503) return statuses;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const first = await Promise.all(events.slice(0, 75).map(deliver));
    await postgres.restart();
    const second = await Promise.all(events.slice(75).map(deliver));
    assert.deepEqual(
      [...new Set([...first, ...second].map((statuses) => statuses.at(-1)))],
      [202],
      'every event accepted (after 503s while PostgreSQL was unreachable)',
    );

    await waitForStoredAndAssigned(helpdesk, 150, 90_000);
    const [counts] = await query<{ tickets: number; welcomes: number }>(
      helpdesk.database.url,
      `SELECT (SELECT count(*)::int FROM tickets) AS tickets,
              (SELECT count(*)::int FROM messages WHERE raw->>'kind' = 'welcome') AS welcomes`,
    );
    assert.deepEqual(counts, { tickets: 30, welcomes: 30 });
    const failed = await helpdesk.context.queues.inbound.getJobCounts('failed');
    assert.equal(failed.failed, 0, 'no job ran out of attempts');
  });
});
