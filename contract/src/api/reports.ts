/**
 * The team lead's reports (`GET /api/reports`, `GET /api/reports.csv`): tickets opened, resolved
 * and reopened, first-response and resolution times, messages, satisfaction (CSAT) and
 * response-time targets (SLA) over a period, per day or ISO week, and broken down by agent, team,
 * category or channel.
 */
import { z } from 'zod';
import { dateTimeSchema } from './common.ts';

const DAY_MS = 86_400_000;

/** Bucket size of the series: a day or an ISO week (Monday to Sunday) in the business's time zone. */
export const REPORT_INTERVALS = ['day', 'week'] as const;
export type ReportInterval = (typeof REPORT_INTERVALS)[number];

/**
 * What the breakdown groups tickets by: the ticket's assignee, its team (the team it was
 * transferred to, else its channel's team), its category, or its channel.
 */
export const REPORT_DIMENSIONS = ['agent', 'team', 'category', 'channel'] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

/** The tables a CSV export holds. */
export const REPORT_TABLES = ['series', 'breakdown'] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];

/** The longest period a report covers, in days. */
export const REPORT_MAX_DAYS = 366;

/** Count, median and 90th percentile of a duration in seconds (null without any). */
export const durationSummarySchema = z.object({
  count: z.number().int(),
  medianSeconds: z.number().int().nullable(),
  p90Seconds: z.number().int().nullable(),
});
export type DurationSummary = z.infer<typeof durationSummarySchema>;

/** One bucket of the series: what happened from `bucketStart` to the next bucket. */
export const reportBucketSchema = z.object({
  bucketStart: dateTimeSchema,
  opened: z.number().int(),
  resolved: z.number().int(),
  reopened: z.number().int(),
  messagesIn: z.number().int(),
  messagesOut: z.number().int(),
});
export type ReportBucket = z.infer<typeof reportBucketSchema>;

/**
 * One group of the breakdown (or the totals, with `key` and `label` null).
 * - opened: tickets opened in the period; resolved: changes from open/pending to resolved/closed
 *   in the period; reopened: reopenings in the period.
 * - firstResponse: tickets opened in the period that an agent answered (the first outbound
 *   message by an agent, not the bot), time from opening; resolution: the resolutions counted in
 *   `resolved`, time from opening. In business seconds when business hours are configured.
 * - messagesIn / messagesOut: messages from customers / to customers (agents, bot and system)
 *   written in the period on the group's tickets.
 * - csat: surveys sent in the period, the answers to them and their average score (1–5, null
 *   without answers); responseRate = responses / requested (null without requests).
 * - sla: targets (first response, resolution) of tickets opened in the period that were met or
 *   breached; attainment = met / (met + breached) (null when none is decided yet).
 */
export const reportRowSchema = z.object({
  key: z.string().nullable(),
  label: z.string().nullable(),
  opened: z.number().int(),
  resolved: z.number().int(),
  reopened: z.number().int(),
  firstResponse: durationSummarySchema,
  resolution: durationSummarySchema,
  messagesIn: z.number().int(),
  messagesOut: z.number().int(),
  csat: z.object({
    average: z.number().nullable(),
    responses: z.number().int(),
    requested: z.number().int(),
    responseRate: z.number().nullable(),
  }),
  sla: z.object({
    met: z.number().int(),
    breached: z.number().int(),
    attainment: z.number().nullable(),
  }),
});
export type ReportRow = z.infer<typeof reportRowSchema>;

/** `GET /api/reports` answer. */
export const periodReportSchema = z
  .object({
    period: z.object({ from: dateTimeSchema, to: dateTimeSchema, timeZone: z.string() }),
    interval: z.enum(REPORT_INTERVALS),
    by: z.enum(REPORT_DIMENSIONS),
    /** True: durations are counted in business hours (BUSINESS_HOURS); false: wall-clock. */
    businessHours: z.boolean(),
    series: z.array(reportBucketSchema),
    breakdown: z.array(reportRowSchema),
    totals: reportRowSchema,
  })
  .meta({ id: 'PeriodReport' });
export type PeriodReport = z.infer<typeof periodReportSchema>;

const reportQueryFields = {
  from: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
  to: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
  interval: z.enum(REPORT_INTERVALS, { message: 'must be day or week' }).default('day'),
  by: z.enum(REPORT_DIMENSIONS, { message: 'must be agent, team, category or channel' }).default('agent'),
  /** The language of category labels (the bot menu's titles): ar or en (default). */
  language: z.enum(['ar', 'en'], { message: 'must be ar or en' }).default('en'),
};

function toPeriod<T extends { from?: string | undefined; to?: string | undefined }>(
  query: T,
): Omit<T, 'from' | 'to'> & { from: Date; to: Date } {
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
  return { ...query, from, to };
}

function checkPeriod(period: { from: Date; to: Date }, context: z.RefinementCtx): void {
  if (period.from >= period.to) {
    context.addIssue({ code: 'custom', message: 'must be before to', path: ['from'] });
  } else if (period.to.getTime() - period.from.getTime() > REPORT_MAX_DAYS * DAY_MS) {
    context.addIssue({
      code: 'custom',
      message: `the period must be at most ${REPORT_MAX_DAYS} days`,
      path: ['from'],
    });
  }
}

/**
 * `GET /api/reports` query: `from` (inclusive, default 30 days before `to`) and `to` (exclusive,
 * default now), ISO 8601 with an offset, at most 366 days apart; `interval` day (default) or
 * week; `by` agent (default), team, category or channel; `language` of category labels, ar or
 * en (default).
 */
export const reportQuerySchema = z.object(reportQueryFields).transform(toPeriod).superRefine(checkPeriod);
export type ReportQueryInput = z.input<typeof reportQuerySchema>;
export type ReportQuery = z.output<typeof reportQuerySchema>;

/** `GET /api/reports.csv` query: the report's, and `table` series or breakdown (default). */
export const reportCsvQuerySchema = z
  .object({
    ...reportQueryFields,
    table: z.enum(REPORT_TABLES, { message: 'must be series or breakdown' }).default('breakdown'),
  })
  .transform(toPeriod)
  .superRefine(checkPeriod);
export type ReportCsvQuery = z.output<typeof reportCsvQuerySchema>;
