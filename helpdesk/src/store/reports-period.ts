/**
 * The period report as PostgreSQL computes it, set-based: every fact of the period (a ticket
 * opened, a resolution, a reopening, a message, a survey sent) is one row keyed by its ticket's
 * agent, team, category or channel, then grouped by key (the totals from the groups) or by bucket.
 * Percentiles of durations are percentile_cont's (wall-clock); when business hours apply,
 * `readReportDurations` returns the raw start/end pairs for the use case to count.
 *
 * A year (150,000 tickets, 2,000,000 messages) is read from rollups kept by triggers on messages
 * in the transaction of every insert, update and delete (migration 20261129000000_report_rollups):
 * message counts per ticket (ticket_message_counts) and per UTC hour (message_hour_counts), and
 * each ticket's first agent reply at or after its opening (tickets.first_agent_reply_at); only the
 * messages of the period's partial hours are read from messages. The results are the same as
 * counting the messages themselves. The breakdown joins no fact to its ticket (migration
 * 20261130000000_report_event_keys): resolutions and reopenings come from report_events and message
 * counts from ticket_message_counts, both carrying their ticket's keys (kept by triggers on
 * ticket_events and tickets), and the durations in seconds are stored (report_events.seconds,
 * tickets.first_response_seconds: generated columns with the breakdown's own arithmetic).
 *
 * Definitions (contract/src/api/reports.ts says them to clients):
 * - opened: tickets whose opened_at is in the period; their first response is the first outbound
 *   message with author `agent` at or after opened_at (the bot's and system messages do not count);
 * - resolved: `status_changed` events from open/pending to resolved/closed in the period, each
 *   timed from the ticket's opening;
 * - reopened: `reopened` events in the period;
 * - messages: inbound / outbound messages created in the period;
 * - CSAT: tickets whose survey was sent (csat_requested_at) in the period, and their scores;
 * - SLA: the first-response and resolution targets of tickets opened in the period: met when
 *   achieved by the due time and never recorded breached, breached when recorded breached or
 *   achieved late; undecided targets are left out.
 * Every fact is credited to its ticket's agent (assignee now), team (the ticket's team, else its
 * channel's), category or channel.
 */
import type {
  ReportDimension,
  ReportInterval,
  TicketEventType,
  TicketStatus,
} from '@whatsapp-helpdesk/contract/api';
import type pg from 'pg';
import type { ReportConnections } from './report-connections';
import { rows, transaction } from './sql';

const REOPENED: TicketEventType = 'reopened';
const STATUS_CHANGED: TicketEventType = 'status_changed';
const ACTIVE: readonly TicketStatus[] = ['open', 'pending'];
const DONE: readonly TicketStatus[] = ['resolved', 'closed'];

/** The report's question. `from` inclusive, `to` exclusive; `timeZone` an IANA name for buckets. */
export interface PeriodQuery {
  from: Date;
  to: Date;
  interval: ReportInterval;
  by: ReportDimension;
  timeZone: string;
}

/** A group of the breakdown (key null: no agent/team/category) or, with `total` true, the totals. */
export interface BreakdownRow {
  total: boolean;
  key: string | null;
  label: string | null;
  opened: number;
  resolved: number;
  reopened: number;
  messagesIn: number;
  messagesOut: number;
  firstResponseCount: number;
  firstResponseMedian: number | null;
  firstResponseP90: number | null;
  resolutionCount: number;
  resolutionMedian: number | null;
  resolutionP90: number | null;
  csatRequested: number;
  csatResponses: number;
  csatAverage: number | null;
  slaMet: number;
  slaBreached: number;
}

/** One bucket of the series (`bucketStart`: the local midnight starting the day or ISO week). */
export interface SeriesRow {
  bucketStart: Date;
  opened: number;
  resolved: number;
  reopened: number;
  messagesIn: number;
  messagesOut: number;
}

/** A duration to count in business hours: a first response or a resolution of a group. */
export interface DurationRow {
  kind: 'first_response' | 'resolution';
  key: string | null;
  startedAt: Date;
  endedAt: Date;
}

/**
 * The breakdown key per dimension with the joins it needs (a fixed list: no input), and its label:
 * `label` over the facts' rows (the smallest one a group has), or `name` looked up once per group
 * from its key (`g.key`) when the label is the key's own name.
 */
const DIMENSIONS: Record<ReportDimension, { key: string; joins: string; label: string; name: string }> = {
  agent: {
    key: 't.assignee_id',
    joins: '',
    label: 'NULL::text',
    name: '(SELECT a.name FROM agents a WHERE a.id = g.key)',
  },
  team: {
    key: 'COALESCE(t.team_id, c.team_id)',
    joins: 'LEFT JOIN channels c ON c.provider = t.provider AND c.key = t.channel',
    label: 'NULL::text',
    name: '(SELECT tm.name FROM teams tm WHERE tm.id = g.key)',
  },
  category: { key: 't.category', joins: '', label: 'NULL::text', name: 'g.key' },
  channel: {
    key: 't.channel',
    joins: 'LEFT JOIN channels c ON c.provider = t.provider AND c.key = t.channel',
    label: 'COALESCE(c.name, t.channel)',
    name: 'g.label',
  },
};

/** UTC hours as message_hour_counts keeps them (migration 20261129000000_report_rollups). */
const HOUR = `date_bin('1 hour', %s, timestamptz '2000-01-01 00:00:00+00')`;
const hourOf = (instant: string) => HOUR.replace('%s', instant);

/** The resolutions of `$1`..`$2`: the predicate of the partial index ticket_events_resolutions_idx. */
const RESOLUTIONS = `e.type = '${STATUS_CHANGED}' AND e.created_at >= $1 AND e.created_at < $2
         AND e.data->>'from' IN (${ACTIVE.map((status) => `'${status}'`).join(', ')})
         AND e.data->>'to' IN (${DONE.map((status) => `'${status}'`).join(', ')})`;

/**
 * The facts of the period keyed by `by`, as two CTEs: `$1` from, `$2` to (timestamptz).
 *   ticket_facts   one row per ticket opened in the period (opened 1, its first response fr_start
 *                  to fr_end, fr_seconds: tickets.first_response_seconds, extract(epoch FROM fr_end
 *                  - fr_start)::float8, SLA met and breached) or, with `surveys`, surveyed in the
 *                  period (csat_requested 1, csat_score), read from tickets;
 *   event_facts    one row per resolution (reopened false, res_start to res_end, res_seconds:
 *                  report_events.seconds, extract(epoch FROM res_end - res_start)::float8) or, with
 *                  `surveys`, reopening (reopened true) in the period, read from report_events.
 * Each has the columns key and label. report_events carries its ticket's keys (migration
 * 20261130000000_report_event_keys), so no fact is joined to its ticket. The first response is
 * tickets.first_agent_reply_at, kept by triggers as the first outbound message by an agent at or
 * after opened_at; a resolution starts at its ticket's opened_at.
 * @param surveys with the surveys and reopenings (the breakdown), not only the durations.
 */
function factsSql(by: ReportDimension, surveys: boolean): string {
  const opened = 't.opened_at >= $1 AND t.opened_at < $2';
  const surveyed = surveys ? 't.csat_requested_at >= $1 AND t.csat_requested_at < $2' : 'false';
  const ifOpened = (value: string, otherwise = 'NULL') =>
    `CASE WHEN ${opened} THEN ${value} ELSE ${otherwise} END`;
  return `
    WITH ticket_facts AS (${keyedSql(
      by,
      `${ifOpened('1', '0')} AS opened, ${ifOpened('t.opened_at')} AS fr_start,
             ${ifOpened('t.first_agent_reply_at')} AS fr_end, ${ifOpened('t.first_response_seconds')} AS fr_seconds,
             COALESCE(${surveyed}, false)::int AS csat_requested, CASE WHEN ${surveyed} THEN t.csat_score END AS csat_score,
             ${ifOpened(
               `COALESCE(t.first_response_breached_at IS NULL AND t.first_agent_reply_at <= t.first_response_due_at, false)::int
              + COALESCE(t.resolution_breached_at IS NULL AND t.resolved_at <= t.resolution_due_at, false)::int`,
               '0',
             )} AS sla_met,
             ${ifOpened(
               `COALESCE(t.first_response_breached_at IS NOT NULL
                       OR (t.first_response_due_at IS NOT NULL AND t.first_agent_reply_at > t.first_response_due_at), false)::int
              + COALESCE(t.resolution_breached_at IS NOT NULL
                       OR (t.resolution_due_at IS NOT NULL AND t.resolved_at > t.resolution_due_at), false)::int`,
               '0',
             )} AS sla_breached`,
      `SELECT * FROM tickets t WHERE (${opened}) OR (${surveyed})`,
    )}
    ),
    event_facts AS (${keyedSql(
      by,
      't.reopened, t.opened_at AS res_start, t.at AS res_end, t.seconds AS res_seconds',
      `SELECT r.* FROM report_events r WHERE r.at >= $1 AND r.at < $2${surveys ? '' : ' AND NOT r.reopened'}`,
    )}
    )`;
}

/** `columns` of the rows of `source` (aliased t, with its keys) with the key and label of `by`. */
function keyedSql(by: ReportDimension, columns: string, source: string): string {
  const dimension = DIMENSIONS[by];
  return `
      SELECT ${dimension.key} AS key, ${dimension.label} AS label, ${columns}
        FROM (${source}) t
        ${dimension.joins}`;
}

/**
 * The messages of the period keyed by `by`, as the CTE message_facts (`$1` from, `$2` to): one row
 * per ticket with messages in the period (msg_in, msg_out, key, label), read from
 * ticket_message_counts, which carries its ticket's keys. A ticket whose first and last messages
 * are both in the period brings its counts whole; the few tickets with messages on both sides of an
 * edge have theirs counted from messages (one index range of messages_ticket_id_created_at_idx
 * each); a ticket with no message in the period brings no row.
 */
function messageFactsSql(by: ReportDimension): string {
  return `
    WITH message_facts AS (${keyedSql(
      by,
      't.msg_in, t.msg_out',
      `SELECT c.assignee_id, c.team_id, c.provider, c.channel, c.category, c.inbound AS msg_in, c.outbound AS msg_out
         FROM ticket_message_counts c
        WHERE c.last_at >= $1 AND c.last_at < $2 AND c.first_at >= $1
       UNION ALL
       SELECT c.assignee_id, c.team_id, c.provider, c.channel, c.category, edge.inbound, edge.outbound
         FROM ticket_message_counts c
        CROSS JOIN LATERAL (
          SELECT count(*) FILTER (WHERE m.direction = 'inbound')::int AS inbound,
                 count(*) FILTER (WHERE m.direction = 'outbound')::int AS outbound
            FROM messages m
           WHERE m.ticket_id = c.ticket_id AND m.created_at >= $1 AND m.created_at < $2
        ) edge
        WHERE c.last_at >= $1 AND c.first_at < $2 AND (c.first_at < $1 OR c.last_at >= $2)
          AND edge.inbound + edge.outbound > 0`,
    )}
    )`;
}

/**
 * Runs one report statement in its own transaction with JIT compilation off and room to sort in
 * memory: a year's facts make the planner's cost cross jit_above_cost, and compiling then takes
 * longer than the statement itself, and the breakdown's sort by key would spill to disk at the
 * default work_mem (figures in BENCHMARKS.md, "Reports from rollups").
 */
async function reportRows<T extends pg.QueryResultRow>(
  pool: pg.Pool,
  text: string,
  values: unknown[],
): Promise<T[]> {
  return transaction(pool, async (client) => {
    await client.query(`SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)`);
    return rows<T>(client, text, values);
  });
}

/**
 * The breakdown by `by`, one row per key, and the totals (`total` true, always there, last), the
 * groups most opened first (ties by label, then key, in code point order, none last). Two
 * statements at once on two connections, merged here by key: the tickets' and events' facts with
 * their durations (`ticketAndEventGroups`) and the message counts (`messageGroups`), each about
 * 20 ms of a core for 30 days of a year's data (one statement doing both took 40 – 43 ms;
 * BENCHMARKS.md). A key with messages only gets a row of its own with nothing else counted.
 * Each statement runs on its own connections (`ReportConnections`).
 */
export async function readReportBreakdown(
  connections: ReportConnections,
  query: PeriodQuery,
): Promise<BreakdownRow[]> {
  const [groups, messageCounts] = await Promise.all([
    ticketAndEventGroups(connections.pool('groups'), query),
    messageGroups(connections.pool('messages'), query),
  ]);
  const rows = new Map(groups.map((row) => [row.total ? TOTAL : row.key, row]));
  const totals = rows.get(TOTAL)!;
  for (const counted of messageCounts) {
    let row = rows.get(counted.key);
    if (!row) {
      row = { ...emptyGroup(), key: counted.key, label: counted.label };
      rows.set(counted.key, row);
    }
    row.messagesIn = counted.messagesIn;
    row.messagesOut = counted.messagesOut;
    totals.messagesIn += counted.messagesIn;
    totals.messagesOut += counted.messagesOut;
  }
  return [...rows.values()].sort(
    (a, b) =>
      Number(a.total) - Number(b.total) ||
      b.opened - a.opened ||
      compareNullsLast(a.label, b.label) ||
      compareNullsLast(a.key, b.key),
  );
}

/** The totals' key in `readReportBreakdown`'s map (a group's key is text or null). */
const TOTAL = Symbol('total');

/** A group with nothing counted. */
function emptyGroup(): BreakdownRow {
  return {
    total: false,
    key: null,
    label: null,
    opened: 0,
    resolved: 0,
    reopened: 0,
    messagesIn: 0,
    messagesOut: 0,
    firstResponseCount: 0,
    firstResponseMedian: null,
    firstResponseP90: null,
    resolutionCount: 0,
    resolutionMedian: null,
    resolutionP90: null,
    csatRequested: 0,
    csatResponses: 0,
    csatAverage: null,
    slaMet: 0,
    slaBreached: 0,
  };
}

/** Code point order (PostgreSQL's C collation), nulls last. */
function compareNullsLast(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/**
 * The breakdown's groups without their message counts (0), and the totals (`total` true), one row
 * even for a period without facts. Each kind of fact is grouped by hashing on its own (only the
 * aggregates it feeds), then the groups of the two kinds are merged by key: the durations of each
 * group gathered as arrays (seconds) and their percentiles taken from those, so a year's 300,000
 * durations are never sorted as rows; the totals come from the groups (sums of sums, the
 * percentiles of all groups' durations, the average from the scores' sum and count: what avg
 * computes).
 */
async function ticketAndEventGroups(db: pg.Pool, query: PeriodQuery): Promise<BreakdownRow[]> {
  // p50 and p90 from one sort of the values: [1] the median, [2] the 90th percentile.
  const percentiles = (list: string) =>
    `(SELECT percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY v) FROM (SELECT unnest(${list}) AS v) u)`;
  // The same over every group's values (unnest in the select list: no tuplestore in between).
  const allOf = (list: string) =>
    `(SELECT percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY v) FROM (SELECT unnest(${list}) AS v FROM groups) u)`;
  return reportRows<BreakdownRow>(
    db,
    `${factsSql(query.by, true)},
     kinds AS (
       SELECT key, min(label) AS label, sum(opened) AS opened, 0 AS resolved, 0 AS reopened,
              array_agg(fr_seconds) FILTER (WHERE fr_end IS NOT NULL) AS first_responses,
              NULL::float8[] AS resolutions,
              sum(csat_requested) AS csat_requested, count(csat_score) AS csat_responses,
              sum(csat_score) AS csat_sum, avg(csat_score)::float8 AS csat_average,
              sum(sla_met) AS sla_met, sum(sla_breached) AS sla_breached
         FROM ticket_facts
        GROUP BY key
       UNION ALL
       SELECT key, min(label), 0, count(*) FILTER (WHERE NOT reopened), count(*) FILTER (WHERE reopened),
              NULL, array_agg(res_seconds) FILTER (WHERE NOT reopened), 0, 0, NULL, NULL, 0, 0
         FROM event_facts
        GROUP BY key
     ),
     -- One row per key and kind: max() of the arrays and of the average takes the one kind's value.
     groups AS MATERIALIZED (
       SELECT key, min(label) AS label,
              sum(opened)::int AS opened, sum(resolved)::int AS resolved, sum(reopened)::int AS reopened,
              max(first_responses) AS first_responses, max(resolutions) AS resolutions,
              sum(csat_requested)::int AS csat_requested, sum(csat_responses)::int AS csat_responses,
              sum(csat_sum) AS csat_sum, max(csat_average) AS csat_average,
              sum(sla_met)::int AS sla_met, sum(sla_breached)::int AS sla_breached
         FROM kinds
        GROUP BY key
     ),
     rows AS (
       SELECT false AS total, g.key::text AS key, ${DIMENSIONS[query.by].name} AS label,
              g.opened, g.resolved, g.reopened,
              COALESCE(cardinality(g.first_responses), 0) AS first_response_count,
              ${percentiles('g.first_responses')} AS first_response,
              COALESCE(cardinality(g.resolutions), 0) AS resolution_count,
              ${percentiles('g.resolutions')} AS resolution,
              g.csat_requested, g.csat_responses, g.csat_average, g.sla_met, g.sla_breached
         FROM groups g
       UNION ALL
       SELECT true, NULL, NULL, COALESCE(sum(opened), 0)::int, COALESCE(sum(resolved), 0)::int,
              COALESCE(sum(reopened), 0)::int,
              COALESCE(sum(cardinality(first_responses)), 0)::int, ${allOf('first_responses')},
              COALESCE(sum(cardinality(resolutions)), 0)::int, ${allOf('resolutions')},
              COALESCE(sum(csat_requested), 0)::int, COALESCE(sum(csat_responses), 0)::int,
              (sum(csat_sum)::numeric / NULLIF(sum(csat_responses), 0))::float8,
              COALESCE(sum(sla_met), 0)::int, COALESCE(sum(sla_breached), 0)::int
         FROM groups
     )
     SELECT total, key, label, opened, resolved, reopened, 0 AS "messagesIn", 0 AS "messagesOut",
            first_response_count AS "firstResponseCount", first_response[1] AS "firstResponseMedian",
            first_response[2] AS "firstResponseP90", resolution_count AS "resolutionCount",
            resolution[1] AS "resolutionMedian", resolution[2] AS "resolutionP90",
            csat_requested AS "csatRequested", csat_responses AS "csatResponses", csat_average AS "csatAverage",
            sla_met AS "slaMet", sla_breached AS "slaBreached"
       FROM rows`,
    [query.from, query.to],
  );
}

/** The message counts of the breakdown's groups (`messageFactsSql`), one row per key with messages. */
async function messageGroups(
  db: pg.Pool,
  query: PeriodQuery,
): Promise<Array<{ key: string | null; label: string | null; messagesIn: number; messagesOut: number }>> {
  return reportRows(
    db,
    `${messageFactsSql(query.by)},
     groups AS (
       SELECT key, min(label) AS label, sum(msg_in)::int AS messages_in, sum(msg_out)::int AS messages_out
         FROM message_facts
        GROUP BY key
     )
     SELECT g.key::text AS key, ${DIMENSIONS[query.by].name} AS label,
            g.messages_in AS "messagesIn", g.messages_out AS "messagesOut"
       FROM groups g`,
    [query.from, query.to],
  );
}

/**
 * The series: every day or ISO week (Monday) of the period in `timeZone`, empty ones included,
 * each bucket starting at its local midnight (the first one may start before `from`).
 *
 * Each fact is placed by its UTC hour: `hours` maps every hour of the period to its local bucket,
 * once (two time-zone conversions per hour instead of one per fact); an hour a bucket starts in
 * (a time zone off the UTC hour, e.g. Asia/Kolkata) is `split` and its facts are placed one by one.
 * Tickets opened, resolutions and reopenings are counted per UTC hour before they are placed (a
 * year's 300,000 facts become at most 8,784 rows), those of the split hours read again one by one
 * (index ranges). Messages come from message_hour_counts for the whole UTC hours of the period in
 * one bucket, and from messages for the partial hours at the period's edges and the split hours.
 * Runs on its own connections (`ReportConnections`).
 */
export async function readReportSeries(
  connections: ReportConnections,
  query: PeriodQuery,
): Promise<SeriesRow[]> {
  const bucketOf = (instant: string) => `date_trunc($4, (${instant}) AT TIME ZONE $3)`;
  const inSplit = (instant: string) => `${instant} >= greatest(s.low, $1) AND ${instant} < least(s.high, $2)`;
  return reportRows<SeriesRow>(
    connections.pool('series'),
    `WITH bounds AS (
       SELECT ${hourOf("$1::timestamptz + interval '1 hour' - interval '1 microsecond'")} AS whole_from,
              ${hourOf('$2::timestamptz')} AS whole_to
     ),
     hours AS MATERIALIZED (
       SELECT h.hour, ${bucketOf('h.hour')} AS bucket,
              ${bucketOf('h.hour')} <> ${bucketOf("h.hour + interval '1 hour' - interval '1 microsecond'")} AS split
         FROM generate_series(${hourOf('$1::timestamptz')}, ${hourOf("$2::timestamptz - interval '1 microsecond'")},
                              interval '1 hour') AS h(hour)
     ),
     splits AS (
       SELECT h.hour AS low, h.hour + interval '1 hour' AS high FROM hours h WHERE h.split
     ),
     whole_hours AS (
       SELECT c.hour, sum(c.inbound)::int AS inbound, sum(c.outbound)::int AS outbound
         FROM message_hour_counts c, bounds b
        WHERE c.hour >= b.whole_from AND c.hour < b.whole_to
        GROUP BY c.hour
     ),
     ranges AS (
       SELECT $1::timestamptz AS low, least(b.whole_from, $2::timestamptz) AS high FROM bounds b
       UNION ALL
       SELECT greatest(b.whole_to, b.whole_from), $2::timestamptz FROM bounds b
       UNION ALL
       SELECT w.hour, w.hour + interval '1 hour' FROM whole_hours w JOIN hours h ON h.hour = w.hour WHERE h.split
     ),
     hourly AS (
       SELECT ${hourOf('f.at')} AS hour, sum(f.opened) AS opened, sum(f.resolved) AS resolved, sum(f.reopened) AS reopened
         FROM (SELECT t.opened_at AS at, 1 AS opened, 0 AS resolved, 0 AS reopened
                 FROM tickets t
                WHERE t.opened_at >= $1 AND t.opened_at < $2
               UNION ALL
               SELECT e.created_at, 0, 1, 0 FROM ticket_events e WHERE ${RESOLUTIONS}
               UNION ALL
               SELECT e.created_at, 0, 0, 1
                 FROM ticket_events e
                WHERE e.type = '${REOPENED}' AND e.created_at >= $1 AND e.created_at < $2) f
        GROUP BY 1
     ),
     one_by_one AS (
       SELECT t.opened_at AS at, 1 AS opened, 0 AS resolved, 0 AS reopened, 0 AS msg_in, 0 AS msg_out
         FROM splits s JOIN tickets t ON ${inSplit('t.opened_at')}
       UNION ALL
       SELECT e.created_at, 0, 1, 0, 0, 0
         FROM splits s JOIN ticket_events e ON ${RESOLUTIONS} AND ${inSplit('e.created_at')}
       UNION ALL
       SELECT e.created_at, 0, 0, 1, 0, 0
         FROM splits s JOIN ticket_events e ON e.type = '${REOPENED}' AND ${inSplit('e.created_at')}
       UNION ALL
       SELECT m.created_at, 0, 0, 0, (m.direction = 'inbound')::int, (m.direction = 'outbound')::int
         FROM ranges r JOIN messages m ON m.created_at >= r.low AND m.created_at < r.high
     ),
     placed AS (
       SELECT h.bucket, f.opened, f.resolved, f.reopened, 0 AS msg_in, 0 AS msg_out
         FROM hourly f JOIN hours h ON h.hour = f.hour
        WHERE NOT h.split
       UNION ALL
       SELECT ${bucketOf('f.at')}, f.opened, f.resolved, f.reopened, f.msg_in, f.msg_out
         FROM one_by_one f
       UNION ALL
       SELECT h.bucket, 0, 0, 0, w.inbound, w.outbound
         FROM whole_hours w JOIN hours h ON h.hour = w.hour
        WHERE NOT h.split
     ),
     counted AS (
       SELECT bucket, sum(opened)::int AS opened, sum(resolved)::int AS resolved, sum(reopened)::int AS reopened,
              sum(msg_in)::int AS messages_in, sum(msg_out)::int AS messages_out
         FROM placed GROUP BY 1
     ),
     buckets AS (
       SELECT generate_series(date_trunc($4, $1::timestamptz AT TIME ZONE $3),
                              date_trunc($4, ($2::timestamptz - interval '1 millisecond') AT TIME ZONE $3),
                              ('1 ' || $4)::interval) AS bucket
     )
     SELECT b.bucket AT TIME ZONE $3 AS "bucketStart",
            COALESCE(c.opened, 0) AS opened, COALESCE(c.resolved, 0) AS resolved,
            COALESCE(c.reopened, 0) AS reopened, COALESCE(c.messages_in, 0) AS "messagesIn",
            COALESCE(c.messages_out, 0) AS "messagesOut"
       FROM buckets b LEFT JOIN counted c ON c.bucket = b.bucket
      ORDER BY b.bucket`,
    [query.from, query.to, query.timeZone, query.interval],
  );
}

/**
 * The first responses and resolutions of the period with their group key, for business hours, on
 * the statement's own connections (`ReportConnections`).
 */
export async function readReportDurations(
  connections: ReportConnections,
  query: PeriodQuery,
): Promise<DurationRow[]> {
  return reportRows<DurationRow>(
    connections.pool('durations'),
    `${factsSql(query.by, false)}
     SELECT 'first_response' AS kind, key::text AS key, fr_start AS "startedAt", fr_end AS "endedAt"
       FROM ticket_facts WHERE fr_end IS NOT NULL
     UNION ALL
     SELECT 'resolution', key::text, res_start, res_end FROM event_facts`,
    [query.from, query.to],
  );
}
