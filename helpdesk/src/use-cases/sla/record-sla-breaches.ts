/**
 * Records the response-time targets breached by now, once each, and tells the consoles: the
 * `sla_breached` ticket event `{ kind, dueAt, channel }` (counted by the shared metric
 * `helpdesk_sla_breaches_total{kind,channel}` at each scrape, infra/metrics.ts, and announced by
 * the outgoing webhooks' triggers) and a realtime `ticket.updated` with `{ sla }`. Run by the
 * scheduled jobs: `sla-timing` every second for the due times passed since its last runs (so a
 * breach is recorded within about a second of its due time), and the `sla-check` sweep for every
 * due time (the safety net).
 */
import type { Deps } from '../../context';
import { recordSlaBreaches, type RecordedSlaBreach } from '../../store/sla-tickets';

/**
 * Records the breaches due at `now`.
 * @param scope.dueAfter only the due times after this (store/sla-tickets.ts `recordSlaBreaches`).
 * @param now the time breaches are judged at.
 * @returns the breaches this call recorded (another run at once records none of them again).
 * @throws when PostgreSQL fails (the next run tries again; nothing is recorded twice).
 */
export async function recordBreaches(
  deps: Pick<Deps, 'pool' | 'realtime' | 'log'>,
  scope: { dueAfter?: Date } = {},
  now = new Date(),
): Promise<RecordedSlaBreach[]> {
  const breaches = await recordSlaBreaches(deps.pool, now, scope);
  for (const breach of breaches) {
    await deps.realtime.publishTicketEvent(breach.ticketId, 'ticket.updated', {
      sla: { kind: breach.kind, dueAt: breach.dueAt.toISOString(), state: 'breached' },
    });
  }
  if (breaches.length > 0) deps.log.info({ breaches: breaches.length }, 'sla: targets breached');
  return breaches;
}
