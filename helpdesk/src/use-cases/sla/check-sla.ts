/**
 * The response-time targets' sweep, run by the scheduled job `sla-check` every SLA_CHECK_MS (off
 * the inbound hot path): gives every active ticket that needs them the due times of the policy
 * that applies (time-tickets.ts; the `sla-timing` job already did so within about a second for the
 * tickets that changed, this is the safety net), then records the breaches due by now, once each:
 * the `sla_breached` ticket event `{ kind, dueAt, channel }` (counted by the shared metric
 * `helpdesk_sla_breaches_total{kind,channel}` at each scrape, infra/metrics.ts) and a realtime
 * `ticket.updated` with `{ sla }`.
 */
import type { Deps } from '../../context';
import { recordSlaBreaches, type RecordedSlaBreach } from '../../store/sla-tickets';
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
  const breaches = await recordSlaBreaches(deps.pool, now);
  for (const breach of breaches) {
    await deps.realtime.publishTicketEvent(breach.ticketId, 'ticket.updated', {
      sla: { kind: breach.kind, dueAt: breach.dueAt.toISOString(), state: 'breached' },
    });
  }
  if (breaches.length > 0) deps.log.info({ breaches: breaches.length }, 'sla: targets breached');
  return { timed: timed.length, breaches };
}
