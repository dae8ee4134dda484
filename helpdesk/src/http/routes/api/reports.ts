/**
 * `GET /api/reports` and `GET /api/reports.csv` (admins): the period report (series per day or
 * ISO week, breakdown by agent, team, category or channel, totals) as JSON or one table as CSV.
 */
import { periodReportSchema, reportCsvQuerySchema, reportQuerySchema } from '@whatsapp-helpdesk/contract/api';
import type { Context } from '../../../context';
import { exportPeriodReportCsv } from '../../../use-cases/reports/export-period-report-csv';
import { getPeriodReport } from '../../../use-cases/reports/get-period-report';
import type { ApiRouter } from './api-route';
import { toJson } from './views';

const DESCRIPTION =
  'Period: `from` (inclusive) to `to` (exclusive), ISO 8601, default the last 30 days, at most 366 ' +
  'days. Buckets are days or ISO weeks in BUSINESS_TIMEZONE. First response: the first outbound ' +
  'message by an agent (not the bot) after the ticket opened, for tickets opened in the period; ' +
  'resolution: each change to resolved/closed in the period, timed from the opening; both in ' +
  'business seconds when BUSINESS_HOURS is configured (`businessHours` true), median and 90th ' +
  'percentile. CSAT: surveys sent in the period; SLA: targets of tickets opened in the period.';

/** Registers the report routes. */
export function registerReportRoutes(router: ApiRouter, context: Context): void {
  router.add({
    method: 'GET',
    url: '/api/reports.csv',
    tag: 'reports',
    summary: 'One table of the period report as CSV (UTF-8 with BOM, for Excel)',
    description: `${DESCRIPTION} \`table\`: series or breakdown (the totals are its last row).`,
    auth: 'admin',
    query: reportCsvQuerySchema,
    produces: 'text/csv',
    async handler({ query, response }) {
      const file = await exportPeriodReportCsv(context, query);
      response
        .status(200)
        .setHeader('content-type', 'text/csv; charset=utf-8')
        .setHeader('content-disposition', `attachment; filename="${file.filename}"`)
        .setHeader('cache-control', 'no-store')
        .send(Buffer.from(file.text, 'utf8'));
      return response;
    },
  });

  router.add({
    method: 'GET',
    url: '/api/reports',
    tag: 'reports',
    summary: 'Tickets, response times, messages, CSAT and SLA over a period',
    description: DESCRIPTION,
    auth: 'admin',
    query: reportQuerySchema,
    response: periodReportSchema,
    async handler({ query }) {
      return toJson(await getPeriodReport(context, query));
    },
  });
}
