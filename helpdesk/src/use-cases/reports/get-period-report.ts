/**
 * The team lead's period report (`GET /api/reports`): a series per day or ISO week and a breakdown
 * by agent, team, category or channel with the totals. Durations (first response, resolution) are
 * counted in business hours when BUSINESS_HOURS is configured, else wall-clock; the store's
 * docstring gives every definition.
 */
import type {
  PeriodReport,
  ReportDimension,
  ReportInterval,
  ReportRow,
} from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { businessSecondsBetween } from '../../domain/business-seconds';
import { ticketCategories } from '../../domain/ticket-categories';
import {
  readReportBreakdown,
  readReportDurations,
  readReportSeries,
  type BreakdownRow,
  type PeriodQuery,
} from '../../store/reports-period';

/** The report with dates as Date (the route serialises them). */
export type PeriodReportData = Omit<PeriodReport, 'period' | 'series'> & {
  period: { from: Date; to: Date; timeZone: string };
  series: Array<Omit<PeriodReport['series'][number], 'bucketStart'> & { bucketStart: Date }>;
};

/**
 * The percentile of sorted values with linear interpolation between neighbours, as PostgreSQL's
 * percentile_cont computes it.
 * @returns null for no values.
 */
export function percentileCont(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const position = fraction * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

const round = (value: number | null) => (value === null ? null : Math.round(value));
const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

function toRow(row: BreakdownRow, label: string | null): ReportRow {
  return {
    key: row.total ? null : row.key,
    label: row.total ? null : label,
    opened: row.opened,
    resolved: row.resolved,
    reopened: row.reopened,
    firstResponse: {
      count: row.firstResponseCount,
      medianSeconds: round(row.firstResponseMedian),
      p90Seconds: round(row.firstResponseP90),
    },
    resolution: {
      count: row.resolutionCount,
      medianSeconds: round(row.resolutionMedian),
      p90Seconds: round(row.resolutionP90),
    },
    messagesIn: row.messagesIn,
    messagesOut: row.messagesOut,
    csat: {
      average: row.csatAverage === null ? null : Math.round(row.csatAverage * 100) / 100,
      responses: row.csatResponses,
      requested: row.csatRequested,
      responseRate: ratio(row.csatResponses, row.csatRequested),
    },
    sla: {
      met: row.slaMet,
      breached: row.slaBreached,
      attainment: ratio(row.slaMet, row.slaMet + row.slaBreached),
    },
  };
}

/**
 * Replaces the wall-clock percentiles with business-hours ones, per group and for the totals.
 */
async function applyBusinessHours(
  deps: Pick<Deps, 'reportConnections' | 'config'>,
  query: PeriodQuery,
  breakdown: BreakdownRow[],
): Promise<void> {
  const schedule = deps.config.businessHours;
  const timeZone = deps.config.businessTimeZone;
  const durations = await readReportDurations(deps.reportConnections, query);
  const groups = new Map<string, { firstResponse: number[]; resolution: number[] }>();
  const groupOf = (name: string) => {
    let group = groups.get(name);
    if (!group) {
      group = { firstResponse: [], resolution: [] };
      groups.set(name, group);
    }
    return group;
  };
  const TOTAL = '\u0000total';
  const NO_KEY = '\u0000none';
  for (const duration of durations) {
    const seconds = businessSecondsBetween(duration.startedAt, duration.endedAt, schedule, timeZone);
    const list = duration.kind === 'first_response' ? 'firstResponse' : 'resolution';
    groupOf(duration.key ?? NO_KEY)[list].push(seconds);
    groupOf(TOTAL)[list].push(seconds);
  }
  for (const row of breakdown) {
    const group = groups.get(row.total ? TOTAL : (row.key ?? NO_KEY)) ?? {
      firstResponse: [],
      resolution: [],
    };
    const firstResponse = group.firstResponse.sort((a, b) => a - b);
    const resolution = group.resolution.sort((a, b) => a - b);
    row.firstResponseMedian = percentileCont(firstResponse, 0.5);
    row.firstResponseP90 = percentileCont(firstResponse, 0.9);
    row.resolutionMedian = percentileCont(resolution, 0.5);
    row.resolutionP90 = percentileCont(resolution, 0.9);
  }
}

/**
 * @param query.from inclusive, query.to exclusive (at most 366 days apart: the contract checks);
 *   query.interval day or week (ISO, Monday) in BUSINESS_TIMEZONE; query.by the breakdown;
 *   query.language the language of category labels (the bot menu's titles).
 * @returns the report: series oldest first with empty buckets, breakdown most opened first, totals.
 */
export async function getPeriodReport(
  deps: Pick<Deps, 'reportConnections' | 'config' | 'bot'>,
  query: { from: Date; to: Date; interval: ReportInterval; by: ReportDimension; language: 'ar' | 'en' },
): Promise<PeriodReportData> {
  const timeZone = deps.config.businessTimeZone;
  const periodQuery: PeriodQuery = { ...query, timeZone };
  const [breakdown, series] = await Promise.all([
    readReportBreakdown(deps.reportConnections, periodQuery),
    readReportSeries(deps.reportConnections, periodQuery),
  ]);
  const businessHours = deps.config.businessHours !== null;
  if (businessHours) await applyBusinessHours(deps, periodQuery, breakdown);
  const categoryTitles = new Map(
    ticketCategories(deps.bot.texts).map((category) => [category.id, category[query.language]]),
  );
  const labelOf = (row: BreakdownRow) =>
    query.by === 'category' && row.key !== null ? (categoryTitles.get(row.key) ?? row.key) : row.label;
  // The store always returns the totals (readReportBreakdown).
  const totalRow = breakdown.find((row) => row.total)!;
  return {
    period: { from: query.from, to: query.to, timeZone },
    interval: query.interval,
    by: query.by,
    businessHours,
    series,
    breakdown: breakdown.filter((row) => !row.total).map((row) => toRow(row, labelOf(row))),
    totals: toRow(totalRow, null),
  };
}
