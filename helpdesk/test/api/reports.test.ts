/**
 * `GET /api/reports` and `GET /api/reports.csv`: a history seeded straight into the database
 * (tickets opened, resolved and reopened at chosen times, agent and bot replies, CSAT answers,
 * SLA breaches), and every figure checked against values this test computes from the same seed
 * list with its own arithmetic (never by calling the report code).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { periodReportSchema } from '@whatsapp-helpdesk/contract/api';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import { assertMatches, assertValidationError, createAgent, seedTicket, type TestAgent } from './api-support';

interface Duration {
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}
interface Row {
  key: string | null;
  label: string | null;
  opened: number;
  resolved: number;
  reopened: number;
  firstResponse: Duration;
  resolution: Duration;
  messagesIn: number;
  messagesOut: number;
  csat: { average: number | null; responses: number; requested: number; responseRate: number | null };
  sla: { met: number; breached: number; attainment: number | null };
}
interface Report {
  period: { from: string; to: string; timeZone: string };
  interval: string;
  businessHours: boolean;
  series: Array<{
    bucketStart: string;
    opened: number;
    resolved: number;
    reopened: number;
    messagesIn: number;
    messagesOut: number;
  }>;
  breakdown: Row[];
  totals: Row;
}

const FROM = '2026-11-02T00:00:00.000Z'; // a Monday
const TO = '2026-11-16T00:00:00.000Z'; // two ISO weeks later
const ARABIC_NAME = 'منى الصيدلانية';

/** A seeded ticket: every time is an ISO instant (UTC). */
interface SeedTicket {
  agent: 'mona' | 'karim' | null;
  category: string | null;
  openedAt: string;
  /** Outbound messages: author and time. */
  replies: Array<{ author: 'agent' | 'bot'; at: string }>;
  /** Extra inbound messages besides the one at opening. */
  inbound: string[];
  /** status_changed events: from → to at a time. */
  statusChanges: Array<{ from: string; to: string; at: string }>;
  reopenedAt: string[];
  csat: { requestedAt: string; score: number | null } | null;
  sla: {
    firstResponseDueAt: string | null;
    firstResponseBreachedAt: string | null;
    resolutionDueAt: string | null;
    resolutionBreachedAt: string | null;
  } | null;
  /** The ticket's current resolved_at (null: active now). */
  resolvedAt: string | null;
}

const HISTORY: SeedTicket[] = [
  {
    agent: 'mona',
    category: 'prescription_refill',
    openedAt: '2026-11-02T10:00:00Z',
    replies: [
      { author: 'bot', at: '2026-11-02T10:00:30Z' },
      { author: 'agent', at: '2026-11-02T10:02:00Z' },
      { author: 'agent', at: '2026-11-02T10:20:00Z' },
    ],
    inbound: ['2026-11-02T10:05:00Z'],
    statusChanges: [
      { from: 'open', to: 'resolved', at: '2026-11-02T12:00:00Z' },
      // resolved → closed is not a resolution.
      { from: 'resolved', to: 'closed', at: '2026-11-03T12:00:00Z' },
    ],
    reopenedAt: [],
    csat: { requestedAt: '2026-11-02T12:00:05Z', score: 5 },
    sla: {
      firstResponseDueAt: '2026-11-02T10:05:00Z',
      firstResponseBreachedAt: null,
      resolutionDueAt: '2026-11-02T14:00:00Z',
      resolutionBreachedAt: null,
    },
    resolvedAt: '2026-11-02T12:00:00Z',
  },
  {
    agent: 'mona',
    category: 'prescription_refill',
    openedAt: '2026-11-03T09:00:00Z',
    replies: [{ author: 'agent', at: '2026-11-03T09:10:00Z' }],
    inbound: ['2026-11-05T08:00:00Z'],
    statusChanges: [
      { from: 'pending', to: 'resolved', at: '2026-11-04T09:00:00Z' },
      { from: 'open', to: 'resolved', at: '2026-11-05T09:00:00Z' },
    ],
    reopenedAt: ['2026-11-05T08:00:00Z'],
    csat: { requestedAt: '2026-11-04T09:00:05Z', score: null },
    sla: {
      firstResponseDueAt: '2026-11-03T09:05:00Z',
      firstResponseBreachedAt: '2026-11-03T09:05:00Z',
      resolutionDueAt: '2026-11-05T10:00:00Z',
      resolutionBreachedAt: null,
    },
    resolvedAt: '2026-11-05T09:00:00Z',
  },
  {
    agent: null,
    category: null,
    openedAt: '2026-11-10T14:00:00Z',
    replies: [{ author: 'bot', at: '2026-11-10T14:00:10Z' }],
    inbound: [],
    statusChanges: [],
    reopenedAt: [],
    csat: null,
    sla: {
      firstResponseDueAt: '2026-11-10T14:30:00Z',
      firstResponseBreachedAt: '2026-11-10T14:30:00Z',
      resolutionDueAt: '2026-11-11T14:00:00Z',
      resolutionBreachedAt: null,
    },
    resolvedAt: null,
  },
  {
    agent: 'karim',
    category: 'delivery',
    openedAt: '2026-11-10T15:00:00Z',
    replies: [{ author: 'agent', at: '2026-11-10T15:30:00Z' }],
    inbound: ['2026-11-10T15:31:00Z', '2026-11-10T15:32:00Z'],
    statusChanges: [{ from: 'open', to: 'resolved', at: '2026-11-11T15:00:00Z' }],
    reopenedAt: [],
    csat: { requestedAt: '2026-11-11T15:00:05Z', score: 2 },
    sla: null,
    resolvedAt: '2026-11-11T15:00:00Z',
  },
  {
    // Opened before the period, resolved inside it (answered before it too).
    agent: 'mona',
    category: 'delivery',
    openedAt: '2026-10-31T08:00:00Z',
    replies: [{ author: 'agent', at: '2026-10-31T08:03:00Z' }],
    inbound: [],
    statusChanges: [{ from: 'open', to: 'resolved', at: '2026-11-02T08:00:00Z' }],
    reopenedAt: [],
    csat: null,
    sla: null,
    resolvedAt: '2026-11-02T08:00:00Z',
  },
  {
    // After the period: counts nowhere.
    agent: 'karim',
    category: 'delivery',
    openedAt: '2026-11-16T01:00:00Z',
    replies: [{ author: 'agent', at: '2026-11-16T01:01:00Z' }],
    inbound: [],
    statusChanges: [{ from: 'open', to: 'resolved', at: '2026-11-16T02:00:00Z' }],
    reopenedAt: ['2026-11-16T01:30:00Z'],
    csat: { requestedAt: '2026-11-16T02:00:05Z', score: 1 },
    sla: null,
    resolvedAt: '2026-11-16T02:00:00Z',
  },
];

// --- The test's own arithmetic -------------------------------------------------------------

const ms = (iso: string) => new Date(iso).getTime();
const inPeriod = (iso: string) => ms(iso) >= ms(FROM) && ms(iso) < ms(TO);

/** Linear-interpolation percentile (the textbook definition, "type 7"). */
function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lower = sorted[Math.floor(h)]!;
  const upper = sorted[Math.ceil(h)]!;
  return Math.round(lower + (h - Math.floor(h)) * (upper - lower));
}

function summary(values: number[]): Duration {
  return {
    count: values.length,
    medianSeconds: percentile(values, 0.5),
    p90Seconds: percentile(values, 0.9),
  };
}

/** The expected figures of a group of seeded tickets. */
function expectedRow(tickets: SeedTicket[]): Omit<Row, 'key' | 'label'> {
  const openedHere = tickets.filter((ticket) => inPeriod(ticket.openedAt));
  const resolutions = tickets.flatMap((ticket) =>
    ticket.statusChanges
      .filter(
        (change) =>
          inPeriod(change.at) &&
          ['open', 'pending'].includes(change.from) &&
          ['resolved', 'closed'].includes(change.to),
      )
      .map((change) => (ms(change.at) - ms(ticket.openedAt)) / 1000),
  );
  const firstResponses = openedHere.flatMap((ticket) => {
    const agentReplies = ticket.replies
      .filter((reply) => reply.author === 'agent')
      .map((reply) => ms(reply.at));
    return agentReplies.length ? [(Math.min(...agentReplies) - ms(ticket.openedAt)) / 1000] : [];
  });
  const messagesIn = tickets
    .flatMap((ticket) => [ticket.openedAt, ...ticket.inbound])
    .filter(inPeriod).length;
  const messagesOut = tickets
    .flatMap((ticket) => ticket.replies.map((reply) => reply.at))
    .filter(inPeriod).length;
  const surveys = tickets.flatMap((ticket) =>
    ticket.csat && inPeriod(ticket.csat.requestedAt) ? [ticket.csat] : [],
  );
  const scores = surveys.flatMap((survey) => (survey.score === null ? [] : [survey.score]));
  let met = 0;
  let breached = 0;
  for (const ticket of openedHere) {
    if (!ticket.sla) continue;
    const firstAgent = ticket.replies.find((reply) => reply.author === 'agent')?.at ?? null;
    const targets: Array<[string | null, string | null, string | null]> = [
      [ticket.sla.firstResponseDueAt, ticket.sla.firstResponseBreachedAt, firstAgent],
      [ticket.sla.resolutionDueAt, ticket.sla.resolutionBreachedAt, ticket.resolvedAt],
    ];
    for (const [due, breachedAt, done] of targets) {
      if (!due) continue;
      if (breachedAt || (done && ms(done) > ms(due))) breached += 1;
      else if (done) met += 1;
    }
  }
  return {
    opened: openedHere.length,
    resolved: resolutions.length,
    reopened: tickets.flatMap((ticket) => ticket.reopenedAt).filter(inPeriod).length,
    firstResponse: summary(firstResponses),
    resolution: summary(resolutions),
    messagesIn,
    messagesOut,
    csat: {
      average: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null,
      responses: scores.length,
      requested: surveys.length,
      responseRate: surveys.length ? scores.length / surveys.length : null,
    },
    sla: { met, breached, attainment: met + breached ? met / (met + breached) : null },
  };
}

// --- Seeding -------------------------------------------------------------------------------

async function seedHistory(
  helpdesk: TestHelpdesk,
  agents: Record<'mona' | 'karim', string>,
  history: SeedTicket[],
) {
  const pool = helpdesk.context.pool;
  for (const [index, seed] of history.entries()) {
    const agentId = seed.agent ? agents[seed.agent] : null;
    const ticket = await seedTicket(helpdesk.context.db, {
      assigneeId: agentId,
      category: seed.category,
      openedAt: new Date(seed.openedAt),
      phone: `+2010555${String(index).padStart(4, '0')}`,
    });
    for (const at of seed.inbound) {
      await pool.query(
        `INSERT INTO messages (id, ticket_id, channel, direction, author, provider, type, text, delivery_status, created_at, sent_at, updated_at)
         VALUES (gen_random_uuid(), $1, 'pharmacy', 'inbound', 'customer', 'wppconnect', 'text', 'again', 'received', $2, $2, $2)`,
        [ticket.id, at],
      );
    }
    for (const reply of seed.replies) {
      await pool.query(
        `INSERT INTO messages (id, ticket_id, channel, direction, author, agent_id, provider, type, text, delivery_status, created_at, sent_at, updated_at)
         VALUES (gen_random_uuid(), $1, 'pharmacy', 'outbound', $2, $3, 'wppconnect', 'text', 'reply', 'delivered', $4, $4, $4)`,
        [ticket.id, reply.author, reply.author === 'agent' ? agentId : null, reply.at],
      );
    }
    for (const change of seed.statusChanges) {
      await pool.query(
        `INSERT INTO ticket_events (ticket_id, type, agent_id, data, created_at) VALUES ($1, 'status_changed', $2, $3, $4)`,
        [ticket.id, agentId, JSON.stringify({ from: change.from, to: change.to }), change.at],
      );
    }
    for (const at of seed.reopenedAt) {
      await pool.query(
        `INSERT INTO ticket_events (ticket_id, type, data, created_at) VALUES ($1, 'reopened', '{}', $2)`,
        [ticket.id, at],
      );
    }
    await pool.query(
      `UPDATE tickets SET resolved_at = $2, status = CASE WHEN $2::timestamptz IS NULL THEN 'open' ELSE 'resolved' END::"TicketStatus",
              csat_requested_at = $3, csat_score = $4::smallint, csat_answered_at = CASE WHEN $4::smallint IS NULL THEN NULL ELSE $3::timestamptz END,
              first_response_due_at = $5, first_response_breached_at = $6, resolution_due_at = $7, resolution_breached_at = $8
        WHERE id = $1`,
      [
        ticket.id,
        seed.resolvedAt,
        seed.csat?.requestedAt ?? null,
        seed.csat?.score ?? null,
        seed.sla?.firstResponseDueAt ?? null,
        seed.sla?.firstResponseBreachedAt ?? null,
        seed.sla?.resolutionDueAt ?? null,
        seed.sla?.resolutionBreachedAt ?? null,
      ],
    );
  }
}

/** Compares numbers that may be fractions (averages, rates) to 4 decimals. */
function assertRow(actual: Row | undefined, expected: Omit<Row, 'key' | 'label'>, what: string): void {
  assert.ok(actual, `${what}: row present`);
  const near = (value: number | null) => (value === null ? null : Math.round(value * 10_000) / 10_000);
  const { key: _key, label: _label, ...figures } = actual;
  assert.deepEqual(
    {
      ...figures,
      csat: {
        ...figures.csat,
        average: near(figures.csat.average),
        responseRate: near(figures.csat.responseRate),
      },
      sla: { ...figures.sla, attainment: near(figures.sla.attainment) },
    },
    {
      ...expected,
      csat: {
        ...expected.csat,
        average: near(expected.csat.average),
        responseRate: near(expected.csat.responseRate),
      },
      sla: { ...expected.sla, attainment: near(expected.sla.attainment) },
    },
    what,
  );
}

describe("admins' API: period reports", () => {
  let helpdesk: TestHelpdesk;
  let lead: TestAgent;
  let mona: TestAgent;
  let karim: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk({ env: { BUSINESS_HOURS: '', BUSINESS_TIMEZONE: 'UTC' } });
    lead = await createAgent(helpdesk, { name: 'Lead', role: 'admin' });
    mona = await createAgent(helpdesk, { name: 'Mona', availability: 'offline' });
    karim = await createAgent(helpdesk, { name: 'Karim', availability: 'offline' });
    await helpdesk.context.pool.query('UPDATE agents SET name = $2 WHERE id = $1', [mona.id, ARABIC_NAME]);
    await seedHistory(helpdesk, { mona: mona.id, karim: karim.id }, HISTORY);
  });
  after(() => helpdesk.stop());

  it('when an admin asks by agent, then every figure matches the seeded history', async () => {
    const answer = await lead.api.get<Report>(`/api/reports?from=${FROM}&to=${TO}&interval=day&by=agent`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assertMatches(periodReportSchema, answer.body);
    const report = answer.body;
    assert.equal(report.businessHours, false);
    assert.deepEqual(report.period, { from: FROM, to: TO, timeZone: 'UTC' });
    assertRow(report.totals, expectedRow(HISTORY), 'totals');
    const monaRow = report.breakdown.find((row) => row.key === mona.id);
    assert.equal(monaRow?.label, ARABIC_NAME);
    assertRow(monaRow, expectedRow(HISTORY.filter((ticket) => ticket.agent === 'mona')), 'Mona');
    assertRow(
      report.breakdown.find((row) => row.key === karim.id),
      expectedRow(HISTORY.filter((ticket) => ticket.agent === 'karim')),
      'Karim',
    );
    assertRow(
      report.breakdown.find((row) => row.key === null),
      expectedRow(HISTORY.filter((ticket) => ticket.agent === null)),
      'unassigned',
    );
    assert.equal(report.breakdown.length, 3);
    // Hand-checked anchors, so the test's arithmetic is not the only witness.
    assert.deepEqual(report.totals.firstResponse, { count: 3, medianSeconds: 600, p90Seconds: 1560 });
    assert.equal(report.totals.resolved, 5);
    assert.deepEqual(report.totals.sla, { met: 3, breached: 2, attainment: 0.6 });
  });

  it('when an admin asks by category, then labels are the menu titles in the language asked', async () => {
    const answer = await lead.api.get<Report>(`/api/reports?from=${FROM}&to=${TO}&by=category&language=ar`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const delivery = answer.body.breakdown.find((row) => row.key === 'delivery');
    assert.equal(delivery?.label, 'التوصيل والفروع');
    assertRow(delivery, expectedRow(HISTORY.filter((ticket) => ticket.category === 'delivery')), 'delivery');
    assertRow(
      answer.body.breakdown.find((row) => row.key === 'prescription_refill'),
      expectedRow(HISTORY.filter((ticket) => ticket.category === 'prescription_refill')),
      'prescription_refill',
    );
  });

  it('when an admin asks by channel or team, then the totals are the same and groups add up', async () => {
    for (const by of ['channel', 'team']) {
      const answer = await lead.api.get<Report>(`/api/reports?from=${FROM}&to=${TO}&by=${by}`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assertRow(answer.body.totals, expectedRow(HISTORY), `totals by ${by}`);
      assert.equal(
        answer.body.breakdown.reduce((sum, row) => sum + row.opened, 0),
        expectedRow(HISTORY).opened,
      );
    }
    const byChannel = await lead.api.get<Report>(`/api/reports?from=${FROM}&to=${TO}&by=channel`);
    assert.deepEqual(
      byChannel.body.breakdown.map((row) => row.key),
      ['pharmacy'],
    );
  });

  it('when an admin asks per day and per ISO week, then every bucket counts its own facts', async () => {
    const daily = await lead.api.get<Report>(`/api/reports?from=${FROM}&to=${TO}&interval=day`);
    assert.equal(daily.body.series.length, 14);
    const weekly = await lead.api.get<Report>(`/api/reports?from=${FROM}&to=${TO}&interval=week`);
    assert.deepEqual(
      weekly.body.series.map((bucket) => bucket.bucketStart),
      ['2026-11-02T00:00:00.000Z', '2026-11-09T00:00:00.000Z'],
    );
    for (const [series, size] of [
      [daily.body.series, 86_400_000],
      [weekly.body.series, 7 * 86_400_000],
    ] as const) {
      for (const bucket of series) {
        const start = ms(bucket.bucketStart);
        const inside = (iso: string) => ms(iso) >= start && ms(iso) < start + size && inPeriod(iso);
        const count = (pick: (ticket: SeedTicket) => string[]) => HISTORY.flatMap(pick).filter(inside).length;
        assert.deepEqual(
          bucket,
          {
            bucketStart: bucket.bucketStart,
            opened: count((ticket) => [ticket.openedAt]),
            resolved: count((ticket) =>
              ticket.statusChanges.filter((change) => change.from !== 'resolved').map((change) => change.at),
            ),
            reopened: count((ticket) => ticket.reopenedAt),
            messagesIn: count((ticket) => [ticket.openedAt, ...ticket.inbound]),
            messagesOut: count((ticket) => ticket.replies.map((reply) => reply.at)),
          },
          `bucket ${bucket.bucketStart}`,
        );
      }
    }
  });

  it('when an admin exports CSV, then it has the BOM, one header row, the columns and Arabic text', async () => {
    const response = await lead.api.fetch(`/api/reports.csv?from=${FROM}&to=${TO}&by=agent&table=breakdown`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.match(
      response.headers.get('content-disposition') ?? '',
      /^attachment; filename="report-by-agent-2026-11-02-2026-11-15\.csv"$/,
    );
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    assert.equal(
      lines[0],
      'key,label,opened,resolved,reopened,first_response_count,first_response_median_seconds,' +
        'first_response_p90_seconds,resolution_count,resolution_median_seconds,resolution_p90_seconds,' +
        'messages_in,messages_out,csat_average,csat_responses,csat_requested,csat_response_rate,sla_met,' +
        'sla_breached,sla_attainment',
    );
    assert.equal(lines.filter((line) => line.startsWith('key,')).length, 1, 'one header row');
    const monaLine = lines.find((line) => line.startsWith(mona.id));
    const expected = expectedRow(HISTORY.filter((ticket) => ticket.agent === 'mona'));
    assert.equal(
      monaLine,
      [mona.id, ARABIC_NAME, expected.opened, expected.resolved, expected.reopened].join(',') +
        `,${expected.firstResponse.count},${expected.firstResponse.medianSeconds},${expected.firstResponse.p90Seconds}` +
        `,${expected.resolution.count},${expected.resolution.medianSeconds},${expected.resolution.p90Seconds}` +
        `,${expected.messagesIn},${expected.messagesOut},${expected.csat.average},${expected.csat.responses}` +
        `,${expected.csat.requested},${expected.csat.responseRate},${expected.sla.met},${expected.sla.breached}` +
        `,${Math.round(expected.sla.attainment! * 10_000) / 10_000}`,
    );
    assert.equal(lines.at(-1)!.split(',')[1], 'Total');
    assert.equal(lines.length, 1 + 3 + 1);

    const series = await lead.api.fetch(`/api/reports.csv?from=${FROM}&to=${TO}&interval=week&table=series`);
    const seriesLines = (await series.text())
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    assert.equal(
      seriesLines[0],
      'bucket_start,bucket_date,opened,resolved,reopened,messages_in,messages_out',
    );
    assert.equal(seriesLines[1]!.split(',').slice(0, 2).join(','), '2026-11-02T00:00:00.000Z,2026-11-02');
    assert.equal(seriesLines.length, 3);
  });

  it('when the query is wrong, then 400 names the field; an agent gets 403', async () => {
    assertValidationError(await lead.api.get(`/api/reports?from=${TO}&to=${FROM}`), 'from');
    assertValidationError(
      await lead.api.get('/api/reports?from=2025-01-01T00:00:00Z&to=2026-01-03T00:00:00Z'),
      'from',
    );
    assertValidationError(await lead.api.get('/api/reports?to=yesterday'), 'to');
    assertValidationError(await lead.api.get('/api/reports?interval=month'), 'interval');
    assertValidationError(await lead.api.get('/api/reports?by=customer'), 'by');
    assertValidationError(await lead.api.get('/api/reports.csv?table=everything'), 'table');
    assert.equal((await mona.api.get('/api/reports')).status, 403);
    assert.equal((await mona.api.fetch('/api/reports.csv')).status, 403);
    assert.equal((await lead.api.get('/api/reports')).status, 200, 'default period: the last 30 days');
  });
});

describe("admins' API: period reports in business hours", () => {
  let helpdesk: TestHelpdesk;
  let lead: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk({
      env: { BUSINESS_HOURS: 'mon-fri 09:00-17:00', BUSINESS_TIMEZONE: 'UTC' },
    });
    lead = await createAgent(helpdesk, { name: 'Lead', role: 'admin' });
    const agent = await createAgent(helpdesk, { name: 'Mona', availability: 'offline' });
    await seedHistory(helpdesk, { mona: agent.id, karim: agent.id }, [
      {
        // Friday 16:00 → Monday 09:30: 1 h on Friday + 30 min on Monday.
        agent: 'mona',
        category: null,
        openedAt: '2026-11-06T16:00:00Z',
        replies: [
          { author: 'bot', at: '2026-11-06T16:00:05Z' },
          { author: 'agent', at: '2026-11-09T09:30:00Z' },
        ],
        inbound: [],
        // Resolved Monday 11:00: 1 h + 2 h.
        statusChanges: [{ from: 'open', to: 'resolved', at: '2026-11-09T11:00:00Z' }],
        reopenedAt: [],
        csat: null,
        sla: null,
        resolvedAt: '2026-11-09T11:00:00Z',
      },
    ]);
  });
  after(() => helpdesk.stop());

  it('when business hours are configured, then first response and resolution count only open hours', async () => {
    const answer = await lead.api.get<Report>(`/api/reports?from=${FROM}&to=${TO}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.businessHours, true);
    assert.deepEqual(answer.body.totals.firstResponse, { count: 1, medianSeconds: 5400, p90Seconds: 5400 });
    assert.deepEqual(answer.body.totals.resolution, { count: 1, medianSeconds: 10_800, p90Seconds: 10_800 });
    assert.deepEqual(answer.body.breakdown[0]!.firstResponse, {
      count: 1,
      medianSeconds: 5400,
      p90Seconds: 5400,
    });
  });

  it('when a team lead reads reports one after another, then each statement runs again on the connection it first ran on', async () => {
    // The report's own connections, as an operator sees them in pg_stat_activity.
    const reportConnections = async () =>
      (
        await helpdesk.context.pool.query<{ name: string; pid: number }>(
          `SELECT application_name AS name, pid FROM pg_stat_activity
            WHERE datname = current_database() AND application_name LIKE 'helpdesk report %'
            ORDER BY application_name, pid`,
        )
      ).rows;
    const readReports = async () => {
      for (const by of ['agent', 'category', 'channel', 'team']) {
        const answer = await lead.api.get(`/api/reports?from=${FROM}&to=${TO}&by=${by}`);
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
      }
    };
    await readReports();
    const first = await reportConnections();
    assert.deepEqual(
      [...new Set(first.map((connection) => connection.name))],
      [
        'helpdesk report durations',
        'helpdesk report groups',
        'helpdesk report messages',
        'helpdesk report series',
      ],
    );
    await readReports();
    assert.deepEqual(await reportConnections(), first, 'the same server processes, none new');
  });
});
