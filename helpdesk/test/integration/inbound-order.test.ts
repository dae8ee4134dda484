/**
 * A customer's messages are stored, and answered, in the order they came, whichever worker takes
 * them and however long one takes (jobs/inbound-queue.ts): a photo whose download is slow is not
 * overtaken by the text sent after it, while other customers' messages go on meanwhile.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { orderingKey, shardOf } from '../../src/jobs/inbound-queue';
import { inboundJobDependencies, startWorkers } from '../../src/jobs/workers';
import { createRedis } from '../../src/infra/redis';
import { query } from '../support/database';
import { REDIS_URL, startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';

/** A PNG of one pixel. */
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
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

  before(async () => {
    helpdesk = await startTestHelpdesk({ env: { BOT_LANGUAGE: 'en' } });
  });
  after(() => helpdesk.stop());

  it('when a customer sends a photo that downloads slowly and then a text, with two workers running, then the text is stored after the photo and another customer is not held up', async () => {
    // A second worker process beside the test's own workers: either may take either message.
    helpdesk.startWorkerProcess();
    const phone = '+201007770001';
    const photo = textEvent(phone, '');
    // Another customer, in another shard: their message must not wait for the photo.
    const shardOfCustomer = (customer: string) =>
      shardOf(orderingKey({ kind: 'message', ...textEvent(customer, '') }));
    const photoShard = shardOfCustomer(phone);
    const otherPhone = Array.from(
      { length: 20 },
      (_, index) => `+2010077701${String(index).padStart(2, '0')}`,
    ).find((candidate) => shardOfCustomer(candidate) !== photoShard)!;
    const mediaId = 'slow-prescription-photo';
    helpdesk.sidecar.media.set(mediaId, { body: PIXEL, mimeType: 'image/png' });
    helpdesk.sidecar.slowMedia.set(mediaId, DOWNLOAD_MS);
    Object.assign(photo.message, {
      type: 'image',
      text: null,
      caption: null,
      media: {
        id: mediaId,
        mimeType: 'image/png',
        filename: null,
        size: PIXEL.length,
        sha256: null,
        url: `${helpdesk.sidecar.url}/api/media/${mediaId}`,
      },
    });

    assert.equal((await helpdesk.postWppconnect(photo)).status, 202);
    await waitFor(
      () => helpdesk.sidecar.mediaRequests.includes(mediaId) || null,
      5000,
      'photo download started',
    );
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
      await Promise.all(inbound.shards.map((queue) => queue.removeGlobalConcurrency()));
      assert.deepEqual(
        await limits(),
        inbound.shards.map(() => null),
      );
      connection.disconnect(true);
      await waitFor(
        async () => ((await limits()).every((limit) => limit === 1) ? true : null),
        5000,
        'the shards limited again',
      );
    } finally {
      await workers.close();
      connection.disconnect();
    }
  });
});
