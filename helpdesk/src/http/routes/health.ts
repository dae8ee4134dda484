/**
 * `GET /health`: 200 when the database and Redis answer, 503 otherwise, with each part's state
 * and detail: `{ status, database, redis, details: { database, deadLetters } }` where
 * `details.database` is the reachability the webhooks go by (see infra/database-health.ts) and
 * `details.deadLetters` the failed jobs per queue, kept until re-driven (`jobs:failed`,
 * `jobs:retry`; null when Redis cannot be read). Dead letters do not make the answer 503: the
 * service works, an operator has something to look at.
 *
 * Registering it starts this API's database probe (stopped when the server closes).
 */
import type { Express } from 'express';
import type { Context } from '../../context';
import { databaseHealthFor } from '../../infra/database-health';
import type { ServerLifecycle } from '../lifecycle';

/** Registers `GET /health`. @param lifecycle stops the database probe when the server closes. */
export function registerHealthRoutes(app: Express, context: Context, lifecycle: ServerLifecycle): void {
  const databaseHealth = databaseHealthFor(context.pool).start({
    ...context.config.databaseProbe,
    log: context.log,
  });
  lifecycle.afterClose(() => databaseHealth.stop());

  app.get('/health', async (_request, response) => {
    const [database, redis, deadLetters] = await Promise.all([
      databaseHealth.probe(),
      context.redis.ping().then(
        (answer) => answer === 'PONG',
        () => false,
      ),
      Promise.all([context.queues.inbound.getFailedCount(), context.queues.outbound.getFailedCount()]).then(
        ([inbound, outbound]) => ({ inbound, outbound }),
        () => null,
      ),
    ]);
    const ok = database && redis;
    response.status(ok ? 200 : 503).json({
      status: ok ? 'ok' : 'degraded',
      database,
      redis,
      details: { database: databaseHealth.snapshot(), deadLetters },
    });
  });
}
