/**
 * An agent moves a ticket to another status (rules: domain/ticket-rules.ts). Resolving or closing
 * frees the assignee's capacity and assigns waiting tickets.
 */
import { canWorkTicket, decideStatusChange, type Actor, type TicketStatus } from '../../domain/ticket-rules';
import { AppError } from '../../errors';
import type { TicketListItem } from '../../store/tickets-read';
import { updateTicketStatus } from '../../store/tickets';
import { assignAndPublish } from '../assignment/assign-and-publish';
import { getTicketListItem } from './get-ticket-list-item';
import { loadTicket } from './load-ticket';
import type { TicketActionDependencies } from './ticket-action-dependencies';

/**
 * Changes a ticket's status, records a `status_changed` event and announces it (`ticket.status`).
 * @returns the ticket after the change.
 * @throws AppError not_found, forbidden (not the assignee or an admin), conflict (a transition the
 *   rules refuse, or a concurrent change).
 */
export async function changeTicketStatus(
  deps: TicketActionDependencies,
  actor: Actor,
  ticketId: string,
  status: TicketStatus,
): Promise<TicketListItem> {
  const ticket = await loadTicket(deps.db, ticketId);
  if (!canWorkTicket(actor, ticket)) {
    throw new AppError('forbidden', `ticket: only the assignee or an admin may change #${ticket.number}`);
  }
  const now = new Date();
  const decision = decideStatusChange(ticket, status, now);
  if (!decision.ok) throw new AppError('conflict', decision.reason);
  const changed = await updateTicketStatus(
    deps.pool,
    { ticketId, from: ticket.status, to: status, set: decision.set, at: now },
    { ticketId, type: 'status_changed', agentId: actor.id, data: { from: ticket.status, to: status } },
  );
  if (!changed) throw new AppError('conflict', `status: #${ticket.number} changed meanwhile; reload it`);
  await deps.realtime.publishTicketEvent(ticketId, 'ticket.status', {
    status,
    previousStatus: ticket.status,
  });
  if (decision.freesCapacity) await assignAndPublish(deps);
  return getTicketListItem(deps.db, ticketId);
}
