/**
 * An agent moves a ticket to another status (rules: domain/ticket-rules.ts), or snoozes it
 * (pending until a time, then open again by itself: end-snooze.ts). Resolving or closing frees the
 * assignee's capacity and assigns waiting tickets; an admin may reopen a closed ticket.
 */
import {
  ACTIVE_STATUSES,
  canWorkTicket,
  decideStatusChange,
  snoozeProblem,
  type Actor,
  type TicketStatus,
} from '../../domain/ticket-rules';
import { AppError } from '../../errors';
import { enqueueSnoozeEnd } from '../../jobs/scheduled-queue';
import { isUniqueViolation } from '../../store/database';
import type { TicketListItem } from '../../store/tickets-read';
import { findOtherActiveTicket, updateTicketStatus } from '../../store/tickets';
import { assignAndPublish } from '../assignment/assign-and-publish';
import { getTicketListItem } from './get-ticket-list-item';
import { loadTicket } from './load-ticket';
import { requestCsat, type CsatDependencies } from './request-csat';
import type { TicketActionDependencies } from './ticket-action-dependencies';

/**
 * Changes a ticket's status, records a `status_changed` event and announces it (`ticket.status`).
 * @param options.snoozeUntil with `status` pending: the ticket returns to open by itself at this
 *   time (a future time, at most SNOOZE_MAX_DAYS ahead); a pending ticket may be snoozed again.
 *   Any change without it ends a snooze.
 * @returns the ticket after the change.
 * @throws AppError validation_failed (a bad `snoozeUntil`, named), not_found, forbidden (not the
 *   assignee or an admin), conflict (a transition the rules refuse, a reopening that would give the
 *   customer a second open ticket on the channel, or a concurrent change).
 */
export async function changeTicketStatus(
  deps: TicketActionDependencies & CsatDependencies,
  actor: Actor,
  ticketId: string,
  status: TicketStatus,
  options: { snoozeUntil?: Date } = {},
): Promise<TicketListItem> {
  const now = new Date();
  const { snoozeUntil } = options;
  const problem = snoozeProblem(status, snoozeUntil, now);
  if (problem) {
    throw new AppError('validation_failed', `snoozeUntil: ${problem}`, {
      fields: [{ field: 'snoozeUntil', problem }],
    });
  }
  const ticket = await loadTicket(deps.db, ticketId);
  if (!canWorkTicket(actor, ticket)) {
    throw new AppError('forbidden', `ticket: only the assignee or an admin may change #${ticket.number}`);
  }
  const decision = decideStatusChange(ticket, status, now, { role: actor.role, snoozeUntil });
  if (!decision.ok) throw new AppError('conflict', decision.reason);
  const reopening = !ACTIVE_STATUSES.includes(ticket.status) && ACTIVE_STATUSES.includes(status);
  if (reopening) await refuseSecondOpenTicket(deps, ticketId, ticket.number);
  const snoozedUntil = decision.set.snoozedUntil?.toISOString() ?? null;
  let changed: boolean;
  try {
    changed = await updateTicketStatus(
      deps.pool,
      { ticketId, from: ticket.status, to: status, set: decision.set, at: now },
      {
        ticketId,
        type: 'status_changed',
        agentId: actor.id,
        data: { from: ticket.status, to: status, ...(snoozedUntil ? { snoozedUntil } : {}) },
      },
    );
  } catch (error) {
    // Another ticket of the customer opened on the channel between the check and the update.
    if (reopening && isUniqueViolation(error)) await refuseSecondOpenTicket(deps, ticketId, ticket.number);
    throw error;
  }
  if (!changed) throw new AppError('conflict', `status: #${ticket.number} changed meanwhile; reload it`);
  if (decision.set.snoozedUntil) {
    try {
      await enqueueSnoozeEnd(deps.queues.scheduled, ticketId, decision.set.snoozedUntil, now);
    } catch (error) {
      // Saved all the same: the snooze sweep ends it, up to a minute late.
      deps.log.warn({ err: error, ticketId }, 'snooze end not scheduled; the sweep will end it');
    }
  }
  await deps.realtime.publishTicketEvent(ticketId, 'ticket.status', {
    status,
    previousStatus: ticket.status,
    ...(snoozedUntil ? { snoozedUntil } : {}),
  });
  if (status === 'resolved') {
    // The satisfaction question (request-csat.ts); the resolution stands whatever happens to it.
    try {
      await requestCsat(deps, ticketId, now);
    } catch (error) {
      deps.log.warn({ err: error, ticketId }, 'satisfaction question not queued');
    }
  }
  if (decision.freesCapacity) await assignAndPublish(deps);
  return getTicketListItem(deps.pool, ticketId, actor.id);
}

/**
 * One open ticket per customer and channel: a ticket cannot be reopened while the customer has
 * another open or pending one there.
 * @throws AppError conflict naming the other ticket.
 */
async function refuseSecondOpenTicket(
  deps: TicketActionDependencies,
  ticketId: string,
  number: number,
): Promise<void> {
  const other = await findOtherActiveTicket(deps.pool, ticketId);
  if (other) {
    throw new AppError(
      'conflict',
      `status: #${number} cannot be reopened: the customer already has ticket #${other.number} ` +
        'open on this channel (resolve or close it first)',
      { ticketId: other.id, ticketNumber: other.number },
    );
  }
}
