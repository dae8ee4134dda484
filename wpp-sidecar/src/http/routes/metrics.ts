/**
 * `GET /metrics`: Prometheus metrics (session state, outbox backlog, webhook deliveries, messages
 * forwarded, sends, Node's process metrics). Outside `/api`, so no API key: with METRICS_TOKEN set
 * it requires `Authorization: Bearer <token>`; without, keep the port private (docs/operations.md).
 */
import type { Express } from 'express';
import { AppError } from '../../errors';
import { metricsAuthorized, type SidecarMetrics } from '../../metrics';

/** Registers `GET /metrics`. */
export function registerMetricsRoutes(app: Express, metrics: SidecarMetrics, token: string | null): void {
  app.get('/metrics', async (req, res) => {
    if (!metricsAuthorized(req.headers.authorization, token)) {
      throw new AppError('unauthorized', 'Authorization: Bearer <METRICS_TOKEN> is required');
    }
    const text = await metrics.render();
    res.type(metrics.contentType).send(text);
  });
}
