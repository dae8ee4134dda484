/**
 * Issue 18, "Tests (not timings) assert the indexes are used": on a database seeded with a year
 * of data (bench/scale/seed.ts, at a size the planner already treats as large), the SQL the store
 * really runs for the inbox, the thread, the customer panel (its files too), search and the period
 * reports is explained by PostgreSQL (store/query-plans.ts records it as it runs), and no plan
 * reads the whole `messages` or `tickets` table (nor `attachments`, for the customer's files).
 *
 * The report reads its message counts from rollups (migration 20261129000000_report_rollups) and
 * only the messages of the period's partial hours: no plan reads `messages` whole, for 30 days nor
 * for a year. The breakdown joins the period's events and message counts to their tickets' agent,
 * team, category or channel, and hashing the tickets table is the right plan for that join; the
 * series reads neither table whole for 30 days.
 *
 * The team lead's statistics for 30 days read the tickets of the period by index ranges (their
 * medians by first_response_at and resolved_at, migration 20261130120000_stats_indexes).
 *
 * The send of a queued message (the outbound claim) finds it by primary key, however many other
 * messages are queued (migration 20261130010000_drop_delivery_status_index).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { normaliseSearchText } from '@whatsapp-helpdesk/contract/normalise';
import { scaleOf, seedYearOfData, type SeedSummary } from '../../bench/scale/seed';
import { createDatabase, type Database } from '../../src/store/database';
import { explainStatementsOf, planNodes, type StatementPlan } from '../../src/store/query-plans';
import { findCustomer, findCustomers, findCustomerTickets } from '../../src/store/customers';
import { listCustomerMedia } from '../../src/store/customer-media';
import { ReportConnections } from '../../src/store/report-connections';
import { readReportBreakdown, readReportDurations, readReportSeries } from '../../src/store/reports-period';
import { readTeamStats } from '../../src/store/reports-team';
import { claimOutboundMessages } from '../../src/store/messages-outbound';
import { findTicketsByMessageText, findTicketsByNumberOrCustomer } from '../../src/store/search';
import { countInbox } from '../../src/store/ticket-reads';
import {
  findTicketListItems,
  findTicketWithCustomer,
  listTicketMessages,
  type TicketCriteria,
} from '../../src/store/tickets-read';
import { createTestDatabase, type TestDatabase } from '../support/database';

const DAY_MS = 86_400_000;
/** 9,000 tickets and 120,000 messages: about 40 s of seeding on a busy machine. */
const SIZE = scaleOf(0.06);

/** The tables of the plans' sequential scans, e.g. ["messages"]. */
function sequentialScans(plans: readonly StatementPlan[], tables: readonly string[]): string[] {
  return plans
    .flatMap((statement) => planNodes(statement.plan))
    .filter((node) => node['Node Type'] === 'Seq Scan' && tables.includes(node['Relation Name'] ?? ''))
    .map((node) => node['Relation Name']!);
}

describe('query plans at a year of data', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  /** The report's statements on `pool`, where assertNoSequentialScan watches them. */
  let reportConnections: ReportConnections;
  let db: Database;
  let seeded: SeedSummary;
  let customer: { id: string; phone: string; name: string };
  let common: { label: string; category: string; channel: string };

  before(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    reportConnections = ReportConnections.sharing(pool);
    db = createDatabase(pool);
    seeded = await seedYearOfData(pool, SIZE, { seed: 18 });
    // As autovacuum leaves an append-only table: statistics, and pages marked all-visible.
    await pool.query('VACUUM ANALYZE');
    const [found] = (
      await pool.query<{ id: string; phone: string; name: string }>(
        `SELECT c.id, c.phone, c.name FROM customers c
          WHERE c.phone IS NOT NULL AND c.name IS NOT NULL
            AND EXISTS (SELECT 1 FROM tickets t WHERE t.customer_id = c.id)
          ORDER BY c.created_at DESC LIMIT 1`,
      )
    ).rows;
    customer = found!;
    const [usual] = (
      await pool.query<{ label: string; category: string; channel: string }>(
        `SELECT (SELECT label_id::text FROM ticket_labels GROUP BY 1 ORDER BY count(*) DESC LIMIT 1) AS label,
                (SELECT category FROM tickets WHERE category IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1) AS category,
                (SELECT channel FROM tickets GROUP BY 1 ORDER BY count(*) DESC LIMIT 1) AS channel`,
      )
    ).rows;
    common = usual!;
  });
  after(async () => {
    await db?.$disconnect();
    await pool?.end();
    await database?.drop();
  });

  /** Asserts that the statements `work` runs read neither table whole, naming the work. */
  async function assertNoSequentialScan(
    name: string,
    work: () => Promise<unknown>,
    tables: readonly string[] = ['messages', 'tickets'],
  ): Promise<void> {
    const plans = await explainStatementsOf(pool, work);
    assert.ok(plans.length > 0, `${name}: no statement recorded`);
    assert.deepEqual(
      sequentialScans(plans, tables),
      [],
      `${name}: sequential scan in\n${plans.map((plan) => plan.text).join('\n---\n')}`,
    );
  }

  const inbox = (criteria: Partial<TicketCriteria>) => () =>
    findTicketListItems(pool, {
      statuses: ['open', 'pending'],
      assigneeIs: [],
      sort: 'activity',
      viewerId: seeded.threadTickets[0]!.assigneeId,
      take: 26,
      ...criteria,
    });

  it('when an agent lists the inbox (mine, queue, all, filters, later pages), then no table is read whole', async () => {
    const agentId = seeded.threadTickets[0]!.assigneeId;
    const resolved = ['resolved'] as const;
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['mine', inbox({ assigneeIs: [agentId] })],
      ['queue', inbox({ assigneeIs: [null] })],
      ['all', inbox({})],
      ['all resolved', inbox({ statuses: [...resolved] })],
      ['all resolved newest', inbox({ statuses: [...resolved], sort: 'newest' })],
      [
        'all resolved, next page',
        inbox({
          statuses: [...resolved],
          after: {
            number: Math.round(seeded.tickets / 2),
            lastInboundAt: new Date(Date.now() - 180 * DAY_MS),
          },
        }),
      ],
      ['mine by label', inbox({ assigneeIs: [agentId], labelId: common.label })],
      ['all by category', inbox({ category: common.category })],
      ['all by channel', inbox({ channel: common.channel })],
      ['counts', () => countInbox(pool, agentId, ['open', 'pending'])],
    ];
    for (const [name, work] of cases) await assertNoSequentialScan(`inbox ${name}`, work);
  });

  it('when an agent opens a 200-message thread and its customer panel, then no table is read whole', async () => {
    const ticket = seeded.threadTickets[0]!;
    await assertNoSequentialScan('thread', () => findTicketWithCustomer(pool, ticket.id, ticket.assigneeId));
    await assertNoSequentialScan('thread messages', () => listTicketMessages(pool, ticket.id));
    await assertNoSequentialScan('customer panel', () => findCustomer(pool, customer.id));
    await assertNoSequentialScan('customer history', () => findCustomerTickets(pool, customer.id));
    await assertNoSequentialScan('customer media', () => listCustomerMedia(pool, customer.id, 30), [
      'messages',
      'tickets',
      'attachments',
    ]);
  });

  it('when an agent searches by ticket number, phone, name and message text, then no table is read whole', async () => {
    const byCustomer = { ticketNumber: null, phoneE164: null, phoneDigits: [], nameWords: [], limit: 20 };
    await assertNoSequentialScan('search by number', () =>
      findTicketsByNumberOrCustomer(pool, { ...byCustomer, ticketNumber: seeded.threadTicket.number }),
    );
    // Phones and names through the trigram indexes on customers: no customer is read whole either.
    const withCustomers = ['messages', 'tickets', 'customers'];
    for (const phoneDigits of [[customer.phone.slice(-8)], [customer.phone.slice(-7)]]) {
      await assertNoSequentialScan(
        `search by phone ${phoneDigits.join(' ')}`,
        () => findTicketsByNumberOrCustomer(pool, { ...byCustomer, phoneE164: customer.phone, phoneDigits }),
        withCustomers,
      );
    }
    for (const nameWords of [
      [customer.name.split(' ')[0]!.toLowerCase()],
      normaliseSearchText(customer.name).split(' '),
    ]) {
      await assertNoSequentialScan(
        `search by name ${nameWords.join(' ')}`,
        () => findTicketsByNumberOrCustomer(pool, { ...byCustomer, nameWords }),
        withCustomers,
      );
    }
    // A medicine most messages name, a rarer pair of words, part of a word and a word no message has.
    for (const words of [['panadol'], ['بانادول'], ['augmentin', 'concor'], ['augm'], ['zqvorimab']]) {
      await assertNoSequentialScan(
        `search by message text ${words.join(' ')}`,
        () => findTicketsByMessageText(pool, { words, limit: 20 }),
        withCustomers,
      );
      // Each candidate's folded text is read as stored (messages.search_text), never folded again at
      // search time: folding was 93 % of a message search (search_normalise's inlined body, whose
      // octet_length and translate would show in the plan's conditions).
      const plans = await explainStatementsOf(pool, () =>
        findTicketsByMessageText(pool, { words, limit: 20 }),
      );
      const folding = plans
        .map((statement) => JSON.stringify(statement.plan))
        .filter((plan) => /octet_length\(|translate\(/.test(plan));
      assert.deepEqual(folding, [], `search by message text ${words.join(' ')}: folds at search time`);
    }
    // The customer directory (GET /api/customers?q=): a name, and a word nobody has (the case that
    // tested every customer's name before customer_search). Not a phone fragment nor a tag: the
    // seeded numbers share their digits and many customers their tags, and for the 6,000 customers
    // here PostgreSQL rightly reads them whole (a year's 100,000 take the indexes: 2 ms measured).
    const directory = { phoneDigits: [] as string[], after: null, limit: 25 };
    for (const [what, text, phoneDigits] of [
      ['a name', customer.name.split(' ')[0]!, []],
      ['a word nobody has', 'zqvorimab', []],
    ] as const) {
      await assertNoSequentialScan(
        `customer directory by ${what}`,
        () =>
          findCustomers(pool, {
            ...directory,
            text,
            folded: phoneDigits.length > 0 ? null : normaliseSearchText(text),
            phoneDigits: [...phoneDigits],
          }),
        ['customers'],
      );
    }
  });

  it("when the team lead reads the last 30 days' report, then messages are never read whole", async () => {
    const to = new Date();
    const query = {
      from: new Date(to.getTime() - 30 * DAY_MS),
      to,
      interval: 'day' as const,
      by: 'team' as const,
      timeZone: 'Africa/Cairo',
    };
    const messages = ['messages'];
    await assertNoSequentialScan(
      'report breakdown',
      () => readReportBreakdown(reportConnections, query),
      messages,
    );
    await assertNoSequentialScan('report series', () => readReportSeries(reportConnections, query), [
      'messages',
      'tickets',
    ]);
    await assertNoSequentialScan(
      'report durations',
      () => readReportDurations(reportConnections, query),
      messages,
    );
  });

  it("when the team lead reads the last 30 days' statistics, then tickets are never read whole", async () => {
    const to = new Date();
    await assertNoSequentialScan('team statistics', () =>
      readTeamStats(pool, { from: new Date(to.getTime() - 30 * DAY_MS), to }),
    );
  });

  it("when the team lead reads a year's report in a half-hour time zone, then messages are never read whole", async () => {
    const to = new Date();
    const query = {
      from: new Date(to.getTime() - 365 * DAY_MS),
      to,
      interval: 'week' as const,
      by: 'agent' as const,
      timeZone: 'Asia/Kolkata',
    };
    const messages = ['messages'];
    await assertNoSequentialScan(
      'year report breakdown',
      () => readReportBreakdown(reportConnections, query),
      messages,
    );
    await assertNoSequentialScan(
      'year report series',
      () => readReportSeries(reportConnections, query),
      messages,
    );
    await assertNoSequentialScan(
      'year report durations',
      () => readReportDurations(reportConnections, query),
      messages,
    );
  });

  it('when a broadcast has just queued 3,000 messages, then each send claims its message by primary key', async () => {
    // Queued after the statistics were taken, as a broadcast's recipients are: the statistics
    // still say no message is queued.
    const ticketId = seeded.threadTickets[1]!.id;
    const queued = await pool.query<{ id: string }>(
      `INSERT INTO messages (id, ticket_id, channel, provider, direction, author, type, text,
                             delivery_status, created_at, updated_at)
       SELECT gen_random_uuid(), t.id, t.channel, t.provider, 'outbound', 'bot', 'text', 'offer ' || n,
              'queued', now(), now()
         FROM tickets t, generate_series(1, 3000) n WHERE t.id = $1
       RETURNING id`,
      [ticketId],
    );
    const plans = await explainStatementsOf(pool, () =>
      claimOutboundMessages(pool, [queued.rows[1500]!.id], 'query-plans-job'),
    );
    const messageScans = plans
      .flatMap((statement) => planNodes(statement.plan))
      .filter((node) => node['Relation Name'] === 'messages' && node['Node Type'].endsWith('Scan'));
    assert.ok(messageScans.length > 0, 'the claim reads messages');
    assert.deepEqual(
      messageScans.map((node) => node['Index Name']),
      messageScans.map(() => 'messages_pkey'),
      `the claim's plan:\n${plans.map((plan) => JSON.stringify(plan.plan, null, 1)).join('\n---\n')}`,
    );
  });
});
