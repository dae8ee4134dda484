/** The categories an agent may give a ticket: the bot menu's options in both languages. */
import type { Deps } from '../../context';
import { ticketCategories, type TicketCategory } from '../../domain/ticket-categories';

/** @returns the categories, in the menu's order. */
export function listTicketCategories(deps: Pick<Deps, 'bot'>): TicketCategory[] {
  return ticketCategories(deps.bot.texts);
}
