/**
 * Every reply the helpdesk sends is first claimed by its outbound job (store/messages-outbound.ts).
 * PostgreSQL keeps the claim's plan per connection and reuses it, instead of planning it again at
 * every send: the claim for an array of ids was planned at every call for a job of two, and that
 * planning took longer than the claim itself (BENCHMARKS.md, 2026-11-30 morning); up to three ids
 * are parameters of their own, and the many of a packed job of bot replies (jobs/queues.ts) an
 * array, whose plan is then reused as well. PostgreSQL's own counters
 * (`pg_prepared_statements`: generic and custom plans of each named statement) say which it did.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { createPool } from '../../src/store/database';
import { claimOutboundMessages } from '../../src/store/messages-outbound';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('the outbound claim', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  const ticketId = randomUUID();
  const queued: string[] = [];

  /** Queues `count` outbound texts `<prefix> 1` … on the ticket, oldest first. @returns their ids. */
  async function queueReplies(author: 'bot' | 'agent', prefix: string, count: number): Promise<string[]> {
    const inserted = await pool.query<{ id: string }>(
      `INSERT INTO messages (id, ticket_id, channel, provider, direction, author, type, text,
                             delivery_status, created_at, updated_at)
       SELECT gen_random_uuid(), $1, 'main', 'wppconnect', 'outbound', $2::"Author", 'text', $3 || ' ' || n,
              'queued', now() + n * interval '1 ms', now()
         FROM generate_series(1, $4::int) n
       RETURNING id`,
      [ticketId, author, prefix, count],
    );
    return inserted.rows.map((row) => row.id);
  }

  /** How often this connection ran the named statement with a plan for its values, and with the reused one. */
  async function plansOf(name: string): Promise<{ generic: number; custom: number }> {
    const [plans] = (
      await pool.query<{ generic: number; custom: number }>(
        `SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements
          WHERE name = $1`,
        [name],
      )
    ).rows;
    assert.ok(plans, `${name} is a named statement of this connection`);
    return plans;
  }

  before(async () => {
    database = await createTestDatabase();
    // One connection: every claim below runs on it, and its plan cache is the one read.
    pool = createPool(database.url, 1);
    const customerId = randomUUID();
    await pool.query(
      `INSERT INTO customers (id, phone, name, created_at, updated_at) VALUES ($1, '+201000000001', 'Mona', now(), now())`,
      [customerId],
    );
    await pool.query(
      `INSERT INTO tickets (id, customer_id, channel, provider, updated_at) VALUES ($1, $2, 'main', 'wppconnect', now())`,
      [ticketId, customerId],
    );
    // A helpdesk that has been sending a while: its statistics know many messages, few queued.
    await pool.query(
      `INSERT INTO messages (id, ticket_id, channel, provider, direction, author, type, text,
                             delivery_status, created_at, updated_at)
       SELECT gen_random_uuid(), $1, 'main', 'wppconnect', 'outbound', 'bot', 'text', 'sent ' || n,
              'sent', now() - n * interval '1 s', now()
         FROM generate_series(1, 20000) n`,
      [ticketId],
    );
    await pool.query('ANALYZE messages');
    queued.push(...(await queueReplies('bot', 'reply', 24)));
  });
  after(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('when twelve jobs claim their replies, then each reply is claimed once, each job in one statement, planned once and reused', async () => {
    for (let job = 0; job < 12; job += 1) {
      const ids = queued.slice(job * 2, job * 2 + 2);
      const claimed = await claimOutboundMessages(pool, ids, `job-${job}`);
      assert.deepEqual([...claimed.keys()], ids, `job ${job} claims its two replies`);
      assert.deepEqual(
        [...(await claimOutboundMessages(pool, ids, `other-${job}`)).keys()],
        [],
        'another job cannot claim them',
      );
    }
    const claim = await plansOf('outbound-claim');
    // One statement per claim (24: each job's own and another job's try), not one per reply (48).
    // PostgreSQL tries five plans for the values at hand, then keeps one plan for any values when
    // it is no dearer (PostgreSQL documentation, PREPARE, "Notes").
    assert.equal(claim.custom + claim.generic, 24, 'statements run');
    assert.ok(
      claim.custom <= 5,
      `plans made for the values at hand ${claim.custom}, runs of the reused plan ${claim.generic}`,
    );
  });

  it("when a job of five replies claims them, then all five are claimed, in the job's order", async () => {
    // The job's order, not the rows' order: the last reply first.
    const ids = (await queueReplies('agent', 'part', 5)).reverse();
    const claimed = await claimOutboundMessages(pool, ids, 'job-of-five');
    assert.deepEqual([...claimed.keys()], ids);
    assert.deepEqual(
      [...claimed.values()].map((message) => message.text),
      ['part 5', 'part 4', 'part 3', 'part 2', 'part 1'],
    );
  });

  it("when twelve jobs of packed bot replies claim theirs, then each takes one wide statement, planned once and reused, in the job's order", async () => {
    const replies = await queueReplies('bot', 'packed', 12 * 20);
    for (let job = 0; job < 12; job += 1) {
      const ids = replies.slice(job * 20, job * 20 + 20);
      assert.deepEqual([...(await claimOutboundMessages(pool, ids, `packed-${job}`)).keys()], ids);
    }
    const wide = await plansOf('outbound-claim-many');
    // The job of five above ran it once too.
    assert.equal(wide.custom + wide.generic, 13, 'one statement per job of twenty');
    assert.ok(wide.custom <= 5, `plans made for the values at hand ${wide.custom}, reused ${wide.generic}`);
  });
});
