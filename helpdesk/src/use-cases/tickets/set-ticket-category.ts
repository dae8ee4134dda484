/**
 * An agent sets or corrects a ticket's category (one of the bot menu's options, or none).
 * Whoever may add a note to the ticket may change it (domain/ticket-rules.ts).
 */
import type { Deps } from '../../context';
import { categoryProblem } from '../../domain/ticket-categories';
import { canReadTicket, type Actor } from '../../domain/ticket-rules';
import { AppError } from '../../errors';
import { setTicketCategory as writeTicketCategory } from '../../store/ticket-category';
import type { TicketListItem } from '../../store/tickets-read';
import { getTicketListItem } from './get-ticket-list-item';
import { loadTicket } from './load-ticket';

/**
 * Sets the ticket's category, records a `classified` event by the actor (`{ category, from, by:
 * "agent" }`) and announces it (`ticket.updated` with `{ category, previousCategory }`); the same
 * category again changes nothing.
 * @param category a menu option id (GET /api/ticket-categories) or null for none.
 * @returns the ticket after the change.
 * @throws AppError validation_failed naming `category` for an unknown category; not_found;
 *   forbidden (a ticket of another agent, unless admin).
 */
export async function setTicketCategory(
  deps: Pick<Deps, 'db' | 'pool' | 'realtime' | 'bot'>,
  actor: Actor,
  ticketId: string,
  category: string | null,
): Promise<TicketListItem> {
  const problem = categoryProblem(deps.bot.texts, category);
  if (problem) throw new AppError('validation_failed', problem);
  const ticket = await loadTicket(deps.db, ticketId);
  if (!canReadTicket(actor, ticket)) {
    throw new AppError('forbidden', `ticket: #${ticket.number} is assigned to another agent`);
  }
  const change = await writeTicketCategory(deps.pool, {
    ticketId,
    category,
    agentId: actor.id,
    at: new Date(),
  });
  if (!change.found) throw new AppError('not_found', `ticket: no ticket ${ticketId}`);
  if (change.changed) {
    await deps.realtime.publishTicketEvent(ticketId, 'ticket.updated', {
      category,
      previousCategory: change.from,
    });
  }
  return getTicketListItem(deps.pool, ticketId, actor.id);
}
