/**
 * The INBOUND_SHARDS setting (jobs/inbound-queue.ts): a helpdesk set to 2 shards routes every
 * customer's events to the first two of the sixteen shard queues, stores them all, each customer's
 * in order, and still works a job left in a shard it no longer routes to (queued before an upgrade
 * from 16 shards). Through the real HTTP stack, PostgreSQL, Redis and the BullMQ workers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_INBOUND_SHARDS } from '../../src/jobs/inbound-queue';
import { jobIdFor } from '../../src/jobs/queues';
import type { InboundJob } from '../../src/whatsapp/inbound-event';
import { query } from '../support/database';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';

const CUSTOMERS = 12;
const phoneOf = (index: number) => `+2010015${String(index).padStart(5, '0')}`;

describe('inbound shards set to 2', () => {
  let helpdesk: TestHelpdesk;

  before(async () => {
    helpdesk = await startTestHelpdesk({ env: { INBOUND_SHARDS: '2' } });
  });
  after(async () => {
    await helpdesk?.stop();
  });

  /** Each shard queue's jobs handed out and kept as completed (taken-along ones are removed). */
  const completedByShard = async () =>
    Promise.all(helpdesk.context.queues.inbound.shards.map((shard) => shard.getCompletedCount()));

  it('when customers write, then their events go only to shards 0 and 1, and every message is stored in order', async () => {
    const before = await completedByShard();
    for (let round = 0; round < 3; round += 1) {
      const posts = Array.from({ length: CUSTOMERS }, (_, index) =>
        helpdesk.postWppconnect(textEvent(phoneOf(index), `message ${round + 1}`)),
      );
      for (const response of await Promise.all(posts)) assert.equal(response.status, 202);
    }
    const stored = await waitFor(
      async () => {
        const rows = await query<{ phone: string; texts: string[] }>(
          helpdesk.database.url,
          `SELECT c.phone, array_agg(m.text ORDER BY m.created_at, m.id) AS texts
             FROM messages m JOIN tickets t ON t.id = m.ticket_id JOIN customers c ON c.id = t.customer_id
            WHERE m.direction = 'inbound' AND c.phone LIKE '+2010015%' GROUP BY c.phone`,
        );
        return rows.length === CUSTOMERS && rows.every((row) => row.texts.length === 3) ? rows : null;
      },
      20_000,
      'every message stored',
    );
    for (const row of stored) assert.deepEqual(row.texts, ['message 1', 'message 2', 'message 3'], row.phone);
    const after = await completedByShard();
    const handedOut = after.map((count, shard) => count - before[shard]!);
    assert.ok(handedOut[0]! + handedOut[1]! > 0, `jobs in shards 0 and 1: ${handedOut.join(', ')}`);
    assert.deepEqual(
      handedOut.slice(2),
      new Array<number>(MAX_INBOUND_SHARDS - 2).fill(0),
      'no job in shards 2 … 15',
    );
  });

  it('when a job waits in a shard no longer routed to, then it is still worked', async () => {
    const event = textEvent('+201001599999', 'queued before the upgrade');
    const job: InboundJob = { kind: 'message', eventId: event.eventId, message: event.message };
    await helpdesk.context.queues.inbound.shards[9]!.add('message', job, {
      jobId: jobIdFor('in', `wppconnect|${event.eventId}`),
    });
    await waitFor(
      async () =>
        (
          await query(
            helpdesk.database.url,
            `SELECT 1 FROM messages WHERE text = 'queued before the upgrade'`,
          )
        ).length === 1,
      10_000,
      'the message of shard 9 stored',
    );
  });
});
