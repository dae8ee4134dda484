/**
 * The year of data `npm run bench:scale` seeds (bench/scale/seed.ts), at a tiny size, used through
 * the real API as agents would: the seeded agents sign in, their inbox lists their tickets, a
 * 200-message thread loads whole, search finds seeded phones, names and words, the period report
 * counts what SQL counts in the seeded rows, and a new customer's message opens the next ticket
 * number (the sequence was moved past the seeded numbers).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { PeriodReport, SearchResult, TicketPage, TicketThread } from '@whatsapp-helpdesk/contract/api';
import { seedYearOfData, type SeedSummary } from '../../bench/scale/seed';
import { apiClient, type ApiClient } from '../api/api-support';
import { createTestDatabase, query } from '../support/database';
import {
  CHANNEL_SECRETS_KEY,
  WEBHOOK_SECRET,
  startTestHelpdesk,
  textEvent,
  waitFor,
  type TestHelpdesk,
} from '../support/harness';

const SIZE = { customers: 200, tickets: 300, messages: 3_000, agents: 20 };
const NOW = new Date('2026-11-20T12:00:00.000Z');
const DAY_MS = 86_400_000;

describe('a seeded year of data, through the API', () => {
  let helpdesk: TestHelpdesk;
  let summary: SeedSummary;
  let again: SeedSummary;
  const signIn = async (email: string): Promise<ApiClient> => {
    const login = await apiClient(helpdesk.url, null).post<{ token: string }>('/api/auth/login', {
      email,
      password: summary.password,
    });
    assert.equal(login.status, 200, `${email} signs in: ${JSON.stringify(login.body)}`);
    return apiClient(helpdesk.url, login.body.token);
  };

  before(async () => {
    const database = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    const channel = {
      secretsKey: CHANNEL_SECRETS_KEY,
      sidecarUrl: 'http://127.0.0.1:9',
      apiKey: 'sidecar-test-api-key-0123456789',
      webhookSecret: WEBHOOK_SECRET,
    };
    try {
      summary = await seedYearOfData(pool, SIZE, { seed: 7, now: NOW, channel });
    } finally {
      await pool.end();
    }
    // The same seed into a second database gives the same rows (deterministic).
    const twin = await createTestDatabase();
    const twinPool = new pg.Pool({ connectionString: twin.url, max: 2 });
    try {
      again = await seedYearOfData(twinPool, SIZE, { seed: 7, now: NOW, channel });
      const digest = (url: string) =>
        query<{ digest: string }>(
          url,
          `SELECT md5(string_agg(id::text || coalesce(text, caption, '') || created_at::text, ',' ORDER BY id)) AS digest
             FROM messages`,
        );
      assert.deepEqual(await digest(twin.url), await digest(database.url), 'same seed, same messages');
    } finally {
      await twinPool.end();
      await twin.drop();
    }
    helpdesk = await startTestHelpdesk({ database });
  });

  after(async () => {
    await helpdesk?.stop();
  });

  it('seeds the size asked, consistently with the product writes', async () => {
    assert.equal(summary.tickets, SIZE.tickets);
    assert.equal(summary.messages, SIZE.messages);
    assert.equal(summary.customers, SIZE.customers);
    assert.equal(again.events, summary.events);
    const [counts] = await query<{
      messages: number;
      tickets: number;
      numbers: number;
      second_open: number;
      wrong_last_inbound: number;
      first_response_mismatch: number;
      over_capacity: number;
      first_agent_reply_mismatch: number;
      wrong_ticket_counts: number;
      wrong_hour_counts: number;
    }>(
      helpdesk.database.url,
      `SELECT (SELECT count(*)::int FROM messages) AS messages,
              (SELECT count(*)::int FROM tickets) AS tickets,
              (SELECT count(DISTINCT number)::int FROM tickets WHERE number BETWEEN 1 AND $1) AS numbers,
              (SELECT count(*)::int FROM (SELECT customer_id, channel FROM tickets WHERE status IN ('open', 'pending')
                                           GROUP BY 1, 2 HAVING count(*) > 1) d) AS second_open,
              (SELECT count(*)::int FROM tickets t
                WHERE t.last_inbound_at IS DISTINCT FROM (SELECT max(created_at) FROM messages m
                                                          WHERE m.ticket_id = t.id AND m.direction = 'inbound')) AS wrong_last_inbound,
              (SELECT count(*)::int FROM tickets t
                WHERE t.first_response_at IS DISTINCT FROM (SELECT min(created_at) FROM messages m
                                                            WHERE m.ticket_id = t.id AND m.author = 'agent')) AS first_response_mismatch,
              (SELECT count(*)::int FROM agents a
                WHERE (SELECT count(*) FROM tickets t WHERE t.assignee_id = a.id AND t.status IN ('open', 'pending')) > a.capacity) AS over_capacity,
              (SELECT count(*)::int FROM tickets t
                WHERE t.first_agent_reply_at IS DISTINCT FROM (SELECT min(created_at) FROM messages m
                                                               WHERE m.ticket_id = t.id AND m.author = 'agent'
                                                                 AND m.direction = 'outbound' AND m.created_at >= t.opened_at)) AS first_agent_reply_mismatch,
              (SELECT count(*)::int FROM (
                 SELECT ticket_id, count(*) FILTER (WHERE direction = 'inbound') AS inbound,
                        count(*) FILTER (WHERE direction = 'outbound') AS outbound, min(created_at), max(created_at)
                   FROM messages GROUP BY 1
                 EXCEPT SELECT ticket_id, inbound, outbound, first_at, last_at FROM ticket_message_counts) d) AS wrong_ticket_counts,
              (SELECT count(*)::int FROM (
                 SELECT date_trunc('hour', created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
                        count(*) FILTER (WHERE direction = 'inbound'), count(*) FILTER (WHERE direction = 'outbound')
                   FROM messages GROUP BY 1
                 EXCEPT SELECT hour, sum(inbound), sum(outbound) FROM message_hour_counts GROUP BY 1) d) AS wrong_hour_counts`,
      [SIZE.tickets],
    );
    assert.deepEqual(counts, {
      messages: SIZE.messages,
      tickets: SIZE.tickets,
      numbers: SIZE.tickets,
      second_open: 0,
      wrong_last_inbound: 0,
      first_response_mismatch: 0,
      over_capacity: 0,
      first_agent_reply_mismatch: 0,
      wrong_ticket_counts: 0,
      wrong_hour_counts: 0,
    });
    const statuses = await query<{ status: string }>(
      helpdesk.database.url,
      `SELECT DISTINCT status FROM tickets`,
    );
    assert.ok(statuses.length >= 3, `several statuses: ${JSON.stringify(statuses)}`);
  });

  it("lists an agent's inbox and loads their 200-message thread", async () => {
    const thread = summary.threadTickets.find((ticket) => ticket.assigneeId === summary.agents[1]!.id);
    assert.ok(thread, 'agent 2 has a long thread');
    const agent = await signIn(summary.agents[1]!.email);
    const page = await agent.get<TicketPage>('/api/tickets?view=mine&limit=100');
    assert.equal(page.status, 200, JSON.stringify(page.body));
    const expected = await query<{ number: number }>(
      helpdesk.database.url,
      `SELECT number FROM tickets WHERE assignee_id = $1 AND status IN ('open', 'pending') ORDER BY number`,
      [summary.agents[1]!.id],
    );
    assert.deepEqual(
      page.body.items.map((ticket) => ticket.number).sort((a, b) => a - b),
      expected.map((row) => row.number),
    );
    assert.ok(page.body.items.some((ticket) => ticket.number === thread.number));

    const answer = await agent.get<TicketThread>(`/api/tickets/${thread.id}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body).slice(0, 300));
    assert.equal(answer.body.messages.length, 200);
    assert.equal(answer.body.ticket.status, 'open');
    assert.ok(answer.body.messages.some((message) => message.author === 'agent'));
    assert.ok(answer.body.events.some((event) => event.type === 'first_response'));
  });

  it('finds seeded phones, names, ticket numbers and message words', async () => {
    const admin = await signIn(summary.agents[0]!.email);
    const [customer] = await query<{ phone: string; name: string }>(
      helpdesk.database.url,
      `SELECT phone, name FROM customers WHERE name ~ '[ء-ي]' ORDER BY phone LIMIT 1`,
    );
    assert.match(customer!.phone, /^\+201[0125]\d{8}$/);
    const search = async (q: string) => {
      const answer = await admin.get<SearchResult>(`/api/search?q=${encodeURIComponent(q)}`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return answer.body.items;
    };
    assert.ok(
      (await search(customer!.phone)).some((hit) => hit.ticket.customer.phone === customer!.phone),
      'by phone',
    );
    assert.ok(
      (await search(customer!.name)).some((hit) => hit.ticket.customer.name === customer!.name),
      'by Arabic name',
    );
    assert.ok(
      (await search(`#${summary.threadTicket.number}`)).some(
        (hit) => hit.ticket.number === summary.threadTicket.number,
      ),
    );
    for (const word of ['Augmentin', 'أوجمنتين']) {
      const hits = await search(word);
      assert.ok(
        hits.some((hit) => hit.matchedIn === 'message'),
        `a message with ${word}: ${JSON.stringify(hits.slice(0, 2))}`,
      );
    }
  });

  it("reports the year's counts that SQL counts in the seeded rows", async () => {
    const admin = await signIn(summary.agents[0]!.email);
    const from = new Date(NOW.getTime() - 366 * DAY_MS + 1000).toISOString();
    const to = new Date(NOW.getTime() + 1000).toISOString();
    const answer = await admin.get<PeriodReport>(
      `/api/reports?${new URLSearchParams({ from, to, interval: 'week' }).toString()}`,
    );
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const [expected] = await query<{
      opened: number;
      resolved: number;
      reopened: number;
      messages_in: number;
      messages_out: number;
      csat_requested: number;
      csat_responses: number;
    }>(
      helpdesk.database.url,
      `SELECT (SELECT count(*)::int FROM tickets WHERE opened_at >= $1 AND opened_at < $2) AS opened,
              (SELECT count(*)::int FROM ticket_events WHERE type = 'status_changed' AND created_at >= $1 AND created_at < $2
                  AND data->>'from' IN ('open', 'pending') AND data->>'to' IN ('resolved', 'closed')) AS resolved,
              (SELECT count(*)::int FROM ticket_events WHERE type = 'reopened' AND created_at >= $1 AND created_at < $2) AS reopened,
              (SELECT count(*)::int FROM messages WHERE direction = 'inbound' AND created_at >= $1 AND created_at < $2) AS messages_in,
              (SELECT count(*)::int FROM messages WHERE direction = 'outbound' AND created_at >= $1 AND created_at < $2) AS messages_out,
              (SELECT count(*)::int FROM tickets WHERE csat_requested_at >= $1 AND csat_requested_at < $2) AS csat_requested,
              (SELECT count(*)::int FROM tickets WHERE csat_requested_at >= $1 AND csat_requested_at < $2
                  AND csat_score IS NOT NULL) AS csat_responses`,
      [from, to],
    );
    const totals = answer.body.totals;
    assert.deepEqual(
      {
        opened: totals.opened,
        resolved: totals.resolved,
        reopened: totals.reopened,
        messages_in: totals.messagesIn,
        messages_out: totals.messagesOut,
        csat_requested: totals.csat.requested,
        csat_responses: totals.csat.responses,
      },
      expected,
    );
    assert.equal(totals.opened, SIZE.tickets, 'every seeded ticket opened within the year');
    assert.ok(totals.reopened > 0 && totals.csat.responses > 0, 'reopenings and ratings are seeded');
  });

  it("opens the next ticket number for a new customer's message", async () => {
    const response = await helpdesk.postWppconnect(
      textEvent('+201099999999', 'عايز أطلب بانادول', { channel: summary.channels[0] }),
    );
    assert.equal(response.status, 202);
    const [ticket] = await waitFor(
      async () => {
        const rows = await query<{ number: number }>(
          helpdesk.database.url,
          `SELECT t.number FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.phone = '+201099999999'`,
        );
        return rows.length === 1 ? rows : null;
      },
      60_000,
      'the new ticket',
    );
    assert.equal(ticket!.number, SIZE.tickets + 1);
  });
});
