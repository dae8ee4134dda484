/**
 * `GET /api/search?q=&limit=`: search everywhere (tickets of every status by number, customer
 * phone or name, and message text). Any signed-in agent; each hit says whether the caller may open
 * its ticket.
 */
import { searchQuerySchema, searchResultSchema } from '@whatsapp-helpdesk/contract/api';
import type { Context } from '../../../context';
import { searchEverywhere } from '../../../use-cases/search/search-everywhere';
import type { ApiRouter } from './api-route';
import { toJson } from './views';

/** Registers the search route. */
export function registerSearchRoutes(router: ApiRouter, context: Context): void {
  router.add({
    method: 'GET',
    url: '/api/search',
    tag: 'search',
    summary: 'Search everywhere: ticket numbers, customer names and phones, message text',
    description:
      'Every status. `q` (2–200 characters): `#123` or `123` (ticket number; Arabic-Indic digits too), ' +
      'a phone in any form (`+20 100 123 4567`, `01001234567`, `٠١٠٠…`), a name, or words that every ' +
      'matching message (text or caption, from the customer or an agent; words of 3+ characters) ' +
      'contains. Arabic is matched with spelling variants folded (أ إ آ → ا, ة → ه, ى → ي, no harakat ' +
      'or tatweel); Latin ignores case. Best matches first, one hit per ticket. Tickets another agent ' +
      'holds are listed with `openable: false`, `reason: "assigned_to_other"` and no snippet.',
    auth: 'agent',
    query: searchQuerySchema,
    response: searchResultSchema,
    async handler({ agent, query }) {
      return { items: toJson(await searchEverywhere(context, agent, query)) };
    },
  });
}
