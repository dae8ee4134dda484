/**
 * The period report as PostgreSQL computes it, set-based: every fact of the period (a ticket
 * opened, a resolution, a reopening, a message, a survey sent) is one row of one CTE, joined once
 * to its ticket for the breakdown key, then grouped by key (with the totals as a grouping set) or
 * by bucket. Percentiles of durations come from percentile_cont (wall-clock); when business hours
 * apply, `readReportDurations` returns the raw start/end pairs for the use case to count.
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
import { rows, type Queryable } from './sql';

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

/** The breakdown key and label per dimension, with the joins they need (a fixed list: no input). */
const DIMENSIONS: Record<ReportDimension, { key: string; label: string; joins: string }> = {
  agent: {
    key: 't.assignee_id::text',
    label: 'a.name',
    joins: 'LEFT JOIN agents a ON a.id = t.assignee_id',
  },
  team: {
    key: 'COALESCE(t.team_id, c.team_id)::text',
    label: 'tm.name',
    joins: `LEFT JOIN channels c ON c.provider = t.provider AND c.key = t.channel
            LEFT JOIN teams tm ON tm.id = COALESCE(t.team_id, c.team_id)`,
  },
  category: { key: 't.category', label: 't.category', joins: '' },
  channel: {
    key: 't.channel',
    label: 'COALESCE(c.name, t.channel)',
    joins: 'LEFT JOIN channels c ON c.provider = t.provider AND c.key = t.channel',
  },
};

/**
 * How the period's messages enter the facts. Counted first, so that a year's two million
 * messages reach the join to their tickets as one row per ticket (or per ticket and bucket), read
 * from the covering index messages_created_at_idx without touching the table:
 * per_ticket for the breakdown (`at` is then the ticket's first message of the period, unused);
 * per_bucket for the series (`$3` time zone, `$4` day or week: `at` stays in its bucket);
 * none where only durations are read.
 */
type MessageFacts = 'per_ticket' | 'per_bucket' | 'none';

const MESSAGE_GROUPS: Record<Exclude<MessageFacts, 'none'>, string> = {
  per_ticket: 'm.ticket_id',
  per_bucket: 'm.ticket_id, date_trunc($4, m.created_at AT TIME ZONE $3)',
};

/**
 * The facts of the period joined to their tickets' key: `$1` from, `$2` to (timestamptz).
 * Columns: ticket_id, at, key, label, opened, resolved, reopened, msg_in, msg_out, fr_start,
 * fr_end, res_start, res_end, csat_requested, csat_score, sla_met, sla_breached.
 */
function factsSql(by: ReportDimension, messages: MessageFacts): string {
  const dimension = DIMENSIONS[by];
  // msg_in and msg_out are counts here (summed like the other facts).
  const messageFacts =
    messages === 'none'
      ? ''
      : `UNION ALL
      SELECT m.ticket_id, min(m.created_at), 0, 0, 0,
             count(*) FILTER (WHERE m.direction = 'inbound')::int, count(*) FILTER (WHERE m.direction = 'outbound')::int,
             NULL, NULL, NULL, NULL, 0, NULL, 0, 0
        FROM messages m
       WHERE m.created_at >= $1 AND m.created_at < $2
       GROUP BY ${MESSAGE_GROUPS[messages]}`;
  return `
    WITH first_answers AS MATERIALIZED (
      SELECT t.id AS ticket_id, t.opened_at, t.resolved_at, t.first_response_due_at, t.first_response_breached_at,
             t.resolution_due_at, t.resolution_breached_at, min(r.created_at) AS answered_at
        FROM tickets t
        LEFT JOIN messages r ON r.ticket_id = t.id AND r.direction = 'outbound' AND r.author = 'agent'
                            AND r.created_at >= t.opened_at
       WHERE t.opened_at >= $1 AND t.opened_at < $2
       GROUP BY t.id
    ),
    facts AS (
      SELECT f.ticket_id, f.opened_at AS at, 1 AS opened, 0 AS resolved, 0 AS reopened, 0 AS msg_in, 0 AS msg_out,
             f.opened_at AS fr_start, f.answered_at AS fr_end, NULL::timestamptz AS res_start, NULL::timestamptz AS res_end,
             0 AS csat_requested, NULL::int AS csat_score,
             (COALESCE(f.first_response_breached_at IS NULL AND f.answered_at <= f.first_response_due_at, false)::int
              + COALESCE(f.resolution_breached_at IS NULL AND f.resolved_at <= f.resolution_due_at, false)::int) AS sla_met,
             (COALESCE(f.first_response_breached_at IS NOT NULL
                       OR (f.first_response_due_at IS NOT NULL AND f.answered_at > f.first_response_due_at), false)::int
              + COALESCE(f.resolution_breached_at IS NOT NULL
                       OR (f.resolution_due_at IS NOT NULL AND f.resolved_at > f.resolution_due_at), false)::int) AS sla_breached
        FROM first_answers f
      UNION ALL
      SELECT e.ticket_id, e.created_at, 0, 1, 0, 0, 0, NULL, NULL, t.opened_at, e.created_at, 0, NULL, 0, 0
        FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
       WHERE e.type = '${STATUS_CHANGED}' AND e.created_at >= $1 AND e.created_at < $2
         AND e.data->>'from' IN (${ACTIVE.map((status) => `'${status}'`).join(', ')})
         AND e.data->>'to' IN (${DONE.map((status) => `'${status}'`).join(', ')})
      UNION ALL
      SELECT e.ticket_id, e.created_at, 0, 0, 1, 0, 0, NULL, NULL, NULL, NULL, 0, NULL, 0, 0
        FROM ticket_events e
       WHERE e.type = '${REOPENED}' AND e.created_at >= $1 AND e.created_at < $2
      ${messageFacts}
      UNION ALL
      SELECT t.id, t.csat_requested_at, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, 1, t.csat_score, 0, 0
        FROM tickets t
       WHERE t.csat_requested_at >= $1 AND t.csat_requested_at < $2
    ),
    keyed AS (
      SELECT facts.*, ${dimension.key} AS key, ${dimension.label} AS label
        FROM facts JOIN tickets t ON t.id = facts.ticket_id
        ${dimension.joins}
    )`;
}

/** The breakdown by `by`, one row per key, and the totals (`total` true). */
export async function readReportBreakdown(db: Queryable, query: PeriodQuery): Promise<BreakdownRow[]> {
  const seconds = (end: string, start: string) => `extract(epoch FROM ${end} - ${start})`;
  return rows<BreakdownRow>(
    db,
    `${factsSql(query.by, 'per_ticket')}
     SELECT GROUPING(key) = 1 AS total, key, min(label) AS label,
            sum(opened)::int AS opened, sum(resolved)::int AS resolved, sum(reopened)::int AS reopened,
            sum(msg_in)::int AS "messagesIn", sum(msg_out)::int AS "messagesOut",
            count(fr_end)::int AS "firstResponseCount",
            percentile_cont(0.5) WITHIN GROUP (ORDER BY ${seconds('fr_end', 'fr_start')})::float8 AS "firstResponseMedian",
            percentile_cont(0.9) WITHIN GROUP (ORDER BY ${seconds('fr_end', 'fr_start')})::float8 AS "firstResponseP90",
            count(res_end)::int AS "resolutionCount",
            percentile_cont(0.5) WITHIN GROUP (ORDER BY ${seconds('res_end', 'res_start')})::float8 AS "resolutionMedian",
            percentile_cont(0.9) WITHIN GROUP (ORDER BY ${seconds('res_end', 'res_start')})::float8 AS "resolutionP90",
            sum(csat_requested)::int AS "csatRequested",
            count(csat_score)::int AS "csatResponses",
            avg(csat_score)::float8 AS "csatAverage",
            sum(sla_met)::int AS "slaMet", sum(sla_breached)::int AS "slaBreached"
       FROM keyed
      GROUP BY GROUPING SETS ((key), ())
      ORDER BY GROUPING(key), sum(opened) DESC, min(label) NULLS LAST, key NULLS LAST`,
    [query.from, query.to],
  );
}

/**
 * The series: every day or ISO week (Monday) of the period in `timeZone`, empty ones included,
 * each bucket starting at its local midnight (the first one may start before `from`).
 */
export async function readReportSeries(db: Queryable, query: PeriodQuery): Promise<SeriesRow[]> {
  return rows<SeriesRow>(
    db,
    `${factsSql(query.by, 'per_bucket')},
     counted AS (
       SELECT date_trunc($4, at AT TIME ZONE $3) AS bucket,
              sum(opened)::int AS opened, sum(resolved)::int AS resolved, sum(reopened)::int AS reopened,
              sum(msg_in)::int AS messages_in, sum(msg_out)::int AS messages_out
         FROM facts GROUP BY 1
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

/** The first responses and resolutions of the period with their group key, for business hours. */
export async function readReportDurations(db: Queryable, query: PeriodQuery): Promise<DurationRow[]> {
  return rows<DurationRow>(
    db,
    `${factsSql(query.by, 'none')}
     SELECT 'first_response' AS kind, key, fr_start AS "startedAt", fr_end AS "endedAt"
       FROM keyed WHERE fr_end IS NOT NULL
     UNION ALL
     SELECT 'resolution', key, res_start, res_end FROM keyed WHERE res_end IS NOT NULL`,
    [query.from, query.to],
  );
}
