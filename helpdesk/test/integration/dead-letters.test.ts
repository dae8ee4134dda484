/**
 * The dead-letter list: a job that fails for good (a deterministic failure, every attempt used)
 * stays in the failed set, shown by `/metrics` (helpdesk_jobs_dead_letter), `/health` and the
 * admin CLI (`jobs:failed`), until an operator re-drives it (`jobs:retry`). The failure here is
 * one an operator can fix: a database trigger (standing for a bug, fixed by a deploy) rejects
 * messages whose text is "poison".
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { query } from '../support/database';
import { HELPDESK_DIR, startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';
import { metricValue, parseMetrics } from '../support/prometheus';
import { programArguments } from '../support/programs';

const TOKEN = 'dead-letter-metrics-token-0123456789';

describe('dead letters', () => {
  let helpdesk: TestHelpdesk;
  before(async () => {
    helpdesk = await startTestHelpdesk({
      env: {
        JOB_ATTEMPTS: '2',
        JOB_BACKOFF_MS: '50',
        JOB_INFRASTRUCTURE_RETRY_MAX_MS: '200',
        METRICS_TOKEN: TOKEN,
      },
    });
  });
  after(() => helpdesk.stop());

  /** Runs the admin CLI as an operator does, against this helpdesk's database and queues. */
  function cli(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [...programArguments('src/cli.ts'), ...args],
        {
          cwd: HELPDESK_DIR,
          env: {
            ...process.env,
            NODE_ENV: 'test',
            DATABASE_URL: helpdesk.env.DATABASE_URL,
            REDIS_URL: helpdesk.env.REDIS_URL,
            QUEUE_PREFIX: helpdesk.env.QUEUE_PREFIX,
          },
          encoding: 'utf8',
        },
        (error, stdout, stderr) =>
          resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  async function deadLetters(...args: string[]): Promise<Array<Record<string, unknown>>> {
    const listed = await cli('jobs:failed', '--json', ...args);
    assert.equal(listed.status, 0, listed.stderr);
    return JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
  }

  const sql = (text: string, values: unknown[] = []) => query(helpdesk.database.url, text, values);
  /** A trigger failing inserts of messages whose text is "poison" (P0001: a bug) or "disk" (53100: disk full). */
  const rejectPoison = () =>
    sql(`CREATE OR REPLACE FUNCTION reject_poison() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             IF NEW.text = 'poison' THEN RAISE EXCEPTION 'poison message rejected by a test trigger'; END IF;
             IF NEW.text = 'disk' THEN
               RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full';
             END IF;
             RETURN NEW;
           END $$;
         DROP TRIGGER IF EXISTS reject_poison ON messages;
         CREATE TRIGGER reject_poison BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION reject_poison();`);
  const fixTheBug = () => sql('DROP TRIGGER IF EXISTS reject_poison ON messages');
  const storedPoison = async () =>
    (await sql(`SELECT count(*)::int AS n FROM messages WHERE direction = 'inbound' AND text = 'poison'`))[0]!
      .n as number;

  async function scrape(): Promise<ReturnType<typeof parseMetrics>> {
    const response = await fetch(`${helpdesk.url}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(response.status, 200);
    return parseMetrics(await response.text());
  }

  interface Health {
    details: {
      database: { reachable: boolean };
      deadLetters: { inbound: number; outbound: number; scheduled: number } | null;
    };
  }
  async function health(): Promise<{ status: number; body: Health }> {
    const response = await fetch(`${helpdesk.url}/health`);
    return { status: response.status, body: (await response.json()) as Health };
  }

  it('when a job fails for good, then jobs:failed, /metrics and /health show it and jobs:retry re-drives it', async () => {
    await rejectPoison();
    const event = textEvent('+201001550001', 'poison');
    assert.equal((await helpdesk.postWppconnect(event)).status, 202);

    const letters = await waitFor(
      async () => {
        const listed = await deadLetters();
        return listed.length === 1 ? listed : null;
      },
      20_000,
      'the job in the dead-letter list',
    );
    const [letter] = letters;
    assert.deepEqual(Object.keys(letter!).sort(), [
      'attemptsMade',
      'eventId',
      'failedAt',
      'failedReason',
      'id',
      'messageIds',
      'name',
      'queue',
      'timestamp',
    ]);
    assert.equal(letter!.queue, 'inbound');
    assert.equal(letter!.name, 'message');
    assert.equal(letter!.eventId, event.eventId);
    assert.equal(letter!.attemptsMade, 2, 'every attempt used');
    assert.match(String(letter!.failedReason), /poison message rejected/);
    assert.ok(!Number.isNaN(Date.parse(String(letter!.timestamp))));
    assert.deepEqual(await deadLetters('--queue', 'outbound'), []);
    const text = await cli('jobs:failed');
    assert.equal(text.status, 0, text.stderr);
    assert.match(
      text.stdout,
      new RegExp(`inbound\\t${letter!.id}\\tmessage\\tattempts 2\\t.*poison message rejected`),
    );

    const samples = await scrape();
    assert.equal(metricValue(samples, 'helpdesk_jobs_dead_letter', { queue: 'inbound' }), 1);
    assert.equal(metricValue(samples, 'helpdesk_jobs_dead_letter', { queue: 'outbound' }), 0);
    assert.ok(samples.some((s) => s.name === 'helpdesk_jobs_dead_letter' && s.labels.queue === 'outbound'));
    assert.equal(metricValue(samples, 'helpdesk_database_reachable'), 1);
    const seen = await health();
    assert.equal(seen.status, 200, 'dead letters are not an outage');
    assert.deepEqual(seen.body.details.deadLetters, { inbound: 1, outbound: 0, scheduled: 0 });
    assert.equal(seen.body.details.database.reachable, true);

    // Kept: never deleted by age (no removeOnFail age on the job).
    const job = await helpdesk.context.queues.inbound.getJob(String(letter!.id));
    assert.equal(job?.opts.removeOnFail, false);

    // A wrong id changes nothing.
    const unknown = await cli('jobs:retry', 'in-nope', String(letter!.id));
    assert.notEqual(unknown.status, 0);
    assert.match(
      unknown.stderr,
      /no failed job "in-nope" in the inbound or outbound or scheduled or broadcast queue/,
    );
    assert.equal((await deadLetters()).length, 1, 'nothing re-driven');

    await fixTheBug();
    const retried = await cli('jobs:retry', String(letter!.id), '--json');
    assert.equal(retried.status, 0, retried.stderr);
    assert.deepEqual(JSON.parse(retried.stdout), { retried: [{ queue: 'inbound', id: letter!.id }] });
    await waitFor(async () => (await storedPoison()) === 1, 20_000, 'the re-driven message stored');
    assert.deepEqual(await deadLetters(), []);
    assert.equal(metricValue(await scrape(), 'helpdesk_jobs_dead_letter', { queue: 'inbound' }), 0);
    assert.deepEqual((await health()).body.details.deadLetters, { inbound: 0, outbound: 0, scheduled: 0 });
  });

  it('when several jobs failed for good, then jobs:retry --all re-drives each once', async () => {
    await rejectPoison();
    const events = ['+201001550002', '+201001550003'].map((phone) => textEvent(phone, 'poison'));
    for (const event of events) assert.equal((await helpdesk.postWppconnect(event)).status, 202);
    await waitFor(async () => (await deadLetters()).length === 2, 20_000, 'two dead letters');
    assert.equal(metricValue(await scrape(), 'helpdesk_jobs_dead_letter', { queue: 'inbound' }), 2);

    await fixTheBug();
    const retried = await cli('jobs:retry', '--all');
    assert.equal(retried.status, 0, retried.stderr);
    assert.match(retried.stdout, /^re-driven 2 jobs: inbound in-\w+, inbound in-\w+/);
    await waitFor(async () => (await storedPoison()) === 3, 20_000, 'both re-driven messages stored');
    assert.deepEqual(await deadLetters(), []);
    const none = await cli('jobs:retry', '--all', '--queue', 'inbound');
    assert.equal(none.status, 0, none.stderr);
    assert.match(none.stdout, /no failed jobs in the inbound queue/);
  });

  it('when the database is out of disk (53100), then the job waits without using attempts and is stored once there is space', async () => {
    await rejectPoison();
    const event = textEvent('+201001550004', 'disk');
    assert.equal((await helpdesk.postWppconnect(event)).status, 202);
    const { inbound } = helpdesk.context.queues;
    const jobId = (await inbound.getJobs(['wait', 'active', 'delayed', 'failed'])).find(
      (job) => 'eventId' in job.data && job.data.eventId === event.eventId,
    )!.id!;
    // Tried well past its 2 attempts, none of them used, never in the dead-letter list.
    const job = await waitFor(
      async () => {
        const seen = await inbound.getJob(jobId);
        return seen && (seen.finishedOn || seen.attemptsStarted >= 5) ? seen : null;
      },
      20_000,
      'the job retried past its attempts',
    );
    assert.equal(job.finishedOn, undefined, `not given up: ${job.failedReason}`);
    assert.equal(job.attemptsMade, 0, 'a full disk uses no attempt');
    assert.deepEqual(await deadLetters(), []);
    assert.ok(
      metricValue(await scrape(), 'helpdesk_job_infrastructure_retries_total', {
        queue: 'inbound',
        kind: 'database',
      }) >= 4,
      'counted as infrastructure retries',
    );
    const seen = await health();
    assert.equal(seen.body.details.database.reachable, true, 'the database answers: webhooks keep accepting');
    assert.equal((await helpdesk.postWppconnect(textEvent('+201001550005', 'still accepted'))).status, 202);

    await fixTheBug();
    await waitFor(
      async () => (await sql(`SELECT count(*)::int AS n FROM messages WHERE text = 'disk'`))[0]!.n === 1,
      20_000,
      'the message stored once the disk has space',
    );
    assert.deepEqual(await deadLetters(), []);
  });

  it('when a scheduled job (a snooze end) fails for good, then it is a dead letter like any other', async () => {
    const { scheduled } = helpdesk.context.queues;
    // A time that is no time: ending the snooze throws (a bug's stand-in), every attempt is used.
    await scheduled.add(
      'end-snooze',
      { kind: 'end-snooze', ticketId: '00000000-0000-4000-8000-000000000001', until: 'not a time' },
      { jobId: 'snooze-dead-letter-test' },
    );
    const [letter] = await waitFor(
      async () => {
        const listed = await deadLetters('--queue', 'scheduled');
        return listed.length === 1 ? listed : null;
      },
      20_000,
      'the scheduled job in the dead-letter list',
    );
    assert.equal(letter!.queue, 'scheduled');
    assert.equal(letter!.id, 'snooze-dead-letter-test');
    assert.equal(letter!.name, 'end-snooze');
    assert.equal(letter!.attemptsMade, 2);
    assert.equal((await deadLetters()).length, 1, 'listed without --queue too');
    const samples = await scrape();
    assert.equal(metricValue(samples, 'helpdesk_jobs_dead_letter', { queue: 'scheduled' }), 1);
    assert.equal(metricValue(samples, 'helpdesk_queue_jobs', { queue: 'scheduled', state: 'failed' }), 1);
    assert.deepEqual((await health()).body.details.deadLetters, { inbound: 0, outbound: 0, scheduled: 1 });

    const retried = await cli('jobs:retry', 'snooze-dead-letter-test', '--json');
    assert.equal(retried.status, 0, retried.stderr);
    assert.deepEqual(JSON.parse(retried.stdout), {
      retried: [{ queue: 'scheduled', id: 'snooze-dead-letter-test' }],
    });
    // Still broken: it fails again and comes back; an operator removes such a job by hand.
    await waitFor(async () => (await deadLetters()).length === 1, 20_000, 'failed again');
    await (await scheduled.getJob('snooze-dead-letter-test'))?.remove();
    assert.deepEqual(await deadLetters(), []);
  });

  it('when the arguments are wrong, then it exits non-zero with a clear message', async () => {
    const queue = await cli('jobs:failed', '--queue', 'sideways');
    assert.notEqual(queue.status, 0);
    assert.match(
      queue.stderr,
      /--queue must be one of inbound, outbound, scheduled, broadcast, not "sideways"/,
    );
    const nothing = await cli('jobs:retry');
    assert.notEqual(nothing.status, 0);
    assert.match(nothing.stderr, /jobs:retry needs job ids \(see jobs:failed\) or --all/);
    const both = await cli('jobs:retry', '--all', 'in-abc');
    assert.notEqual(both.status, 0);
    assert.match(both.stderr, /ids or --all, not both/);
    const option = await cli('jobs:failed', '--everything');
    assert.notEqual(option.status, 0);
    assert.match(option.stderr, /--everything/);
  });
});
