/**
 * Whether an agent may reply to a ticket now: checked before an upload is stored, and again by
 * `replyToTicket`.
 */
import { ACTIVE_STATUSES, canWorkTicket, type Actor } from '../../domain/ticket-rules';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import type { TicketFacts } from '../../store/tickets';
import { loadTicket } from './load-ticket';

/**
 * @returns the ticket's facts.
 * @throws AppError not_found; forbidden (not the assignee or an admin); conflict (resolved or
 *   closed ticket).
 */
export async function checkCanReply(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
  ticketId: string,
): Promise<TicketFacts> {
  const ticket = await loadTicket(deps.db, ticketId);
  if (!canWorkTicket(actor, ticket)) {
    throw new AppError('forbidden', `ticket: only the assignee or an admin may reply to #${ticket.number}`);
  }
  if (!ACTIVE_STATUSES.includes(ticket.status)) {
    throw new AppError(
      'conflict',
      `status: #${ticket.number} is ${ticket.status}; reopen it before replying`,
    );
  }
  return ticket;
}
