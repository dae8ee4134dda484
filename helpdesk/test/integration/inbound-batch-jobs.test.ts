/**
 * Webhook events that reach the API together travel as one job per shard (jobs/inbound-queue.ts,
 * `InboundQueue.add`): a lone event is still its own job, whose id the provider's event id gives;
 * the events enqueued while that add is on its way to Redis go as one batch job per customer's
 * shard, in the order they came, whose events the worker handles as it handles jobs; an event of a
 * batch job that fails is retried as a job of its own. Every message is stored once either way.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { orderingKey, shardOf, type InboundQueueJob } from '../../src/jobs/inbound-queue';
import { jobIdFor } from '../../src/jobs/queues';
import type { InboundJob } from '../../src/whatsapp/inbound-event';
import { processRegistry } from '../../src/infra/metrics';
import { query } from '../support/database';
import { metricValue, parseMetrics } from '../support/prometheus';
import {
  editJobOf,
  finishedJob,
  startTestHelpdesk,
  textEvent,
  waitFor,
  type TestHelpdesk,
} from '../support/harness';

/** The queue job of a sidecar text event, as the webhook route enqueues it. */
const messageJob = (event: ReturnType<typeof textEvent>): InboundJob => ({
  kind: 'message',
  eventId: event.eventId,
  message: event.message,
});

/** The first of these phone numbers whose messages go to a shard `accept` takes. */
const phoneIn = (candidates: (index: number) => string, accept: (shard: number) => boolean): string => {
  for (let index = 0; index < 500; index += 1) {
    const phone = candidates(index);
    if (accept(shardOf(orderingKey(messageJob(textEvent(phone, '')))))) return phone;
  }
  throw new Error('no phone number in such a shard');
};

describe('inbound batch jobs', () => {
  let helpdesk: TestHelpdesk;
  /** How many times each of these provider message ids is stored. */
  const storedCounts = (providerMessageIds: string[]) =>
    query<{ id: string; n: number }>(
      helpdesk.database.url,
      `SELECT provider_message_id AS id, count(*)::int AS n FROM messages
        WHERE provider_message_id = ANY($1) GROUP BY 1`,
      [providerMessageIds],
    );
  /**
   * The inbound queue's completed jobs that carry any of these event ids, once `count` of them are
   * completed (read while jobs move between states, a job could be missed or seen twice).
   */
  const jobsCarrying = (eventIds: Set<string>, count: number) => {
    const carries = (data: InboundQueueJob) =>
      data.kind === 'batch'
        ? data.events.some((event) => eventIds.has(event.eventId))
        : eventIds.has(data.eventId);
    return waitFor(async () => {
      const jobs = (await helpdesk.context.queues.inbound.getJobs(['completed'])).filter((job) =>
        carries(job.data),
      );
      return jobs.length >= count ? jobs : null;
    }, 10_000);
  };

  before(async () => {
    helpdesk = await startTestHelpdesk({ env: { JOB_ATTEMPTS: '5', JOB_BACKOFF_MS: '200' } });
  });
  after(() => helpdesk.stop());

  it('when nine webhooks are enqueued at once, then the first is its own job, the other eight two batch jobs of four, one per customer in order, and each message is stored once', async () => {
    const first = textEvent('+201006660000', 'hello');
    // A and B in shards of their own: a batch job behind the first event's job in its shard would
    // be taken along with it (workers.ts), handled but never completed on its own.
    const firstShard = shardOf(orderingKey(messageJob(first)));
    const customerA = phoneIn(
      (index) => `+20100666${1000 + index}`,
      (shard) => shard !== firstShard,
    );
    const shardA = shardOf(orderingKey(messageJob(textEvent(customerA, ''))));
    const customerB = phoneIn(
      (index) => `+20100666${2000 + index}`,
      (shard) => shard !== shardA && shard !== firstShard,
    );
    // A and B each send four messages in quick succession, interleaved.
    const burst = Array.from({ length: 8 }, (_, index) =>
      textEvent(index % 2 === 0 ? customerA : customerB, `message ${index}`),
    );
    const events = [first, ...burst];
    const batchJobsTimed = async () =>
      metricValue(parseMetrics(await processRegistry.metrics()), 'helpdesk_job_duration_seconds_count', {
        queue: 'inbound',
        outcome: 'batch',
      });
    const timedBefore = await batchJobsTimed();
    // As nine webhook requests do when they arrive together: each enqueues its event.
    await Promise.all(events.map((event) => helpdesk.context.queues.inbound.add([messageJob(event)])));

    const ids = events.map((event) => event.message.providerMessageId);
    const stored = await waitFor(async () => {
      const counts = await storedCounts(ids);
      return counts.length === ids.length ? counts : null;
    });
    assert.deepEqual(
      stored.map((entry) => entry.n),
      ids.map(() => 1),
    );
    const jobs = await jobsCarrying(new Set(events.map((event) => event.eventId)), 3);
    assert.deepEqual(jobs.map((job) => job.name).sort(), ['batch', 'batch', 'message']);
    const single = jobs.find((job) => job.name === 'message')!;
    assert.equal(single.id, jobIdFor('in', `wppconnect|${first.eventId}`));
    const batches = jobs
      .filter((job) => job.data.kind === 'batch')
      .map((job) => (job.data.kind === 'batch' ? job.data.events.map((event) => event.eventId) : []))
      .sort(
        (a, b) => burst.findIndex((e) => e.eventId === a[0]) - burst.findIndex((e) => e.eventId === b[0]),
      );
    assert.deepEqual(batches, [
      burst.filter((_, index) => index % 2 === 0).map((event) => event.eventId),
      burst.filter((_, index) => index % 2 === 1).map((event) => event.eventId),
    ]);
    for (const job of jobs.filter((entry) => entry.name === 'batch')) {
      // Found by its id among all the shards, as `jobs:retry <id>` finds it.
      const finished = await finishedJob(helpdesk.context.queues.inbound, job.id!);
      assert.deepEqual(finished.data, job.data, `job ${job.id} is this batch, not another shard's`);
      assert.equal(finished.returnvalue, 'batch of 4');
    }
    // Timed under one outcome label, whatever their size (a label per size would grow without end).
    assert.equal((await batchJobsTimed()) - timedBefore, 2);
  });

  it('when webhooks of 600 KB each arrive together, then each travels in a job of its own', async () => {
    const events = Array.from({ length: 3 }, (_, index) =>
      textEvent(`+2010066601${String(index).padStart(2, '0')}`, `large ${index}`),
    );
    await Promise.all(
      events.map((event) => helpdesk.context.queues.inbound.add([messageJob(event)], 600 * 1024)),
    );
    const jobs = await jobsCarrying(new Set(events.map((event) => event.eventId)), 3);
    assert.deepEqual(
      jobs.map((job) => job.name),
      ['message', 'message', 'message'],
    );
  });

  it('when an event of a batch job fails, then it is retried as a job of its own and applies once its message is stored', async () => {
    // An edit of a message not stored yet fails while attempts remain; another customer's message,
    // in the edit's shard, travels in the same batch job.
    const edited = textEvent('+201006660100', 'I need panadol');
    const edit = editJobOf(edited, 'I need panadol extra');
    const other = textEvent(
      phoneIn(
        (index) => `+20100666${3000 + index}`,
        (shard) => shard === shardOf(orderingKey(edit)),
      ),
      'good morning',
    );
    // One webhook with two events (as a Cloud API notification can hold): one batch job.
    await helpdesk.context.queues.inbound.add([edit, messageJob(other)]);

    const batch = (await jobsCarrying(new Set([edit.eventId]), 1)).find((job) => job.name === 'batch');
    assert.equal(batch?.name, 'batch');
    const finished = await finishedJob(helpdesk.context.queues.inbound, batch!.id!);
    assert.equal(finished.returnvalue, 'batch of 2, 1 retried on their own');
    assert.deepEqual(await storedCounts([other.message.providerMessageId]), [
      { id: other.message.providerMessageId, n: 1 },
    ]);
    // The edit's own job, under the id the provider's event id gives, as if it had come alone.
    const own = await helpdesk.context.queues.inbound.getJob(jobIdFor('in', `wppconnect|${edit.eventId}`));
    assert.equal(own?.name, 'edit');

    // The customer's message arrives: the edit applies to it, and it is stored once.
    assert.equal((await helpdesk.postWppconnect(edited)).status, 202);
    const message = await waitFor(async () => {
      const [found] = await query<{ text: string; edits: unknown[] }>(
        helpdesk.database.url,
        `SELECT text, edits FROM messages WHERE provider_message_id = $1`,
        [edited.message.providerMessageId],
      );
      return found?.text === 'I need panadol extra' ? found : null;
    }, 20_000);
    assert.equal(message.edits.length, 1);
    assert.deepEqual(await storedCounts([edited.message.providerMessageId]), [
      { id: edited.message.providerMessageId, n: 1 },
    ]);
  });
});
