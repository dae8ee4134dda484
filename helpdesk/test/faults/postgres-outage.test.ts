/**
 * PostgreSQL down for longer than the whole attempt budget (a failover, a restore, a full disk):
 * events answered 2xx before the outage, and the replies queued for them, wait in the queues and
 * are retried without using attempts; events posted during the outage are refused with 503 (the
 * sender keeps them and retries); once PostgreSQL is back every event answered 2xx is stored exactly
 * once, every reply sent, and nothing is left in the dead-letter list.
 *
 * The budget is shortened by configuration (3 attempts from 50 ms: parked within ~150 ms before the
 * infrastructure retries existed); the outage lasts until every queued job has been tried at least
 * twice more than that budget allows. PostgreSQL runs privately so stopping it disturbs nothing else.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Job } from 'bullmq';
import { createDatabaseOn, query } from '../support/database';
import {
  addOnlineAgent,
  readJson,
  startTestHelpdesk,
  textEvent,
  waitFor,
  waitForStoredAndAssigned,
  type TestHelpdesk,
} from '../support/harness';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-servers';

const ATTEMPTS = 3;
const JOB_STATES = ['wait', 'paused', 'prioritized', 'delayed', 'active', 'failed'] as const;

describe('PostgreSQL down longer than the attempt budget', () => {
  let postgres: PrivatePostgres;
  let helpdesk: TestHelpdesk;
  before(async () => {
    postgres = await startPrivatePostgres();
    const database = await createDatabaseOn(postgres.urlOf('postgres'));
    helpdesk = await startTestHelpdesk({
      database,
      env: {
        JOB_ATTEMPTS: String(ATTEMPTS),
        JOB_BACKOFF_MS: '50',
        JOB_INFRASTRUCTURE_RETRY_MAX_MS: '400',
        DATABASE_PROBE_INTERVAL_MS: '100',
        DATABASE_PROBE_TIMEOUT_MS: '500',
      },
    });
    await addOnlineAgent(helpdesk, 'a@pharmacy.test', 100);
  });
  after(async () => {
    await helpdesk?.stop();
    await postgres?.stop();
  });

  const post = async (event: ReturnType<typeof textEvent>) => (await helpdesk.postWppconnect(event)).status;

  it('when PostgreSQL is down for longer than every attempt allows, then every event answered 2xx is stored exactly once and nothing is dead-lettered', async () => {
    const { inbound, outbound } = helpdesk.context.queues;
    const accepted: Array<ReturnType<typeof textEvent>> = [];

    // Replies queued when the database goes: five customers' first messages are stored and their
    // welcomes wait in the outbound queue.
    await outbound.pause();
    const early = Array.from({ length: 5 }, (_, i) =>
      textEvent(`+2010020${String(i).padStart(5, '0')}`, 'hi'),
    );
    assert.deepEqual(await Promise.all(early.map(post)), [202, 202, 202, 202, 202]);
    accepted.push(...early);
    await waitForStoredAndAssigned(helpdesk, early.length, 20_000);
    const repliesQueued = await waitFor(
      async () => (await outbound.getJobCounts('paused', 'wait')).paused ?? 0,
    );

    // Events accepted just before it goes: answered 202, still in the queue.
    await inbound.pause();
    const queued = Array.from({ length: 10 }, (_, i) =>
      textEvent(`+2010020${String(i % 8).padStart(5, '0')}`, `queued ${i}`),
    );
    assert.deepEqual([...new Set(await Promise.all(queued.map(post)))], [202]);
    accepted.push(...queued);

    await postgres.shutdown();
    await Promise.all([inbound.resume(), outbound.resume()]);

    // The outage outlasts the old budget: each waiting job is tried at least ATTEMPTS + 2 times
    // (or, as before the fix, gives up and is parked in the failed set).
    const jobsOf = async () => [
      ...((await inbound.getJobs([...JOB_STATES])) as Job[]),
      ...((await outbound.getJobs([...JOB_STATES])) as Job[]),
    ];
    await waitFor(
      async () => {
        const jobs = await jobsOf();
        return (
          jobs.length >= queued.length + repliesQueued &&
          // finishedOn: in the failed set (failedReason alone is also set between retries).
          jobs.every((job) => job.attemptsStarted >= ATTEMPTS + 2 || job.finishedOn)
        );
      },
      60_000,
      'every queued job retried past the old attempt budget',
    );

    assert.deepEqual(
      (await jobsOf()).filter((job) => job.finishedOn).map((job) => [job.name, job.failedReason]),
      [],
      'no job given up during the outage',
    );

    // Events posted during the outage: refused with 503 once the probe has seen it (an event
    // accepted before that waits in the queue like the others).
    const during = Array.from({ length: 4 }, (_, i) =>
      textEvent(`+2010021${String(i).padStart(5, '0')}`, `during ${i}`),
    );
    const refused: Array<ReturnType<typeof textEvent>> = [];
    for (const event of during) {
      const response = await helpdesk.postWppconnect(event);
      if (response.status === 202) accepted.push(event);
      else {
        assert.equal(response.status, 503, 'refused as unavailable');
        assert.equal((await readJson(response)).error, 'unavailable');
        refused.push(event);
      }
    }
    assert.ok(refused.length > 0, 'the webhook refuses events while the database is down');

    await postgres.start();
    // The sidecar retries what was refused, until it is accepted.
    for (const event of refused) {
      await waitFor(async () => (await post(event)) === 202, 20_000, 'the retried event accepted');
      accepted.push(event);
    }

    await waitForStoredAndAssigned(helpdesk, accepted.length, 60_000);
    await waitFor(
      async () => {
        const [row] = await query<{ queued: number }>(
          helpdesk.database.url,
          `SELECT count(*)::int AS queued FROM messages WHERE direction = 'outbound' AND delivery_status = 'queued'`,
        );
        return row!.queued === 0;
      },
      30_000,
      'every reply sent',
    );

    const stored = await query<{ id: string; copies: number }>(
      helpdesk.database.url,
      `SELECT provider_message_id AS id, count(*)::int AS copies FROM messages
        WHERE direction = 'inbound' GROUP BY provider_message_id`,
    );
    assert.deepEqual(
      stored.map((row) => [row.id, row.copies]).sort(),
      accepted.map((event) => [event.message.providerMessageId, 1]).sort(),
      'every event answered 2xx stored exactly once',
    );
    const [outcome] = await query<{ failed: number; sent: number }>(
      helpdesk.database.url,
      `SELECT count(*) FILTER (WHERE delivery_status = 'failed')::int AS failed,
              count(*) FILTER (WHERE delivery_status = 'sent')::int AS sent
         FROM messages WHERE direction = 'outbound'`,
    );
    assert.equal(outcome!.failed, 0, 'no reply marked failed');
    assert.equal(helpdesk.sidecar.sends.length, outcome!.sent, 'each reply sent once');
    assert.deepEqual(
      {
        inbound: await inbound.getFailedCount(),
        outbound: await outbound.getFailedCount(),
      },
      { inbound: 0, outbound: 0 },
      'the dead-letter list is empty',
    );
  });
});
