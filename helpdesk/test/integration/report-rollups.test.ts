/**
 * The period report's rollups (migration 20261129000000_report_rollups): messages stored through
 * the real paths (signed webhooks → workers, agents' replies over the API), then moved in time,
 * moved to another ticket (as a customers' merge does) and deleted, are always counted in
 * message_hour_counts and ticket_message_counts, and the report's counts for a period whose edges
 * cut through hours, in a time zone whose days start on the half hour (Asia/Kolkata, UTC+05:30),
 * equal counts this test makes from the messages table with its own arithmetic.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { query } from '../support/database';
import {
  startTestHelpdesk,
  textEvent,
  waitForStoredAndAssigned,
  type TestHelpdesk,
} from '../support/harness';
import { compactReportRollups } from '../../src/use-cases/reports/compact-report-rollups';
import { createAgent, type TestAgent } from '../api/api-support';

const TIME_ZONE = 'Asia/Kolkata';
const HOUR_MS = 3_600_000;
const PHONES = ['+201005551001', '+201005551002', '+201005551003'];
const WORDS = ['hello', 'I need my refill', 'order 1234', 'thanks', 'one more thing'];

interface StoredMessage {
  id: string;
  ticket_id: string;
  direction: 'inbound' | 'outbound';
  author: string;
  created_at: Date;
}

interface SeriesBucket {
  bucketStart: string;
  opened: number;
  messagesIn: number;
  messagesOut: number;
}

/** The local date (YYYY-MM-DD) of an instant in TIME_ZONE, as the test's own bucket. */
const localDay = (at: Date) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);

describe("the period report's rollups", () => {
  let helpdesk: TestHelpdesk;
  let lead: TestAgent;
  let mona: TestAgent;
  const url = () => helpdesk.database.url;
  const messages = () =>
    query<StoredMessage>(
      url(),
      `SELECT id, ticket_id, direction, author, created_at FROM messages ORDER BY created_at, id`,
    );

  /** Asserts the rollups hold exactly what the messages table says. */
  async function assertRollupsMatchMessages(when: string): Promise<void> {
    const [hours] = await query<{ kept: unknown; counted: unknown }>(
      url(),
      `SELECT (SELECT json_agg(k ORDER BY k.hour) FROM (
                 SELECT hour, sum(inbound)::int AS inbound, sum(outbound)::int AS outbound
                   FROM message_hour_counts GROUP BY hour HAVING sum(inbound) <> 0 OR sum(outbound) <> 0) k) AS kept,
              (SELECT json_agg(c ORDER BY c.hour) FROM (
                 SELECT date_trunc('hour', created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour,
                        count(*) FILTER (WHERE direction = 'inbound')::int AS inbound,
                        count(*) FILTER (WHERE direction = 'outbound')::int AS outbound
                   FROM messages GROUP BY 1) c) AS counted`,
    );
    assert.deepEqual(hours!.kept, hours!.counted, `${when}: messages per hour`);
    const [tickets] = await query<{ kept: unknown; counted: unknown }>(
      url(),
      `SELECT (SELECT json_agg(k ORDER BY k.ticket_id) FROM ticket_message_counts k) AS kept,
              (SELECT json_agg(c ORDER BY c.ticket_id) FROM (
                 SELECT ticket_id, count(*) FILTER (WHERE direction = 'inbound')::int AS inbound,
                        count(*) FILTER (WHERE direction = 'outbound')::int AS outbound,
                        min(created_at) AS first_at, max(created_at) AS last_at
                   FROM messages GROUP BY 1) c) AS counted`,
    );
    assert.deepEqual(tickets!.kept, tickets!.counted, `${when}: messages per ticket`);
    const replies = await query<{ id: string; kept: Date | null; counted: Date | null }>(
      url(),
      `SELECT t.id, t.first_agent_reply_at AS kept,
              (SELECT min(m.created_at) FROM messages m
                WHERE m.ticket_id = t.id AND m.direction = 'outbound' AND m.author = 'agent'
                  AND m.created_at >= t.opened_at) AS counted
         FROM tickets t ORDER BY t.id`,
    );
    for (const ticket of replies) {
      assert.deepEqual(ticket.kept, ticket.counted, `${when}: first agent reply of ${ticket.id}`);
    }
  }

  /** Asserts the report's message counts for [from, to) equal the test's own from `messages`. */
  /** The report's series and totals for a period, by day in TIME_ZONE. */
  async function reportOf(from: Date, to: Date): Promise<unknown> {
    const answer = await lead.api.get<{ series: unknown; totals: unknown }>(
      `/api/reports?from=${from.toISOString()}&to=${to.toISOString()}&interval=day&by=team`,
    );
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return { series: answer.body.series, totals: answer.body.totals };
  }

  async function assertReportCounts(from: Date, to: Date, when: string): Promise<void> {
    const answer = await lead.api.get<{
      series: SeriesBucket[];
      totals: { messagesIn: number; messagesOut: number };
    }>(`/api/reports?from=${from.toISOString()}&to=${to.toISOString()}&interval=day&by=team`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const inPeriod = (await messages()).filter((m) => m.created_at >= from && m.created_at < to);
    const expected = new Map<string, { messagesIn: number; messagesOut: number }>();
    for (const message of inPeriod) {
      const day = localDay(message.created_at);
      const bucket = expected.get(day) ?? { messagesIn: 0, messagesOut: 0 };
      if (message.direction === 'inbound') bucket.messagesIn++;
      else bucket.messagesOut++;
      expected.set(day, bucket);
    }
    const actual = new Map(
      answer.body.series
        .filter((bucket) => bucket.messagesIn + bucket.messagesOut > 0)
        .map((bucket) => [
          localDay(new Date(bucket.bucketStart)),
          { messagesIn: bucket.messagesIn, messagesOut: bucket.messagesOut },
        ]),
    );
    assert.deepEqual(actual, expected, `${when}: messages per local day in ${TIME_ZONE}`);
    assert.deepEqual(
      { messagesIn: answer.body.totals.messagesIn, messagesOut: answer.body.totals.messagesOut },
      {
        messagesIn: inPeriod.filter((m) => m.direction === 'inbound').length,
        messagesOut: inPeriod.filter((m) => m.direction === 'outbound').length,
      },
      `${when}: totals`,
    );
  }

  before(async () => {
    helpdesk = await startTestHelpdesk({
      env: { BUSINESS_HOURS: '', BUSINESS_TIMEZONE: TIME_ZONE, BOT_LANGUAGE: 'en' },
    });
    lead = await createAgent(helpdesk, { name: 'Lead', role: 'admin', availability: 'offline' });
    mona = await createAgent(helpdesk, { name: 'Mona', capacity: 10 });
  });
  after(() => helpdesk.stop());

  it('when customers write through the webhook and an agent replies, then both land in the rollups', async () => {
    let sent = 0;
    for (const text of WORDS) {
      for (const phone of PHONES) {
        const answer = await helpdesk.postWppconnect(textEvent(phone, `${text} (${phone})`));
        assert.equal(answer.status, 202);
        sent++;
      }
    }
    await waitForStoredAndAssigned(helpdesk, sent, 60_000);
    const tickets = await query<{ id: string }>(url(), `SELECT id FROM tickets ORDER BY opened_at`);
    assert.equal(tickets.length, PHONES.length);
    for (const ticket of tickets) {
      for (const text of ['Your refill is ready', 'Anything else?']) {
        const reply = await mona.api.post(`/api/tickets/${ticket.id}/messages`, { text });
        assert.equal(reply.status, 201, JSON.stringify(reply.body));
      }
    }
    const stored = await messages();
    assert.ok(stored.some((m) => m.author === 'agent'));
    assert.ok(stored.some((m) => m.author === 'bot'));
    await assertRollupsMatchMessages('after the webhooks and the replies');
  });

  it('when messages move in time, to another ticket or are deleted, then the rollups and the report follow', async () => {
    // Spread the conversation over the last 30 hours, so that it crosses a local midnight of
    // Asia/Kolkata (18:30 UTC) and the period's edges fall inside hours with messages.
    const stored = await messages();
    const now = Date.now();
    for (const [index, message] of stored.entries()) {
      const at = new Date(now - 30 * HOUR_MS + index * ((29 * HOUR_MS) / stored.length) + 7_777);
      await query(url(), `UPDATE messages SET created_at = $2 WHERE id = $1`, [message.id, at]);
    }
    await query(url(), `UPDATE tickets SET opened_at = opened_at - interval '31 hours'`);
    await assertRollupsMatchMessages('after moving messages in time');

    const first = (await messages())[0]!.created_at.getTime();
    const last = (await messages()).at(-1)!.created_at.getTime();
    // Edges 17 and 43 minutes into their hours, well inside the conversation.
    const from = new Date(Math.floor((first + 2 * HOUR_MS) / HOUR_MS) * HOUR_MS + 17 * 60_000);
    const to = new Date(Math.floor((last - 2 * HOUR_MS) / HOUR_MS) * HOUR_MS + 43 * 60_000);
    await assertReportCounts(from, to, 'after moving messages in time');

    // As a customers' merge moves a ticket's messages into the kept ticket (store/customers-by-identity.ts).
    const [moved, kept] = await query<{ id: string }>(url(), `SELECT id FROM tickets ORDER BY opened_at`);
    await query(url(), `UPDATE messages SET ticket_id = $2 WHERE ticket_id = $1`, [moved!.id, kept!.id]);
    await assertRollupsMatchMessages('after moving a ticket’s messages into another');
    await assertReportCounts(from, to, 'after moving a ticket’s messages into another');

    const victims = (await messages()).filter((_, index) => index % 4 === 1).map((m) => m.id);
    await query(url(), `DELETE FROM messages WHERE id = ANY($1::uuid[])`, [victims]);
    await assertRollupsMatchMessages('after deleting messages');
    await assertReportCounts(from, to, 'after deleting messages');
  });

  it('when the hourly counts are compacted, then each past hour is one row and the report says the same', async () => {
    // Every UPDATE above came on its own connection (its own backend): several rows per hour.
    const rowsPerHour = async () =>
      (
        await query<{ most: number; writers: number }>(
          url(),
          `SELECT COALESCE(max(n), 0)::int AS most, count(*) FILTER (WHERE n > 0)::int AS writers FROM (
             SELECT hour, count(*) FILTER (WHERE writer <> 0) AS n FROM message_hour_counts
              WHERE hour < date_bin('1 hour', now(), timestamptz '2000-01-01') - interval '1 hour'
              GROUP BY hour) h`,
        )
      )[0]!;
    assert.ok((await rowsPerHour()).most > 1, 'several writers in some past hour before compacting');
    const first = (await messages())[0]!.created_at.getTime();
    const last = (await messages()).at(-1)!.created_at.getTime();
    const from = new Date(first - HOUR_MS);
    const to = new Date(last + HOUR_MS);
    const before = await reportOf(from, to);

    const folded = await compactReportRollups(helpdesk.context);
    assert.ok(folded > 0);
    assert.deepEqual(await rowsPerHour(), { most: 0, writers: 0 }, 'past hours hold only the writer-0 row');
    await assertRollupsMatchMessages('after compacting');
    await assertReportCounts(from, to, 'after compacting');
    assert.deepEqual(await reportOf(from, to), before, 'the same report before and after');
    assert.equal(await compactReportRollups(helpdesk.context), 0, 'nothing left to fold');
  });
});
