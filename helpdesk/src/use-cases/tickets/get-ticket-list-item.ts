/**
 * A ticket as the inbox lists it, read again after an action changed it.
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { findTicketListItem, type TicketListItem } from '../../store/tickets-read';

/**
 * Reads a ticket's list item by id (after a change).
 * @param viewerId the requesting agent: the unread count is theirs.
 * @throws AppError not_found.
 */
export async function getTicketListItem(
  db: Deps['pool'],
  ticketId: string,
  viewerId: string,
): Promise<TicketListItem> {
  const ticket = await findTicketListItem(db, ticketId, viewerId);
  if (!ticket) throw new AppError('not_found', `ticket: no ticket ${ticketId}`);
  return ticket;
}
