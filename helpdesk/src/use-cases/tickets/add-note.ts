/**
 * An agent adds an internal note to a ticket (never sent to the customer).
 */
import { canReadTicket, type Actor } from '../../domain/ticket-rules';
import { AppError } from '../../errors';
import { insertTicketNote, type NoteView } from '../../store/ticket-notes';
import { loadTicket } from './load-ticket';
import type { TicketActionDependencies } from './ticket-action-dependencies';

/**
 * Adds an internal note (agents only) and announces it (`ticket.note`).
 * @param body 1–10000 characters.
 * @throws AppError not_found, forbidden (a ticket of another agent, unless admin).
 */
export async function addNote(
  deps: Pick<TicketActionDependencies, 'db' | 'realtime'>,
  actor: Actor,
  ticketId: string,
  body: string,
): Promise<NoteView> {
  const ticket = await loadTicket(deps.db, ticketId);
  if (!canReadTicket(actor, ticket)) {
    throw new AppError('forbidden', `ticket: #${ticket.number} is assigned to another agent`);
  }
  const note = await insertTicketNote(deps.db, { ticketId, agentId: actor.id, body });
  await deps.realtime.publishTicketEvent(ticketId, 'ticket.note', { noteId: note.id });
  return note;
}
