/**
 * `GET /api/stats?from=&to=`: open tickets per agent, the waiting queue, median first-response and
 * resolution times and tickets per category over a period (default: the last 7 days).
 */
import { z } from 'zod';
import type { Context } from '../../../context';
import { getTeamStats } from '../../../services/stats';
import type { ApiRouter } from './api-route';
import { statsView } from './views';

const DAY_MS = 86_400_000;

const statsQuery = z
  .object({
    from: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
    to: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
  })
  .transform((query) => {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 7 * DAY_MS);
    return { from, to };
  })
  .refine((period) => period.from < period.to, { message: 'must be before to', path: ['from'] })
  .refine((period) => period.to.getTime() - period.from.getTime() <= 366 * DAY_MS, {
    message: 'the period must be at most 366 days',
    path: ['from'],
  });

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
    query: statsQuery,
    response: statsView,
    async handler({ query }) {
      return getTeamStats(context.db, query);
    },
  });
}
