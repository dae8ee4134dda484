/**
 * The jobs a shard's worker takes along behind its own (jobs/inbound-queue.ts `waitingBehind`),
 * on the real Redis with no worker running: the waiting ones in the order they came, and none
 * while the shard is paused (`jobs` CLI), so a pause holds every job it finds waiting.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createRedis } from '../../src/infra/redis';
import { InboundQueue, orderingKey, shardOf } from '../../src/jobs/inbound-queue';
import type { InboundJob } from '../../src/whatsapp/inbound-event';
import { deleteRedisPrefix, REDIS_URL, textEvent } from '../support/harness';

describe('the jobs taken behind a shard’s job', () => {
  const prefix = `test-take-${randomUUID()}`;
  const connection = createRedis(REDIS_URL, 'producer');
  const inbound = new InboundQueue({ connection, prefix });
  const phone = '+201007779001';
  const shard = shardOf(orderingKey({ kind: 'message', ...textEvent(phone, '') }));
  const notes = ['first', 'second', 'third'].map((text): InboundJob => ({
    kind: 'message',
    ...textEvent(phone, text),
  }));
  const taken = async () =>
    (await inbound.waitingBehind(shard, 10)).map((job) =>
      job.data.kind === 'message' ? job.data.message.text : job.data.kind,
    );

  before(async () => {
    // One at a time: each its own job, as webhooks answered one by one are.
    for (const note of notes) await inbound.add([note]);
  });
  after(async () => {
    await Promise.all(inbound.shards.map((queue) => queue.close()));
    connection.disconnect();
    await deleteRedisPrefix(REDIS_URL, prefix);
  });

  it('when jobs wait in the shard, then they are taken oldest first', async () => {
    assert.deepEqual(await taken(), ['first', 'second', 'third']);
  });

  it('when the shard is paused, then none is taken, and after the pause they are again', async () => {
    await inbound.shards[shard]!.pause();
    assert.equal((await inbound.shards[shard]!.getJobCounts('paused')).paused, 3, 'they wait, paused');
    assert.deepEqual(await taken(), [], 'a pause holds them');
    await inbound.shards[shard]!.resume();
    assert.deepEqual(await taken(), ['first', 'second', 'third']);
  });
});
