/**
 * A snooze ends: the pending ticket returns to open by itself at its snooze time, and its assignee
 * is told (`ticket.status` with reason `snooze_ended`, so the console can notify). Run by the
 * `end-snooze` job (jobs/scheduled-jobs.ts) and by the sweep of overdue snoozes.
 */
import type { Deps } from '../../context';
import { endTicketSnooze } from '../../store/tickets-snooze';

export type EndSnoozeDependencies = Pick<Deps, 'pool' | 'realtime' | 'log'>;

/**
 * Returns the ticket to open, provided it is still pending and snoozed to `until` (a snooze moved
 * to another time, or ended by a status change, is left alone), records a `status_changed` event
 * `{ from: "pending", to: "open", reason: "snooze_ended" }` (by no agent) and publishes
 * `ticket.status` `{ status: "open", previousStatus: "pending", reason: "snooze_ended" }`.
 * @param until the snooze time the job was scheduled for.
 * @returns true when the ticket was returned to open.
 * @throws when PostgreSQL fails (the job is retried).
 */
export async function endSnooze(
  deps: EndSnoozeDependencies,
  ticketId: string,
  until: Date,
  now = new Date(),
): Promise<boolean> {
  const ended = await endTicketSnooze(
    deps.pool,
    { ticketId, until, at: now },
    {
      ticketId,
      type: 'status_changed',
      agentId: null,
      data: { from: 'pending', to: 'open', reason: 'snooze_ended', snoozedUntil: until.toISOString() },
      createdAt: now,
    },
  );
  if (!ended) return false;
  deps.log.info({ ticketId, snoozedUntil: until.toISOString() }, 'snooze ended: ticket open again');
  await deps.realtime.publishTicketEvent(ticketId, 'ticket.status', {
    status: 'open',
    previousStatus: 'pending',
    reason: 'snooze_ended',
  });
  return true;
}
