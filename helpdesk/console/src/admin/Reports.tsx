/**
 * Admin page: the team lead's reports (`GET /api/reports`). A period (the last 7, 30 or 90 days,
 * or custom dates), day or ISO-week buckets and a breakdown (agent, team, category, channel);
 * a line chart of tickets over time and a bar chart of the breakdown drawn with Chart.js, right to
 * left in Arabic (time runs from the right, Arabic-Indic digits); one table per view with the
 * totals; CSV export of each table (`GET /api/reports.csv`, UTF-8 with BOM for Excel).
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type {
  PeriodReport,
  ReportDimension,
  ReportInterval,
  ReportRow,
} from '@whatsapp-helpdesk/contract/api';
import { ApiError, type SessionAgent } from '../api';
import { useI18n, type I18n, type Words } from '../i18n';
import { errorText } from '../shell/error-text';
import { ReportChart, type ReportChartData } from './ReportChart';
import './reports.css';

const DAY_MS = 86_400_000;
const PRESETS = [7, 30, 90] as const;
type Preset = (typeof PRESETS)[number] | 'custom';
const DIMENSIONS: ReadonlyArray<{ value: ReportDimension; word: keyof Words }> = [
  { value: 'agent', word: 'reportsByAgent' },
  { value: 'team', word: 'reportsByTeam' },
  { value: 'category', word: 'reportsByCategory' },
  { value: 'channel', word: 'reportsByChannel' },
];
/** Series colours: opened, resolved, reopened (readable on white, distinct for colour blindness). */
const COLORS = ['#0f7b6c', '#1f5fbf', '#c2410c'];

interface Query {
  from: string;
  to: string;
  interval: ReportInterval;
  by: ReportDimension;
}

/** `YYYY-MM-DD` of a local date (the value of `<input type="date">`). */
function dateInputValue(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The query's period: a preset ends now; custom runs from the first date's midnight to after the last date. */
function periodOf(preset: Preset, customFrom: string, customTo: string): { from: string; to: string } | null {
  if (preset !== 'custom') {
    const to = new Date();
    return { from: new Date(to.getTime() - preset * DAY_MS).toISOString(), to: to.toISOString() };
  }
  const from = new Date(`${customFrom}T00:00:00`);
  const last = new Date(`${customTo}T00:00:00`);
  if (Number.isNaN(from.getTime()) || Number.isNaN(last.getTime())) return null;
  const to = new Date(last.getFullYear(), last.getMonth(), last.getDate() + 1);
  if (to <= from || to.getTime() - from.getTime() > 366 * DAY_MS) return null;
  return { from: from.toISOString(), to: to.toISOString() };
}

function searchOf(query: Query, extra: Record<string, string> = {}, language?: string): string {
  const params = new URLSearchParams({ ...query, ...(language ? { language } : {}), ...extra });
  return params.toString();
}

/** Number, duration and ratio formats of the console's language (Arabic-Indic digits in Arabic). */
function formats(i18n: I18n) {
  const locale = i18n.language === 'ar' ? 'ar-EG' : 'en-GB';
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const oneDecimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const { t } = i18n;
  return {
    integer: (value: number) => integer.format(value),
    decimal: (value: number | null) => (value === null ? '–' : decimal.format(value)),
    percent: (value: number | null) => (value === null ? '–' : percent.format(value)),
    duration(seconds: number | null): string {
      if (seconds === null) return '–';
      if (seconds < 3600) return `${integer.format(Math.round(seconds / 60))} ${t.reportsMinutesShort}`;
      if (seconds < DAY_MS / 1000) return `${oneDecimal.format(seconds / 3600)} ${t.reportsHoursShort}`;
      return `${oneDecimal.format(seconds / 86_400)} ${t.reportsDaysShort}`;
    },
  };
}

async function fetchReport(search: string): Promise<PeriodReport> {
  const response = await fetch(`/api/reports?${search}`, {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  const body = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
  if (!response.ok)
    throw new ApiError(response.status, body.error ?? 'error', body.message ?? response.statusText);
  return body as PeriodReport;
}

/** @param agent the signed-in agent (the page is for admins; the API refuses others). */
export function Reports({ agent }: { agent: SessionAgent }) {
  const i18n = useI18n();
  const { t, language } = i18n;
  const rtl = language === 'ar';
  const format = useMemo(() => formats(i18n), [i18n]);
  const today = dateInputValue(new Date());
  const [preset, setPreset] = useState<Preset>(30);
  const [customFrom, setCustomFrom] = useState(dateInputValue(new Date(Date.now() - 29 * DAY_MS)));
  const [customTo, setCustomTo] = useState(today);
  const [interval, setBucketInterval] = useState<ReportInterval>('day');
  const [by, setBy] = useState<ReportDimension>('agent');
  const [query, setQuery] = useState<Query | null>(null);
  const [report, setReport] = useState<PeriodReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function apply(event?: FormEvent) {
    event?.preventDefault();
    const period = periodOf(preset, customFrom, customTo);
    if (!period) {
      setError(t.reportsBadPeriod);
      return;
    }
    setError(null);
    setQuery({ ...period, interval, by });
  }

  useEffect(() => {
    apply();
    // The first report: the defaults, once when the page opens.
  }, []);

  useEffect(() => {
    if (!query) return;
    let current = true;
    setBusy(true);
    fetchReport(searchOf(query, {}, language))
      .then((answer) => current && setReport(answer))
      .catch((caught: unknown) => current && setError(errorText(caught, i18n)))
      .finally(() => current && setBusy(false));
    return () => {
      current = false;
    };
  }, [query, language]);

  const dayLabel = useMemo(
    () =>
      new Intl.DateTimeFormat(rtl ? 'ar-EG' : 'en-GB', {
        day: 'numeric',
        month: 'short',
        timeZone: report?.period.timeZone,
      }),
    [rtl, report?.period.timeZone],
  );

  const labelOf = (row: ReportRow) => row.label ?? t.reportsNone;

  const seriesChart = useMemo<ReportChartData | null>(
    () =>
      report && {
        labels: report.series.map((bucket) => dayLabel.format(new Date(bucket.bucketStart))),
        series: (['opened', 'resolved', 'reopened'] as const).map((field, index) => ({
          label: t[`reports_${field}`],
          data: report.series.map((bucket) => bucket[field]),
          color: COLORS[index]!,
        })),
      },
    [report, dayLabel, t],
  );

  const breakdownChart = useMemo<ReportChartData | null>(
    () =>
      report && {
        labels: report.breakdown.map(labelOf),
        series: (['opened', 'resolved'] as const).map((field, index) => ({
          label: t[`reports_${field}`],
          data: report.breakdown.map((row) => row[field]),
          color: COLORS[index]!,
        })),
      },
    [report, t],
  );

  const columns: ReadonlyArray<{ word: keyof Words; cell: (row: ReportRow) => string; field: string }> = [
    { word: 'reports_opened', field: 'opened', cell: (row) => format.integer(row.opened) },
    { word: 'reports_resolved', field: 'resolved', cell: (row) => format.integer(row.resolved) },
    { word: 'reports_reopened', field: 'reopened', cell: (row) => format.integer(row.reopened) },
    {
      word: 'reportsFirstResponseMedian',
      field: 'first-response-median',
      cell: (row) => format.duration(row.firstResponse.medianSeconds),
    },
    {
      word: 'reportsFirstResponseP90',
      field: 'first-response-p90',
      cell: (row) => format.duration(row.firstResponse.p90Seconds),
    },
    {
      word: 'reportsResolutionMedian',
      field: 'resolution-median',
      cell: (row) => format.duration(row.resolution.medianSeconds),
    },
    {
      word: 'reportsResolutionP90',
      field: 'resolution-p90',
      cell: (row) => format.duration(row.resolution.p90Seconds),
    },
    { word: 'reportsMessagesIn', field: 'messages-in', cell: (row) => format.integer(row.messagesIn) },
    { word: 'reportsMessagesOut', field: 'messages-out', cell: (row) => format.integer(row.messagesOut) },
    { word: 'reportsCsatAverage', field: 'csat-average', cell: (row) => format.decimal(row.csat.average) },
    { word: 'reportsCsatRate', field: 'csat-rate', cell: (row) => format.percent(row.csat.responseRate) },
    { word: 'reportsSla', field: 'sla', cell: (row) => format.percent(row.sla.attainment) },
  ];

  const csvHref = (table: 'series' | 'breakdown') =>
    query ? `/api/reports.csv?${searchOf(query, { table }, language)}` : undefined;

  return (
    <div className="reports-page" data-testid="reports-page">
      <p className="muted">{t.reportsHint}</p>
      {agent.role !== 'admin' && <p className="error">{t.error_forbidden}</p>}
      <form className="reports-controls" onSubmit={apply}>
        <fieldset className="reports-presets">
          <legend>{t.reportsPeriod}</legend>
          {PRESETS.map((days) => (
            <label key={days}>
              <input
                type="radio"
                name="reports-preset"
                value={days}
                checked={preset === days}
                onChange={() => setPreset(days)}
              />
              {t[`reportsLast${days}`]}
            </label>
          ))}
          <label>
            <input
              type="radio"
              name="reports-preset"
              value="custom"
              checked={preset === 'custom'}
              onChange={() => setPreset('custom')}
            />
            {t.reportsCustom}
          </label>
          {preset === 'custom' && (
            <span className="reports-dates">
              <label>
                {t.reportsFrom}{' '}
                <input
                  type="date"
                  name="reports-from"
                  value={customFrom}
                  max={customTo}
                  onChange={(event) => setCustomFrom(event.target.value)}
                />
              </label>
              <label>
                {t.reportsTo}{' '}
                <input
                  type="date"
                  name="reports-to"
                  value={customTo}
                  min={customFrom}
                  onChange={(event) => setCustomTo(event.target.value)}
                />
              </label>
            </span>
          )}
        </fieldset>
        <label>
          {t.reportsInterval}{' '}
          <select
            name="reports-interval"
            value={interval}
            onChange={(event) => setBucketInterval(event.target.value as ReportInterval)}
          >
            <option value="day">{t.reportsDay}</option>
            <option value="week">{t.reportsWeek}</option>
          </select>
        </label>
        <label>
          {t.reportsBy}{' '}
          <select
            name="reports-by"
            value={by}
            onChange={(event) => setBy(event.target.value as ReportDimension)}
          >
            {DIMENSIONS.map((dimension) => (
              <option key={dimension.value} value={dimension.value}>
                {t[dimension.word]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy}>
          {t.reportsApply}
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {busy && !report && <p className="muted">{t.loading}</p>}
      {report && (
        <>
          <p className="muted" data-testid="reports-time-basis">
            {report.businessHours ? t.reportsBusinessHours : t.reportsWallClock}
          </p>
          <section className="reports-section" aria-labelledby="reports-series-title">
            <div className="reports-section-head">
              <h3 id="reports-series-title">{t.reportsSeries}</h3>
              <a className="button" href={csvHref('series')} download data-testid="reports-csv-series">
                {t.reportsExportCsv}
              </a>
            </div>
            {seriesChart && (
              <ReportChart
                kind="line"
                data={seriesChart}
                rtl={rtl}
                label={t.reportsSeries}
                testId="reports-series-chart"
              />
            )}
            <details className="reports-table-wrap">
              <summary>{t.reportsShowTable}</summary>
              <table className="reports-table" data-testid="reports-series-table">
                <thead>
                  <tr>
                    <th scope="col">{report.interval === 'week' ? t.reportsWeekOf : t.reportsDate}</th>
                    <th scope="col">{t.reports_opened}</th>
                    <th scope="col">{t.reports_resolved}</th>
                    <th scope="col">{t.reports_reopened}</th>
                    <th scope="col">{t.reportsMessagesIn}</th>
                    <th scope="col">{t.reportsMessagesOut}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.series.map((bucket) => (
                    <tr key={bucket.bucketStart} data-bucket={bucket.bucketStart}>
                      <th scope="row">{dayLabel.format(new Date(bucket.bucketStart))}</th>
                      <td>{format.integer(bucket.opened)}</td>
                      <td>{format.integer(bucket.resolved)}</td>
                      <td>{format.integer(bucket.reopened)}</td>
                      <td>{format.integer(bucket.messagesIn)}</td>
                      <td>{format.integer(bucket.messagesOut)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </section>
          <section className="reports-section" aria-labelledby="reports-breakdown-title">
            <div className="reports-section-head">
              <h3 id="reports-breakdown-title">
                {t.reportsBreakdown}: {t[DIMENSIONS.find((dimension) => dimension.value === report.by)!.word]}
              </h3>
              <a className="button" href={csvHref('breakdown')} download data-testid="reports-csv-breakdown">
                {t.reportsExportCsv}
              </a>
            </div>
            {breakdownChart && report.breakdown.length > 0 && (
              <ReportChart
                kind="bar"
                data={breakdownChart}
                rtl={rtl}
                label={t.reportsBreakdown}
                testId="reports-breakdown-chart"
              />
            )}
            <div className="reports-table-wrap">
              <table className="reports-table" data-testid="reports-breakdown-table">
                <thead>
                  <tr>
                    <th scope="col">
                      {t[DIMENSIONS.find((dimension) => dimension.value === report.by)!.word]}
                    </th>
                    {columns.map((column) => (
                      <th scope="col" key={column.field}>
                        {t[column.word]}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {report.breakdown.length === 0 && (
                    <tr>
                      <td colSpan={columns.length + 1} className="muted">
                        {t.reportsEmpty}
                      </td>
                    </tr>
                  )}
                  {report.breakdown.map((row) => (
                    <tr key={row.key ?? ''} data-key={row.key ?? ''}>
                      <th scope="row" dir="auto">
                        {labelOf(row)}
                      </th>
                      {columns.map((column) => (
                        <td key={column.field} data-field={column.field}>
                          {column.cell(row)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr data-key="total">
                    <th scope="row">{t.reportsTotal}</th>
                    {columns.map((column) => (
                      <td key={column.field} data-field={column.field}>
                        {column.cell(report.totals)}
                      </td>
                    ))}
                  </tr>
                </tfoot>
              </table>
            </div>
          </section>
        </>
      )}
    </div>
  );
}
