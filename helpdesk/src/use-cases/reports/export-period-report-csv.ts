/**
 * One table of the period report as CSV (`GET /api/reports.csv`): UTF-8 with a byte-order mark so
 * that Excel reads Arabic names correctly, one header row of stable English column names, written
 * by csv-stringify (quoting per RFC 4180).
 */
import { stringify } from 'csv-stringify/sync';
import type {
  ReportDimension,
  ReportInterval,
  ReportRow,
  ReportTable,
} from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { getPeriodReport } from './get-period-report';

/** The byte-order mark Excel needs to read a CSV file as UTF-8. */
export const UTF8_BOM = '\uFEFF';

/** Breakdown columns, in order; the totals come last with the label "Total" / "المجموع". */
export const BREAKDOWN_COLUMNS = [
  'key',
  'label',
  'opened',
  'resolved',
  'reopened',
  'first_response_count',
  'first_response_median_seconds',
  'first_response_p90_seconds',
  'resolution_count',
  'resolution_median_seconds',
  'resolution_p90_seconds',
  'messages_in',
  'messages_out',
  'csat_average',
  'csat_responses',
  'csat_requested',
  'csat_response_rate',
  'sla_met',
  'sla_breached',
  'sla_attainment',
] as const;

/** Series columns, in order: the bucket's first instant (ISO 8601) and local date, then counts. */
export const SERIES_COLUMNS = [
  'bucket_start',
  'bucket_date',
  'opened',
  'resolved',
  'reopened',
  'messages_in',
  'messages_out',
] as const;

type Cell = string | number | null;

function breakdownCells(row: ReportRow, label: string | null): Cell[] {
  return [
    row.key,
    label,
    row.opened,
    row.resolved,
    row.reopened,
    row.firstResponse.count,
    row.firstResponse.medianSeconds,
    row.firstResponse.p90Seconds,
    row.resolution.count,
    row.resolution.medianSeconds,
    row.resolution.p90Seconds,
    row.messagesIn,
    row.messagesOut,
    row.csat.average,
    row.csat.responses,
    row.csat.requested,
    row.csat.responseRate === null ? null : Math.round(row.csat.responseRate * 10_000) / 10_000,
    row.sla.met,
    row.sla.breached,
    row.sla.attainment === null ? null : Math.round(row.sla.attainment * 10_000) / 10_000,
  ];
}

/**
 * @param query the report's query and `table` (series or breakdown).
 * @returns the file name (`report-<by|interval>-<from date>-<to date>.csv`) and the text, BOM first.
 */
export async function exportPeriodReportCsv(
  deps: Pick<Deps, 'reportConnections' | 'config' | 'bot'>,
  query: {
    from: Date;
    to: Date;
    interval: ReportInterval;
    by: ReportDimension;
    language: 'ar' | 'en';
    table: ReportTable;
  },
): Promise<{ filename: string; text: string }> {
  const report = await getPeriodReport(deps, query);
  const day = new Intl.DateTimeFormat('en-CA', {
    timeZone: report.period.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  let records: Cell[][];
  if (query.table === 'series') {
    records = [
      [...SERIES_COLUMNS],
      ...report.series.map((bucket) => [
        bucket.bucketStart.toISOString(),
        day.format(bucket.bucketStart),
        bucket.opened,
        bucket.resolved,
        bucket.reopened,
        bucket.messagesIn,
        bucket.messagesOut,
      ]),
    ];
  } else {
    records = [
      [...BREAKDOWN_COLUMNS],
      ...report.breakdown.map((row) => breakdownCells(row, row.label)),
      breakdownCells(report.totals, query.language === 'ar' ? 'المجموع' : 'Total'),
    ];
  }
  const name = query.table === 'series' ? `series-${query.interval}` : `by-${query.by}`;
  return {
    filename: `report-${name}-${day.format(query.from)}-${day.format(new Date(query.to.getTime() - 1))}.csv`,
    text: UTF8_BOM + stringify(records, { record_delimiter: 'windows' }),
  };
}
