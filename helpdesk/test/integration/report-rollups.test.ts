/**
 * The period report's rollups (migration 20261129000000_report_rollups): messages stored through
 * the real paths (signed webhooks → workers, agents' replies over the API), then moved in time,
 * moved to another ticket (as a customers' merge does) and deleted, are always counted in
 * message_hour_counts and ticket_message_counts, and the report's counts for a period whose edges
 * cut through hours, in a time zone whose days start on the half hour (Asia/Kolkata, UTC+05:30),
 * equal counts this test makes from the messages table with its own arithmetic.
 * The resolutions and reopenings (report_events, migration 20261130000000_report_event_keys) and
 * the message counts carry their ticket's keys: after resolutions and a reopening through the real
 * paths, reassignments, a category and channel change, and events moved, edited and deleted, they
 * equal what ticket_events and tickets say, and the report's breakdown equals the test's own counts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { query, queryOnOwnConnection } from '../support/database';
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
      `SELECT (SELECT json_agg(k ORDER BY k.ticket_id) FROM (
                 SELECT ticket_id, inbound, outbound, first_at, last_at FROM ticket_message_counts) k) AS kept,
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
      // Each on a backend of its own: the hourly counts get a row per writer (compacted below).
      await queryOnOwnConnection(url(), `UPDATE messages SET created_at = $2 WHERE id = $1`, [
        message.id,
        at,
      ]);
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
    // The UPDATEs of the test above each came on a backend of its own: several rows per hour.
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

  /** Asserts report_events and the keys of ticket_message_counts hold what events and tickets say. */
  async function assertKeysMatchTickets(when: string): Promise<void> {
    const [events] = await query<{ kept: unknown; counted: unknown }>(
      url(),
      `SELECT (SELECT json_agg(k ORDER BY k.event_id) FROM report_events k) AS kept,
              (SELECT json_agg(c ORDER BY c.event_id) FROM (
                 SELECT e.id AS event_id, e.ticket_id, e.type = 'reopened' AS reopened, e.created_at AS at,
                        t.opened_at, t.assignee_id, t.team_id, t.provider, t.channel, t.category,
                        extract(epoch FROM e.created_at - t.opened_at)::float8 AS seconds
                   FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
                  WHERE e.type = 'reopened'
                     OR (e.type = 'status_changed' AND e.data->>'from' IN ('open', 'pending')
                         AND e.data->>'to' IN ('resolved', 'closed'))) c) AS counted`,
    );
    assert.deepEqual(events!.kept, events!.counted, `${when}: resolutions and reopenings`);
    const [counts] = await query<{ kept: unknown; counted: unknown }>(
      url(),
      `SELECT (SELECT json_agg(k ORDER BY k.ticket_id) FROM (
                 SELECT ticket_id, assignee_id, team_id, provider, channel, category FROM ticket_message_counts) k) AS kept,
              (SELECT json_agg(c ORDER BY c.ticket_id) FROM (
                 SELECT t.id AS ticket_id, t.assignee_id, t.team_id, t.provider, t.channel, t.category
                   FROM tickets t WHERE EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id)) c) AS counted`,
    );
    assert.deepEqual(counts!.kept, counts!.counted, `${when}: the keys of the messages per ticket`);
  }

  /** Asserts the breakdown by `by` for [from, to) equals the test's own counts from the raw rows. */
  async function assertBreakdown(by: 'agent' | 'category' | 'channel', from: Date, to: Date, when: string) {
    const answer = await lead.api.get<{
      breakdown: Array<{
        key: string | null;
        resolved: number;
        reopened: number;
        messagesIn: number;
        messagesOut: number;
        resolution: { count: number; medianSeconds: number | null };
      }>;
    }>(`/api/reports?from=${from.toISOString()}&to=${to.toISOString()}&by=${by}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const column = { agent: 'assignee_id', category: 'category', channel: 'channel' }[by];
    const tickets = new Map(
      (
        await query<{ id: string; key: string | null; opened_at: Date }>(
          url(),
          `SELECT id, ${column}::text AS key, opened_at FROM tickets`,
        )
      ).map((ticket) => [ticket.id, ticket]),
    );
    const events = await query<{
      ticket_id: string;
      type: string;
      data: { from?: string; to?: string } | null;
      created_at: Date;
    }>(url(), `SELECT ticket_id, type, data, created_at FROM ticket_events`);
    const expected = new Map<
      string | null,
      { resolved: number; reopened: number; messagesIn: number; messagesOut: number; durations: number[] }
    >();
    const groupOf = (ticketId: string) => {
      const key = tickets.get(ticketId)!.key;
      const group = expected.get(key) ?? {
        resolved: 0,
        reopened: 0,
        messagesIn: 0,
        messagesOut: 0,
        durations: [],
      };
      expected.set(key, group);
      return group;
    };
    const inPeriod = (at: Date) => at >= from && at < to;
    for (const event of events.filter((e) => inPeriod(e.created_at))) {
      if (event.type === 'reopened') groupOf(event.ticket_id).reopened++;
      const resolution =
        event.type === 'status_changed' &&
        ['open', 'pending'].includes(event.data?.from ?? '') &&
        ['resolved', 'closed'].includes(event.data?.to ?? '');
      if (resolution) {
        const group = groupOf(event.ticket_id);
        group.resolved++;
        group.durations.push(
          (event.created_at.getTime() - tickets.get(event.ticket_id)!.opened_at.getTime()) / 1000,
        );
      }
    }
    for (const message of (await messages()).filter((m) => inPeriod(m.created_at))) {
      if (message.direction === 'inbound') groupOf(message.ticket_id).messagesIn++;
      else groupOf(message.ticket_id).messagesOut++;
    }
    const median = (values: number[]) => {
      if (values.length === 0) return null;
      const sorted = [...values].sort((a, b) => a - b);
      const middle = (sorted.length - 1) / 2;
      return Math.round((sorted[Math.floor(middle)]! + sorted[Math.ceil(middle)]!) / 2);
    };
    const actual = new Map(
      answer.body.breakdown
        .filter((row) => row.resolved + row.reopened + row.messagesIn + row.messagesOut > 0)
        .map((row) => [
          row.key,
          {
            resolved: row.resolved,
            reopened: row.reopened,
            messagesIn: row.messagesIn,
            messagesOut: row.messagesOut,
            resolutions: row.resolution.count,
            median: row.resolution.medianSeconds,
          },
        ]),
    );
    const wanted = new Map(
      [...expected.entries()].map(([key, group]) => [
        key,
        {
          resolved: group.resolved,
          reopened: group.reopened,
          messagesIn: group.messagesIn,
          messagesOut: group.messagesOut,
          resolutions: group.durations.length,
          median: median(group.durations),
        },
      ]),
    );
    assert.deepEqual(actual, wanted, `${when}: breakdown by ${by}`);
  }

  it('when tickets are resolved, reopened, reassigned and their events change, then the keyed rollups and the breakdown follow', async () => {
    const tickets = await query<{ id: string }>(url(), `SELECT id FROM tickets ORDER BY opened_at, id`);
    for (const ticket of tickets) {
      const resolved = await lead.api.post(`/api/tickets/${ticket.id}/status`, { status: 'resolved' });
      assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
    }
    await assertKeysMatchTickets('after the resolutions');
    // The customer writes again: the inbound path reopens the ticket and assigns it.
    const [inbound] = await query<{ count: number }>(
      url(),
      `SELECT count(*)::int AS count FROM messages WHERE direction = 'inbound'`,
    );
    const answer = await helpdesk.postWppconnect(textEvent(PHONES[2]!, 'the refill again please'));
    assert.equal(answer.status, 202);
    await waitForStoredAndAssigned(helpdesk, inbound!.count + 1, 60_000);
    const [reopenings] = await query<{ count: number }>(
      url(),
      `SELECT count(*)::int AS count FROM ticket_events WHERE type = 'reopened'`,
    );
    assert.ok(reopenings!.count >= 1, 'a reopening');
    await assertKeysMatchTickets('after the reopening');

    // Reassigned, recategorised, moved to another channel, opened earlier.
    const [first, second] = tickets;
    await query(url(), `UPDATE tickets SET assignee_id = $2 WHERE id = $1`, [first!.id, lead.id]);
    await query(url(), `UPDATE tickets SET category = 'delivery', channel = 'branch-2' WHERE id = $1`, [
      second!.id,
    ]);
    await query(url(), `UPDATE tickets SET opened_at = opened_at - interval '3 hours' WHERE id = $1`, [
      second!.id,
    ]);
    await assertKeysMatchTickets('after reassignments and changed keys');

    // Events stored by hand, moved in time, to another ticket, edited and deleted.
    await query(
      url(),
      `INSERT INTO ticket_events (ticket_id, type, data, created_at)
       VALUES ($1, 'status_changed', '{"from":"pending","to":"closed"}', now() - interval '2 hours'),
              ($1, 'status_changed', '{"from":"resolved","to":"closed"}', now() - interval '1 hour'),
              ($1, 'reopened', NULL, now() - interval '90 minutes'),
              ($1, 'assigned', '{"by":"auto"}', now() - interval '80 minutes')`,
      [first!.id],
    );
    await assertKeysMatchTickets('after events stored by hand');
    await query(
      url(),
      `UPDATE ticket_events SET created_at = created_at - interval '5 hours' WHERE type = 'reopened'`,
    );
    await query(
      url(),
      `UPDATE ticket_events SET ticket_id = $2 WHERE ticket_id = $1 AND data->>'from' = 'pending'`,
      [first!.id, second!.id],
    );
    await query(
      url(),
      `UPDATE ticket_events SET data = '{"from":"open","to":"resolved"}' WHERE data->>'from' = 'resolved'`,
    );
    await assertKeysMatchTickets('after events moved and edited');
    const from = new Date(Date.now() - 40 * HOUR_MS);
    const to = new Date(Date.now() + 60_000);
    for (const by of ['agent', 'category', 'channel'] as const) {
      await assertBreakdown(by, from, to, 'after events moved and edited');
    }
    await query(
      url(),
      `DELETE FROM ticket_events WHERE id IN (SELECT id FROM ticket_events WHERE type = 'status_changed' ORDER BY id LIMIT 1)`,
    );
    await assertKeysMatchTickets('after an event deleted');
    for (const by of ['agent', 'category', 'channel'] as const) {
      await assertBreakdown(by, from, to, 'after an event deleted');
    }
  });
});
