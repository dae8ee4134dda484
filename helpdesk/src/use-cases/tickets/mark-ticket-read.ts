/**
 * An agent has read a ticket: its customer messages so far stop counting as unread for them (and
 * only for them).
 */
import { canReadTicket, type Actor } from '../../domain/ticket-rules';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { upsertTicketRead } from '../../store/ticket-reads';
import { loadTicket } from './load-ticket';

/**
 * Marks the ticket read by the actor now. Who may open the thread may mark it read.
 * @param now the read time (customer messages stored up to it become read).
 * @throws AppError not_found for an unknown ticket; forbidden when the actor may not read it.
 */
export async function markTicketRead(
  db: Deps['db'],
  actor: Actor,
  ticketId: string,
  now = new Date(),
): Promise<void> {
  const ticket = await loadTicket(db, ticketId);
  if (!canReadTicket(actor, ticket)) {
    throw new AppError('forbidden', `ticket: #${ticket.number} is assigned to another agent`);
  }
  await upsertTicketRead(db, { ticketId, agentId: actor.id, at: now });
}
