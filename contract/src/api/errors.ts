/** The body of every error answer of the API. */
import { z } from 'zod';

export const errorSchema = z
  .object({
    error: z.string().describe('machine-readable code, e.g. validation_failed, forbidden'),
    message: z.string().describe('a sentence naming the field and the problem'),
    details: z.unknown().optional(),
  })
  .meta({ id: 'Error' });
export type ApiErrorBody = z.infer<typeof errorSchema>;
