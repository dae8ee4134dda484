/** The realtime event stream's request (`GET /api/stream`, Server-Sent Events). */
import { z } from 'zod';

/** `GET /api/stream` query. */
export const streamQuerySchema = z.object({
  lastEventId: z
    .string()
    .max(64)
    .optional()
    .describe('resume after this event (or the Last-Event-ID header)'),
});
