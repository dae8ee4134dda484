/** Team statistics over a period, and the period query. */
import { z } from 'zod';
import { dateTimeSchema, nullableDateTimeSchema } from './common.ts';

export const statsSchema = z
  .object({
    period: z.object({ from: dateTimeSchema, to: dateTimeSchema }),
    agents: z.array(
      z.object({
        id: z.uuid(),
        name: z.string(),
        availability: z.string(),
        capacity: z.number().int(),
        open: z.number().int(),
        pending: z.number().int(),
      }),
    ),
    queue: z.object({
      waiting: z.number().int(),
      oldestOpenedAt: nullableDateTimeSchema,
      oldestWaitSeconds: z.number().int().nullable(),
    }),
    firstResponse: z.object({ count: z.number().int(), medianSeconds: z.number().int().nullable() }),
    resolution: z.object({ count: z.number().int(), medianSeconds: z.number().int().nullable() }),
    categories: z.array(z.object({ category: z.string().nullable(), count: z.number().int() })),
  })
  .meta({ id: 'Stats' });
export type Stats = z.infer<typeof statsSchema>;

const DAY_MS = 86_400_000;

/** `GET /api/stats` query as sent: `from` (inclusive) and `to` (exclusive), ISO 8601. */
export const statsQueryFieldsSchema = z.object({
  from: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
  to: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
});

/** The stats query as a period: default the 7 days before `to` (default now), at most 366 days. */
export const statsQuerySchema = statsQueryFieldsSchema
  .transform((query) => {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 7 * DAY_MS);
    return { from, to };
  })
  .refine((period) => period.from < period.to, { message: 'must be before to', path: ['from'] })
  .refine((period) => period.to.getTime() - period.from.getTime() <= 366 * DAY_MS, {
    message: 'the period must be at most 366 days',
    path: ['from'],
  });
export type StatsQuery = z.input<typeof statsQuerySchema>;
