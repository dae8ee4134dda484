/**
 * `GET /api/stats?from=&to=`: open tickets per agent, the waiting queue, median first-response and
 * resolution times and tickets per category over a period (default: the last 7 days).
 */
import { statsQuerySchema, statsSchema } from '@whatsapp-helpdesk/contract/api';
import type { Context } from '../../../context';
import { getTeamStats } from '../../../use-cases/reports/get-team-stats';
import type { ApiRouter } from './api-route';
import { toJson } from './views';

/** Registers the stats route. */
export function registerStatsRoutes(router: ApiRouter, context: Context): void {
  router.add({
    method: 'GET',
    url: '/api/stats',
    tag: 'stats',
    summary: 'Team statistics over a period',
    description:
      'Period: `from` (inclusive) to `to` (exclusive), default the last 7 days. Queue and per-agent ' +
      'counts are as of now; medians are over tickets first answered / resolved in the period.',
    auth: 'agent',
    query: statsQuerySchema,
    response: statsSchema,
    async handler({ query }) {
      return toJson(await getTeamStats(context.pool, query));
    },
  });
}
