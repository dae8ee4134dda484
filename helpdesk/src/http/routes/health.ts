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
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context';
import { databaseHealthFor } from '../../infra/database-health';

export function registerHealthRoutes(app: FastifyInstance, context: Context): void {
  const databaseHealth = databaseHealthFor(context.pool).start({
    ...context.config.databaseProbe,
    log: context.log,
  });
  app.addHook('onClose', async () => databaseHealth.stop());

  app.get('/health', async (_request, reply) => {
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
    return reply.status(ok ? 200 : 503).send({
      status: ok ? 'ok' : 'degraded',
      database,
      redis,
      details: { database: databaseHealth.snapshot(), deadLetters },
    });
  });
}
