/**
 * A ticket's category is the id of a bot menu option (the customer's choice, or an agent's
 * correction): the categories are the menu's options with their titles in both languages.
 */
import type { BotTexts } from './bot-texts';

export interface TicketCategory {
  /** The menu option's id, stored as the ticket's category. */
  id: string;
  ar: string;
  en: string;
}

/** The categories a ticket may have, in the menu's order. */
export function ticketCategories(texts: BotTexts): TicketCategory[] {
  return texts.menu.map((option) => ({ id: option.id, ar: option.title.ar, en: option.title.en }));
}

/**
 * Checks a category an agent chose.
 * @param category a menu option id, or null for none.
 * @returns why it is refused (a message naming `category`), or null when it is fine.
 */
export function categoryProblem(texts: BotTexts, category: string | null): string | null {
  if (category === null) return null;
  const ids = texts.menu.map((option) => option.id);
  return ids.includes(category)
    ? null
    : `category: "${category}" is not a category (known: ${ids.join(', ')})`;
}
