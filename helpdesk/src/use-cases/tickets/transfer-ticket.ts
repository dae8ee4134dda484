/**
 * A ticket changes hands: an admin or its assignee gives it to another agent or back to the
 * waiting queue, or an agent claims a waiting ticket for themselves (a transfer to oneself).
 */
import { ACTIVE_STATUSES, canTransferTicket, type Actor } from '../../domain/ticket-rules';
import { AppError } from '../../errors';
import { findAgentById } from '../../store/agents';
import type { TicketListItem } from '../../store/tickets-read';
import { reassignTicket } from '../../store/tickets';
import { assignAndPublish } from '../assignment/assign-and-publish';
import { getTicketListItem } from './get-ticket-list-item';
import { loadTicket } from './load-ticket';
import type { TicketActionDependencies } from './ticket-action-dependencies';

/**
 * Gives an open or pending ticket to another agent, or back to the waiting queue (`toAgentId`
 * null). Admins transfer any ticket, the assignee their own, and any agent may claim a waiting one.
 * The previous assignee's freed capacity assigns waiting tickets (a ticket returned to the queue may
 * be assigned again at once, to whoever is least loaded).
 * @returns the ticket after the change.
 * @throws AppError not_found (ticket or agent), forbidden, conflict (not open or pending, already
 *   with that agent, inactive agent, or a concurrent change).
 */
export async function transferTicket(
  deps: TicketActionDependencies,
  actor: Actor,
  ticketId: string,
  toAgentId: string | null,
): Promise<TicketListItem> {
  const ticket = await loadTicket(deps.db, ticketId);
  if (!canTransferTicket(actor, ticket, toAgentId)) {
    throw new AppError(
      'forbidden',
      ticket.assigneeId === null
        ? `agentId: agents may only claim waiting ticket #${ticket.number} for themselves`
        : `ticket: only the assignee or an admin may transfer #${ticket.number}`,
    );
  }
  if (!ACTIVE_STATUSES.includes(ticket.status)) {
    throw new AppError(
      'conflict',
      `status: #${ticket.number} is ${ticket.status}; only open or pending tickets move`,
    );
  }
  if (toAgentId === ticket.assigneeId) {
    throw new AppError(
      'conflict',
      `agentId: #${ticket.number} is already ${toAgentId ? 'with that agent' : 'waiting'}`,
    );
  }
  if (toAgentId) {
    const target = await findAgentById(deps.db, toAgentId);
    if (!target) throw new AppError('not_found', `agentId: no agent ${toAgentId}`);
    if (!target.active) throw new AppError('conflict', 'agentId: that agent is deactivated');
  }
  const now = new Date();
  const moved = await reassignTicket(
    deps.pool,
    { ticketId, fromAgentId: ticket.assigneeId, toAgentId, activeStatuses: ACTIVE_STATUSES, at: now },
    {
      ticketId,
      type: toAgentId ? 'transferred' : 'unassigned',
      agentId: actor.id,
      data: { from: ticket.assigneeId, to: toAgentId, by: ticket.assigneeId === null ? 'claim' : actor.role },
    },
  );
  if (!moved) throw new AppError('conflict', `ticket: #${ticket.number} changed meanwhile; reload it`);
  await deps.realtime.publishTicketEvent(
    ticketId,
    'ticket.assigned',
    { assigneeId: toAgentId, previousAssigneeId: ticket.assigneeId, by: actor.id },
    { alsoAgentIds: [ticket.assigneeId], everyone: ticket.assigneeId === null || toAgentId === null },
  );
  if (ticket.assigneeId !== null) await assignAndPublish(deps);
  return getTicketListItem(deps.pool, ticketId, actor.id);
}
