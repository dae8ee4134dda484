/**
 * zod parsing for route input with messages that name the field and the problem.
 */
import type { z } from 'zod';
import { AppError } from '../errors';

/**
 * @returns the parsed value. @throws AppError `invalid_request` ("<field> <problem>; ...").
 */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what = 'body'): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const message = result.error.issues
    .map((issue) => `"${issue.path.join('.') || what}" ${issue.message}`)
    .join('; ');
  throw new AppError('invalid_request', message);
}
