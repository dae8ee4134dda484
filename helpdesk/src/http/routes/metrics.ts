/**
 * `GET /metrics`: Prometheus metrics of this process (webhooks, jobs, messages, assignment waits,
 * Node's process metrics) and the shared ones read at scrape time (queue depths, ticket counts).
 * Not behind agent sign-in (Prometheus scrapes it): it requires `Authorization: Bearer <METRICS_TOKEN>`
 * (generated on first start by scripts/setup-env.mjs); without a configured token every scrape is
 * refused, so no deployment serves its metrics (and runs their count queries) to anyone by default.
 */
import type { Express } from 'express';
import type { Context } from '../../context';
import { AppError } from '../../errors';
import { createSharedMetrics, metricsAuthorized, processRegistry, renderMetrics } from '../../infra/metrics';

/** Registers `GET /metrics` for this helpdesk's queues and database. */
export function registerMetricsRoute(app: Express, context: Context): void {
  const shared = createSharedMetrics({
    queues: context.queues,
    pool: context.pool,
    databaseHealth: context.databaseHealth,
    log: context.log,
  });
  app.get('/metrics', async (request, response) => {
    const token = context.config.metrics.token;
    if (!token) {
      throw new AppError(
        'unauthorized',
        'metrics are off: set METRICS_TOKEN and scrape with it as a Bearer token',
      );
    }
    if (!metricsAuthorized(request.headers.authorization, token)) {
      throw new AppError('unauthorized', 'Authorization: Bearer <METRICS_TOKEN> is required');
    }
    const text = await renderMetrics(shared);
    response.type(processRegistry.contentType).send(text);
  });
}
