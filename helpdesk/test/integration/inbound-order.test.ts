/**
 * A customer's messages are stored, and answered, in the order they came, whichever worker takes
 * them and however long one takes (jobs/inbound-queue.ts): a photo whose download is slow is not
 * overtaken by the text sent after it, while other customers' messages go on meanwhile; messages
 * that pile up behind it are taken together by the next job's worker, and one that fails among
 * them stays queued.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { orderingKey, shardOf } from '../../src/jobs/inbound-queue';
import { jobIdFor } from '../../src/jobs/queues';
import { inboundJobDependencies, startWorkers } from '../../src/jobs/workers';
import { createRedis } from '../../src/infra/redis';
import { query } from '../support/database';
import {
  editJobOf,
  photoEvent,
  PIXEL_PNG,
  REDIS_URL,
  startTestHelpdesk,
  textEvent,
  waitFor,
  type TestHelpdesk,
} from '../support/harness';

const DOWNLOAD_MS = 1500;

describe('the order of a customer’s messages', () => {
  let helpdesk: TestHelpdesk;

  /** The customer's thread as an agent reads it: inbound and bot messages, oldest first. */
  const thread = (phone: string) =>
    query<{ author: string; type: string; text: string | null; kind: string | null }>(
      helpdesk.database.url,
      `SELECT m.author, m.type, m.text, m.raw->>'kind' AS kind
         FROM messages m JOIN tickets t ON t.id = m.ticket_id JOIN customers c ON c.id = t.customer_id
        WHERE c.phone = $1 ORDER BY m.created_at, m.id`,
      [phone],
    );

  /**
   * Posts a photo from `phone` whose download from the stand-in sidecar takes DOWNLOAD_MS, and
   * resolves once a worker has started downloading it (its shard is held until it is stored).
   */
  const postSlowPhoto = async (phone: string, mediaId: string) => {
    helpdesk.sidecar.media.set(mediaId, { body: PIXEL_PNG, mimeType: 'image/png' });
    helpdesk.sidecar.slowMedia.set(mediaId, DOWNLOAD_MS);
    const photo = photoEvent(phone, mediaId, `${helpdesk.sidecar.url}/api/media/${mediaId}`);
    assert.equal((await helpdesk.postWppconnect(photo)).status, 202);
    await waitFor(
      () => helpdesk.sidecar.mediaRequests.includes(mediaId) || null,
      5000,
      'photo download started',
    );
  };

  before(async () => {
    helpdesk = await startTestHelpdesk({ env: { BOT_LANGUAGE: 'en' } });
  });
  after(() => helpdesk.stop());

  it('when a customer sends a photo that downloads slowly and then a text, with two workers running, then the text is stored after the photo and another customer is not held up', async () => {
    // A second worker process beside the test's own workers: either may take either message.
    helpdesk.startWorkerProcess();
    const phone = '+201007770001';
    // Another customer, in another shard: their message must not wait for the photo.
    const shardOfCustomer = (customer: string) =>
      shardOf(orderingKey({ kind: 'message', ...textEvent(customer, '') }));
    const photoShard = shardOfCustomer(phone);
    const otherPhone = Array.from(
      { length: 20 },
      (_, index) => `+2010077701${String(index).padStart(2, '0')}`,
    ).find((candidate) => shardOfCustomer(candidate) !== photoShard)!;
    const mediaId = 'slow-prescription-photo';

    await postSlowPhoto(phone, mediaId);
    assert.equal((await helpdesk.postWppconnect(textEvent(phone, 'this is my prescription'))).status, 202);
    assert.equal((await helpdesk.postWppconnect(textEvent(otherPhone, 'hello'))).status, 202);

    const other = await waitFor(
      async () => ((await thread(otherPhone)).length > 0 ? thread(otherPhone) : null),
      5000,
      'the other customer’s message stored',
    );
    assert.equal(other[0]!.text, 'hello');
    assert.deepEqual(
      (await thread(phone)).map((message) => message.type),
      [],
      'the other customer’s message was stored while the photo was still downloading',
    );

    const stored = await waitFor(
      async () => {
        const messages = await thread(phone);
        return messages.filter((message) => message.author === 'customer').length === 2 ? messages : null;
      },
      10_000,
      'both messages stored',
    );
    assert.deepEqual(
      stored.filter((message) => message.author === 'customer').map((message) => message.type),
      ['image', 'text'],
      'the photo first, then the text sent after it',
    );
    assert.deepEqual(
      stored.slice(0, 4).map((message) => message.kind ?? message.type),
      ['image', 'welcome', 'menu', 'text'],
      'the bot greeted the photo, the first message, before the text came',
    );
  });

  it('when a customer’s messages pile up behind a slow photo, then the worker takes them together: each stored once, in order, and none left in the shard', async () => {
    const phone = '+201007770201';
    const { inbound } = helpdesk.context.queues;
    const shard = inbound.shards[shardOf(orderingKey({ kind: 'message', ...textEvent(phone, '') }))]!;
    const completedBefore = (await shard.getJobCounts('completed')).completed ?? 0;
    const mediaId = 'slow-photo-before-notes';
    await postSlowPhoto(phone, mediaId);
    // One at a time, each answered before the next: each its own job, waiting behind the photo.
    const notes = Array.from({ length: 8 }, (_, index) => `note ${index + 1}`);
    for (const note of notes)
      assert.equal((await helpdesk.postWppconnect(textEvent(phone, note))).status, 202);
    assert.equal((await shard.getJobCounts('wait')).wait, notes.length, 'the notes wait behind the photo');

    const stored = await waitFor(
      async () => {
        const texts = (await thread(phone)).filter((message) => message.author === 'customer');
        return texts.length >= notes.length + 1 ? texts : null;
      },
      15_000,
      'photo and notes stored',
    );
    assert.deepEqual(
      stored.map((message) => message.text ?? message.type),
      ['image', ...notes],
      'each stored once, in the order sent',
    );
    await waitFor(
      async () => (await shard.getJobCounts('active', 'wait')).active === 0 || null,
      5000,
      'the shard idle',
    );
    const counts = await shard.getJobCounts('wait', 'delayed', 'failed', 'completed');
    assert.deepEqual(
      { wait: counts.wait, delayed: counts.delayed, failed: counts.failed },
      { wait: 0, delayed: 0, failed: 0 },
      'nothing left to redeliver',
    );
    assert.equal(
      (counts.completed ?? 0) - completedBefore,
      2,
      'the photo’s job, then the first note’s, which took the other seven with it',
    );
  });

  it('when a job taken behind the active one fails, then it stays in its shard and applies later', async () => {
    // An edit of a message not stored yet fails while attempts remain. It waits, between two
    // messages of a customer in its shard, behind that customer's slow photo.
    const edited = textEvent('+201007770300', 'I need panadol');
    const edit = editJobOf(edited, 'I need panadol extra');
    const editShard = shardOf(orderingKey(edit));
    const phone = Array.from({ length: 500 }, (_, index) => `+20100777${4000 + index}`).find(
      (candidate) => shardOf(orderingKey({ kind: 'message', ...textEvent(candidate, '') })) === editShard,
    )!;
    const mediaId = 'slow-photo-before-edit';
    await postSlowPhoto(phone, mediaId);
    assert.equal((await helpdesk.postWppconnect(textEvent(phone, 'first'))).status, 202);
    await helpdesk.context.queues.inbound.add([edit]);
    assert.equal((await helpdesk.postWppconnect(textEvent(phone, 'second'))).status, 202);

    const texts = await waitFor(
      async () => {
        const found = (await thread(phone)).filter((message) => message.author === 'customer');
        return found.length >= 3 ? found : null;
      },
      15_000,
      'the photo and both texts stored',
    );
    assert.deepEqual(
      texts.map((message) => message.text ?? message.type),
      ['image', 'first', 'second'],
    );
    const editJob = await helpdesk.context.queues.inbound.getJob(
      jobIdFor('in', `wppconnect|${edit.eventId}`),
    );
    assert.ok(editJob, 'the edit is still queued');

    assert.equal((await helpdesk.postWppconnect(edited)).status, 202);
    await waitFor(
      async () => {
        const [found] = await query<{ text: string }>(
          helpdesk.database.url,
          `SELECT text FROM messages WHERE provider_message_id = $1`,
          [edited.message.providerMessageId],
        );
        return found?.text === 'I need panadol extra' || null;
      },
      30_000,
      'the edit applied once its message came',
    );
  });

  it('when Redis comes back without the shards’ limit (its data lost), then the workers set it again', async () => {
    const { inbound } = helpdesk.context.queues;
    const limits = () => Promise.all(inbound.shards.map((queue) => queue.getGlobalConcurrency()));
    assert.deepEqual(
      await limits(),
      inbound.shards.map(() => 1),
      'every shard runs one job at a time',
    );

    // Workers on a connection of the test's own, so that only it reconnects.
    const connection = createRedis(REDIS_URL, 'worker');
    // Connected before it is dropped: ioredis drops a connection still connecting only once it is up.
    await connection.ping();
    const { config } = helpdesk.context;
    const workers = startWorkers(
      connection,
      {
        prefix: config.queuePrefix,
        concurrency: 1,
        inboundBatchSize: config.jobs.inboundBatchSize,
        lockMs: config.jobs.lockMs,
      },
      inboundJobDependencies(helpdesk.context),
      helpdesk.context.log,
    );
    try {
      // Their own first limiting done, so that only the reconnection can set the limit again.
      await workers.started;
      await Promise.all(inbound.shards.map((queue) => queue.removeGlobalConcurrency()));
      assert.deepEqual(
        await limits(),
        inbound.shards.map(() => null),
      );
      const reconnected = once(connection, 'ready');
      connection.disconnect(true);
      await reconnected;
      await waitFor(
        async () => ((await limits()).every((limit) => limit === 1) ? true : null),
        5000,
        'the shards limited again',
      );
    } finally {
      await workers.close();
      // QUIT, answered after every command sent before it: disconnect() would reject those.
      await connection.quit();
    }
  });
});
