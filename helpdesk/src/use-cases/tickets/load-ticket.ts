/**
 * The ticket an action is about, or a 404.
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { findTicketFacts, type TicketFacts } from '../../store/tickets';

/** @returns the ticket's facts. @throws AppError not_found for an unknown ticket. */
export async function loadTicket(db: Deps['db'], ticketId: string): Promise<TicketFacts> {
  const ticket = await findTicketFacts(db, ticketId);
  if (!ticket) throw new AppError('not_found', `ticket: no ticket ${ticketId}`);
  return ticket;
}
