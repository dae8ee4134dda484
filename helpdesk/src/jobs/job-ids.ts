/** Job ids derived from what a job is about, so that enqueuing the same thing twice adds one job. */
import { createHash } from 'node:crypto';

/** A BullMQ-safe job id (no ":") that is the same for the same key. */
export function jobIdFor(kind: string, key: string): string {
  return `${kind}-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}
