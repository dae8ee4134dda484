/**
 * The bot's replies to a batch of inbound messages go out as one outbound job (jobs/queues.ts,
 * `enqueueOutboundMany`), not one job per message: each customer's replies in order, customers side
 * by side, one customer's failing sends retried without holding up or resending the others'. Where
 * the Cloud API's rate limit counts jobs, a job carries at most three messages and one customer's
 * replies are never split.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Job, Queue } from 'bullmq';
import { handleInboundJobs } from '../../src/jobs/inbound-job';
import type { InboundQueueJob } from '../../src/jobs/inbound-queue';
import { enqueueOutboundMany, type OutboundJob } from '../../src/jobs/queues';
import { inboundJobDependencies, startContextWorkers } from '../../src/jobs/workers';
import { query } from '../support/database';
import { REDIS_URL, startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';

/** The id of the webhook request that carried a customer's message (each customer's own). */
const requestIdOf = (phone: string) => `request-${phone.slice(1)}`;

/**
 * BullMQ jobs of these customers' first messages, as a shard's worker hands them over (a Job
 * object of its own queue: nothing is added to Redis).
 */
function firstMessageJobs(queue: Queue, phones: readonly string[]): Array<Job<InboundQueueJob>> {
  return phones.map((phone) => {
    const event = textEvent(phone, 'hello');
    const data: InboundQueueJob = {
      kind: 'message',
      eventId: event.eventId,
      message: event.message,
      requestId: requestIdOf(phone),
    };
    return new Job<InboundQueueJob>(
      queue,
      'message',
      data,
      { attempts: 5 },
      event.eventId.replaceAll(':', '-'),
    );
  });
}

describe('outbound jobs packed from a batch of inbound messages', () => {
  let helpdesk: TestHelpdesk;
  let jobSource: Queue;
  /** What the bot queued for these customers, in the order the thread shows it. */
  const replies = (phones: readonly string[]) =>
    query<{ id: string; phone: string; kind: string; status: string }>(
      helpdesk.database.url,
      `SELECT m.id, c.phone, m.raw->>'kind' AS kind, m.delivery_status::text AS status
         FROM messages m JOIN tickets t ON t.id = m.ticket_id JOIN customers c ON c.id = t.customer_id
        WHERE c.phone = ANY($1) AND m.direction = 'outbound' ORDER BY c.phone, m.created_at`,
      [phones],
    );
  /** Waits until every reply to these customers is sent. */
  const allSent = (phones: readonly string[]) =>
    waitFor(
      async () => (await replies(phones)).every((reply) => reply.status === 'sent'),
      15_000,
      'every reply sent',
    );
  /** The bot's replies as the stand-in sidecar received them for one customer: welcome, then menu. */
  const receivedBy = (phone: string) =>
    helpdesk.sidecar.sends.filter((send) => send.to === phone).map((send) => send.text?.split('\n')[0]);

  before(async () => {
    helpdesk = await startTestHelpdesk({ inProcessWorkers: false, env: { BOT_LANGUAGE: 'en' } });
    jobSource = new Queue('packed-jobs-source', { connection: { url: REDIS_URL } });
  });
  after(async () => {
    await jobSource?.close();
    await helpdesk?.stop();
  });

  it('when six new customers write in one batch, then their twelve replies are one outbound job, and each customer gets the welcome before the menu, once, with her own request id', async () => {
    const phones = Array.from({ length: 6 }, (_, index) => `+2010055510${index}${index}`);
    const outcomes = await handleInboundJobs(
      inboundJobDependencies(helpdesk.context),
      firstMessageJobs(jobSource, phones),
    );
    assert.deepEqual(outcomes, Array(6).fill('stored'));
    const queued = await replies(phones);
    assert.equal(queued.length, 12, 'a welcome and a menu for each customer');

    const waiting = await helpdesk.context.queues.outbound.getJobs(['waiting']);
    assert.equal(waiting.length, 1, 'one outbound job');
    const [job] = waiting as Array<Job<OutboundJob>>;
    assert.deepEqual(
      [...job!.data.messageIds].sort(),
      queued.map((reply) => reply.id).sort(),
      'it carries every reply',
    );

    const workers = startContextWorkers(helpdesk.context);
    try {
      await allSent(phones);
    } finally {
      await workers.close();
    }
    const welcome = receivedBy(phones[0]!)[0];
    for (const phone of phones) {
      assert.equal(receivedBy(phone).length, 2, `${phone} got two messages`);
      assert.deepEqual(
        helpdesk.sidecar.sends.filter((send) => send.to === phone).map((send) => send.requestId),
        [requestIdOf(phone), requestIdOf(phone)],
        `${phone}: the sends carry the request id of her own message`,
      );
      assert.equal(receivedBy(phone)[0], welcome, `${phone}: the welcome first`);
      assert.notEqual(receivedBy(phone)[1], welcome, `${phone}: then the menu`);
    }
  });

  it("when one customer's sends fail inside the sidecar, then the others' replies go out at once, and hers once it recovers, nobody's twice", async () => {
    const phones = Array.from({ length: 3 }, (_, index) => `+2010055520${index}${index}`);
    const [first, failing, third] = phones as [string, string, string];
    helpdesk.sidecar.failingRecipients.set(failing, 500);
    await handleInboundJobs(inboundJobDependencies(helpdesk.context), firstMessageJobs(jobSource, phones));
    const workers = startContextWorkers(helpdesk.context);
    try {
      await waitFor(
        () => receivedBy(first).length === 2 && receivedBy(third).length === 2,
        15_000,
        'the other customers served',
      );
      assert.deepEqual(receivedBy(failing), [], 'nothing reached her yet');
      const statuses = (await replies([failing])).map((reply) => reply.status);
      assert.deepEqual(statuses, ['queued', 'queued'], 'her replies wait for the retry');

      helpdesk.sidecar.failingRecipients.delete(failing);
      await allSent(phones);
    } finally {
      await workers.close();
    }
    assert.equal(receivedBy(failing).length, 2, 'her welcome and menu, once each');
    assert.equal(receivedBy(first).length, 2, 'not sent again by the retry');
    assert.equal(receivedBy(third).length, 2, 'not sent again by the retry');
  });
});

describe('outbound jobs where the Cloud API rate limit counts them', () => {
  let helpdesk: TestHelpdesk;
  before(async () => {
    helpdesk = await startTestHelpdesk({ provider: 'cloud', inProcessWorkers: false });
  });
  after(() => helpdesk?.stop());

  it("when five customers' replies are enqueued together, then no job carries more than three messages and no customer's replies are split", async () => {
    const batches = [2, 2, 1, 3, 1].map((count, index) => ({
      key: `reply|cloud-${index}`,
      messageIds: Array.from({ length: count }, () => randomUUID()),
    }));
    await enqueueOutboundMany(helpdesk.context.queues, batches);
    const jobs = (await helpdesk.context.queues.outbound.getJobs(['waiting'])) as Array<Job<OutboundJob>>;
    // BullMQ lists waiting jobs newest first: compared in the order of their first message.
    const byFirstMessage = (lists: string[][]) => [...lists].sort((a, b) => a[0]!.localeCompare(b[0]!));
    assert.deepEqual(
      byFirstMessage(jobs.map((job) => job.data.messageIds)),
      byFirstMessage([
        batches[0]!.messageIds,
        [...batches[1]!.messageIds, ...batches[2]!.messageIds],
        batches[3]!.messageIds,
        batches[4]!.messageIds,
      ]),
    );
  });
});
