/**
 * `GET /api/outbox`: queue counts (with `heldByOutage`), the helpdesk outage holding the outbox if any,
 * and dead letters (eventId, reason, attempts).
 * `POST /api/outbox/retry` `{ "all": true }` or `{ "eventIds": ["…"] }`: re-drive dead letters (each goes
 * back to the end of the queue with a fresh attempt budget); answers 200 `{ retried: [eventId…] }`, or
 * 404 naming the ids that are not dead letters (then nothing is re-driven).
 * Declared in the authenticated `/api` router (server.ts): the paths here are relative to it.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../errors';
import { NotDeadLetteredError } from '../../outbox/outbox';
import type { OutboxStats, RetrySelection } from '../../outbox/outbox';
import { parseInput } from '../validation';

/** What the outbox routes need. */
export interface OutboxRouteDeps {
  stats(): Promise<OutboxStats>;
  retry(selection: RetrySelection): Promise<{ retried: string[] }>;
}

const retryBody = z
  .strictObject({
    all: z.literal(true, 'must be true').optional(),
    eventIds: z
      .array(
        z
          .string()
          .min(1, 'must not contain empty ids')
          .max(512, 'must contain ids of at most 512 characters'),
      )
      .min(1, 'must list at least one event id')
      .max(1000, 'must list at most 1000 event ids')
      .optional(),
  })
  .refine((body) => (body.all === undefined) !== (body.eventIds === undefined), {
    message: 'give either "all": true or "eventIds": [...]',
  });

/** Registers `GET /outbox` and `POST /outbox/retry` on the `/api` router. */
export function registerOutboxRoutes(api: Router, outbox: OutboxRouteDeps): void {
  api.get('/outbox', async (_req, res) => {
    res.json(await outbox.stats());
  });
  api.post('/outbox/retry', async (req, res) => {
    const body = parseInput(retryBody, req.body);
    try {
      res.json(await outbox.retry(body.all ? { all: true } : { eventIds: body.eventIds ?? [] }));
    } catch (error) {
      if (error instanceof NotDeadLetteredError) {
        throw new AppError(
          'not_found',
          `"eventIds" not in the dead-letter list: ${error.eventIds.join(', ')}`,
        );
      }
      throw error;
    }
  });
}
