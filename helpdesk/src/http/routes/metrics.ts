/**
 * `GET /metrics`: Prometheus metrics of this process (webhooks, jobs, messages, assignment waits,
 * Node's process metrics) and the shared ones read at scrape time (queue depths, ticket counts).
 * Not behind agent sign-in (Prometheus scrapes it): with METRICS_TOKEN set it requires
 * `Authorization: Bearer <token>`; without, keep the path off the public internet (docs/operations.md).
 */
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context';
import { AppError } from '../../errors';
import { createSharedMetrics, metricsAuthorized, processRegistry, renderMetrics } from '../../infra/metrics';

/** Registers `GET /metrics` for this helpdesk's queues and database. */
export function registerMetricsRoute(app: FastifyInstance, context: Context): void {
  const shared = createSharedMetrics({ queues: context.queues, pool: context.pool, log: context.log });
  app.get('/metrics', async (request, reply) => {
    if (!metricsAuthorized(request.headers.authorization, context.config.metrics.token)) {
      throw new AppError('unauthorized', 'Authorization: Bearer <METRICS_TOKEN> is required');
    }
    const text = await renderMetrics(shared);
    return reply.type(processRegistry.contentType).send(text);
  });
}
