/**
 * The actions a ticket offers the requesting agent (the `allowedActions` of every ticket the API
 * answers), composed from the ticket rules in domain/ticket-rules.ts so that the console shows
 * buttons without copying those rules.
 */
import { actionForStatus, type TicketAction } from '@whatsapp-helpdesk/contract/api';
import {
  ACTIVE_STATUSES,
  allowedStatusChanges,
  canReadTicket,
  canSnooze,
  canTransferTicket,
  canWorkTicket,
  type Actor,
  type TicketStatus,
} from '../../../domain/ticket-rules';

/**
 * @param actor the requesting agent (id and role).
 * @param ticket its assignee (null: waiting in the queue) and status.
 * @returns the actions the API would accept now, in the order of TICKET_ACTIONS (reply, note,
 *   claim, transfer, then the status actions the transitions allow for the actor's role, then
 *   snooze for an open or pending ticket they may work).
 */
export function allowedTicketActions(
  actor: Actor,
  ticket: { assigneeId: string | null; status: TicketStatus },
): TicketAction[] {
  const actions: TicketAction[] = [];
  const active = ACTIVE_STATUSES.includes(ticket.status);
  const mayWork = canWorkTicket(actor, ticket);
  if (mayWork && active) actions.push('reply');
  if (canReadTicket(actor, ticket)) actions.push('note');
  // Only open or pending tickets move between agents.
  if (active && ticket.assigneeId === null && canTransferTicket(actor, ticket, actor.id))
    actions.push('claim');
  if (active && canTransferTicket(actor, ticket, null)) actions.push('transfer');
  if (mayWork) actions.push(...allowedStatusChanges(ticket.status, actor.role).map(actionForStatus));
  if (mayWork && canSnooze(ticket.status)) actions.push('snooze');
  return actions;
}
