/**
 * The response-time targets' sweep, run by the scheduled job `sla-check` every SLA_CHECK_MS (off
 * the inbound hot path): gives every active ticket that needs them the due times of the policy
 * that applies (time-tickets.ts), then records every breach due by now, once each
 * (record-sla-breaches.ts). The `sla-timing` job already does both within about a second for the
 * tickets that changed and the due times just passed; this is the safety net (a run that was late
 * or failed, a change it did not see).
 */
import type { Deps } from '../../context';
import type { RecordedSlaBreach } from '../../store/sla-tickets';
import { recordBreaches } from './record-sla-breaches';
import { timeTickets } from './time-tickets';

/** What a run did. */
export interface SlaCheckOutcome {
  /** Tickets whose due times were written (or cleared). */
  timed: number;
  /** Breaches recorded by this run. */
  breaches: RecordedSlaBreach[];
}

/**
 * Times the tickets that need it, then records the breaches due at `now`.
 * @param now the time breaches are judged at (tests pass one; the job the current time).
 * @throws when PostgreSQL fails (the next run tries again; nothing is recorded twice).
 */
export async function checkSla(
  deps: Pick<Deps, 'pool' | 'channels' | 'realtime' | 'log'>,
  now = new Date(),
): Promise<SlaCheckOutcome> {
  const timed = await timeTickets(deps, {}, now);
  const breaches = await recordBreaches(deps, {}, now);
  return { timed: timed.length, breaches };
}
