/**
 * `GET /api/outbox`: queue counts and dead letters (eventId, reason, attempts).
 */
import type { FastifyInstance } from 'fastify';
import type { OutboxStats } from '../../outbox/outbox';

export function registerOutboxRoutes(app: FastifyInstance, stats: () => Promise<OutboxStats>): void {
  app.get('/api/outbox', async () => stats());
}
