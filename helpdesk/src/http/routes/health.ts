/**
 * `GET /health`: 200 when the database and Redis answer, 503 otherwise, with each part's state.
 */
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context';

export function registerHealthRoutes(app: FastifyInstance, context: Context): void {
  app.get('/health', async (_request, reply) => {
    const [database, redis] = await Promise.all([
      context.db.$queryRaw`SELECT 1`.then(
        () => true,
        () => false,
      ),
      context.redis.ping().then(
        (answer) => answer === 'PONG',
        () => false,
      ),
    ]);
    const ok = database && redis;
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', database, redis });
  });
}
