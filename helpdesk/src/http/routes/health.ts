/**
 * `GET /health`: 200 when the database and Redis answer, 503 otherwise, with each part's state
 * and detail: `{ status, database, redis, details: { database, deadLetters } }` where
 * `details.database` is the reachability the webhooks go by (see infra/database-health.ts) and
 * `details.deadLetters` the failed jobs per queue (`{ inbound, outbound, scheduled }`), kept until
 * re-driven (`jobs:failed`, `jobs:retry`; null when Redis cannot be read). Dead letters do not make
 * the answer 503: the service works, an operator has something to look at.
 *
 * Redis gets REDIS_ANSWER_MS to answer: a Redis that accepts connections but does not reply
 * (paused, overloaded, refusing the client) is reported as down rather than holding the answer
 * until the caller's healthcheck times out with no reason given.
 *
 * Registering it starts this API's database probe (stopped when the server closes).
 */
import type { Express } from 'express';
import type { Context } from '../../context';
import type { ServerLifecycle } from '../lifecycle';

/** How long `/health` waits for each Redis answer, ms. */
const REDIS_ANSWER_MS = 2000;

/** `promise`'s value, or `fallback` when it rejects or takes longer than `ms`. */
function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([promise.catch(() => fallback), late]).finally(() => clearTimeout(timer));
}

/** Registers `GET /health`. @param lifecycle stops the database probe when the server closes. */
export function registerHealthRoutes(app: Express, context: Context, lifecycle: ServerLifecycle): void {
  const databaseHealth = context.databaseHealth.start({
    ...context.config.databaseProbe,
    log: context.log,
  });
  lifecycle.afterClose(() => databaseHealth.stop());

  app.get('/health', async (_request, response) => {
    const [database, redis, deadLetters] = await Promise.all([
      databaseHealth.probe(),
      within(
        context.redis.ping().then((answer) => answer === 'PONG'),
        REDIS_ANSWER_MS,
        false,
      ),
      within(
        Promise.all([
          context.queues.inbound.getFailedCount(),
          context.queues.outbound.getFailedCount(),
          context.queues.scheduled.getFailedCount(),
        ]).then(([inbound, outbound, scheduled]) => ({ inbound, outbound, scheduled })),
        REDIS_ANSWER_MS,
        null,
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
