/**
 * The response-time targets' clock, run by the scheduled job `sla-check` every SLA_CHECK_MS (off
 * the inbound hot path): gives active tickets the due times of the policy that applies to them
 * (when they open or reopen, or their category, team or policy changes), then records the
 * breaches due by now, once each: the `sla_breached` ticket event `{ kind, dueAt }`, the counter
 * `helpdesk_sla_breaches_total{kind}` and a realtime `ticket.updated` with `{ sla }`.
 */
import type { Deps } from '../../context';
import { slaDueTimes } from '../../domain/sla';
import { slaBreaches } from '../../infra/metrics';
import {
  findTicketsNeedingSla,
  recordSlaBreaches,
  writeTicketSla,
  type RecordedSlaBreach,
  type TicketSlaWrite,
} from '../../store/sla-tickets';

/** How many tickets get due times per batch (a run takes batches until none is left). */
const BATCH = 500;

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
  let timed = 0;
  for (let round = 0; round < 20; round += 1) {
    const tickets = await findTicketsNeedingSla(deps.pool, BATCH);
    const writes: TicketSlaWrite[] = tickets.map((ticket) => {
      const guard = {
        ticketId: ticket.id,
        storedPolicyId: ticket.storedPolicyId,
        storedStartedAt: ticket.storedStartedAt,
      };
      if (!ticket.policy) {
        return {
          ...guard,
          policyId: null,
          startedAt: null,
          firstResponseDueAt: null,
          firstResponseAtRiskAt: null,
          resolutionDueAt: null,
          resolutionAtRiskAt: null,
        };
      }
      const hours = deps.channels.effectiveBot(ticket.provider, ticket.channel);
      return {
        ...guard,
        policyId: ticket.policy.id,
        startedAt: ticket.startedAt,
        ...slaDueTimes(ticket.startedAt, ticket.policy, {
          schedule: hours.businessHours,
          timeZone: hours.businessTimeZone,
        }),
      };
    });
    const written = await writeTicketSla(deps.pool, writes);
    timed += written;
    // A batch that wrote nothing (all changed meanwhile) would be found again: stop rather than loop.
    if (tickets.length < BATCH || written === 0) break;
  }
  const breaches = await recordSlaBreaches(deps.pool, now);
  for (const breach of breaches) {
    slaBreaches.inc({ kind: breach.kind });
    await deps.realtime.publishTicketEvent(breach.ticketId, 'ticket.updated', {
      sla: { kind: breach.kind, dueAt: breach.dueAt.toISOString(), state: 'breached' },
    });
  }
  if (breaches.length > 0) deps.log.info({ breaches: breaches.length }, 'sla: targets breached');
  return { timed, breaches };
}
