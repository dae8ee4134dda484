/**
 * A ticket's next response-time target as the inbox shows it: the state (the server's, turned
 * breached once the due time passes on this clock) and the time left or overdue in the console's
 * language ("١٢ د", "3 hr").
 */
import type { Ticket } from '../api';
import { formatWaited } from './format';

type Language = 'ar' | 'en';
type Sla = NonNullable<Ticket['sla']>;

/** How a target stands at `nowMs`: its state, and the time left (or overdue) as words (null: under a minute). */
export function slaCountdown(
  sla: Sla,
  nowMs: number,
  language: Language,
): { state: Sla['state']; overdue: boolean; time: string | null } {
  const dueMs = Date.parse(sla.dueAt);
  const overdue = nowMs >= dueMs;
  const state = overdue ? 'breached' : sla.state;
  // formatWaited counts from an instant to now: an instant as far before now as the due time is away.
  const distance = Math.abs(dueMs - nowMs);
  const time = formatWaited(new Date(nowMs - distance).toISOString(), nowMs, language);
  return { state, overdue, time };
}
