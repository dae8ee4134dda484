/**
 * A ticket goes to a team instead of a person: an admin or its assignee hands it to, say, the
 * pharmacists. The ticket is unassigned, remembers the team (`tickets.team_id`), records a
 * `team_transferred` event, and the assignment run that follows gives it to the least-loaded
 * member of that team with free capacity (it waits while none has any).
 */
import { ACTIVE_STATUSES, canTransferTicket, type Actor } from '../../domain/ticket-rules';
import { AppError } from '../../errors';
import { moveTicketToTeam } from '../../store/ticket-teams';
import { teamExists } from '../../store/teams';
import type { TicketListItem } from '../../store/tickets-read';
import { assignAndPublish } from '../assignment/assign-and-publish';
import { getTicketListItem } from './get-ticket-list-item';
import { loadTicket } from './load-ticket';
import type { TicketActionDependencies } from './ticket-action-dependencies';

/**
 * Transfers an open or pending ticket to a team.
 * @param teamId a team from GET /api/teams.
 * @returns the ticket after the change and the assignment run (it may already have a member).
 * @throws AppError forbidden (neither admin nor assignee), not_found (ticket or team naming
 *   `teamId`), conflict (not open or pending, or a concurrent change).
 */
export async function transferTicketToTeam(
  deps: TicketActionDependencies,
  actor: Actor,
  ticketId: string,
  teamId: string,
): Promise<TicketListItem> {
  const ticket = await loadTicket(deps.db, ticketId);
  if (!canTransferTicket(actor, ticket, null)) {
    throw new AppError('forbidden', `ticket: only the assignee or an admin may transfer #${ticket.number}`);
  }
  if (!ACTIVE_STATUSES.includes(ticket.status)) {
    throw new AppError(
      'conflict',
      `status: #${ticket.number} is ${ticket.status}; only open or pending tickets move`,
    );
  }
  if (!(await teamExists(deps.db, teamId))) throw new AppError('not_found', `teamId: no team ${teamId}`);
  const moved = await moveTicketToTeam(
    deps.pool,
    { ticketId, fromAgentId: ticket.assigneeId, teamId, activeStatuses: ACTIVE_STATUSES, at: new Date() },
    {
      ticketId,
      type: 'team_transferred',
      agentId: actor.id,
      data: { teamId, from: ticket.assigneeId, by: actor.role },
    },
  );
  if (!moved) throw new AppError('conflict', `ticket: #${ticket.number} changed meanwhile; reload it`);
  await deps.realtime.publishTicketEvent(
    ticketId,
    'ticket.assigned',
    { assigneeId: null, previousAssigneeId: ticket.assigneeId, by: actor.id },
    { alsoAgentIds: [ticket.assigneeId], everyone: true },
  );
  await assignAndPublish(deps);
  return getTicketListItem(deps.pool, ticketId, actor.id);
}
