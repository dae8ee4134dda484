/**
 * Gives active tickets the due times of the response-time target policy that applies to them (when
 * they open or reopen, or their category, team or policy changes), and tells their consoles.
 * Run by the scheduled jobs: `sla-timing` every SLA_TIMING_MS for the tickets changed lately (a
 * newly opened ticket shows its time left within about a second, with no work added to the
 * inbound pipeline), and `sla-check` (check-sla.ts) for every active ticket, which also records
 * the breaches.
 */
import type { Deps } from '../../context';
import { slaDueTimes, ticketSla } from '../../domain/sla';
import { audienceOf } from '../../realtime/events';
import {
  findTicketsNeedingSla,
  writeTicketSla,
  type TicketSlaWrite,
  type TimedTicket,
} from '../../store/sla-tickets';

/** How many tickets get due times per batch (a run takes batches until none is left). */
const BATCH = 500;

/**
 * Times the active tickets that need it, and publishes `ticket.updated` `{ sla }` for each
 * (consoles then read the ticket again: the inbox and the live queue show its time left).
 * @param scope.changedSince only the tickets opened, reopened, classified or transferred to a
 *   team since then (store/sla-tickets.ts `findTicketsNeedingSla`); without it every active ticket.
 * @param now the time the published state is judged at.
 * @returns the tickets whose due times were written (or cleared).
 * @throws when PostgreSQL fails (the next run tries again).
 */
export async function timeTickets(
  deps: Pick<Deps, 'pool' | 'channels' | 'realtime'>,
  scope: { changedSince?: Date } = {},
  now = new Date(),
): Promise<TimedTicket[]> {
  const timed: TimedTicket[] = [];
  for (let round = 0; round < 20; round += 1) {
    const tickets = await findTicketsNeedingSla(deps.pool, BATCH, scope);
    // The hours are read from the channel directory, which another process's change of a
    // channel's business hours reaches only at its next reload (every 10 s): read it now.
    if (round === 0 && tickets.length > 0) await deps.channels.reload();
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
    timed.push(...written);
    // A batch that wrote nothing (all changed meanwhile) would be found again: stop rather than loop.
    if (tickets.length < BATCH || written.length === 0) break;
  }
  if (timed.length > 0) {
    await deps.realtime.publishAll(
      timed.map((ticket) => {
        const sla = ticketSla(ticket, now);
        return {
          type: 'ticket.updated' as const,
          ticketId: ticket.ticketId,
          ticketNumber: ticket.ticketNumber,
          data: { sla: sla && { kind: sla.kind, dueAt: sla.dueAt.toISOString(), state: sla.state } },
          audience: audienceOf(ticket.assigneeId),
        };
      }),
    );
  }
  return timed;
}
