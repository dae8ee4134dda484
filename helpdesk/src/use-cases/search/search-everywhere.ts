/**
 * Search everywhere: one query finds tickets of every status by number, by their customer's phone
 * or name, and by the words of their messages (Arabic spelling variants folded). Every signed-in
 * agent may search (customers are shared); a hit says whether the caller may open its ticket, and
 * why not, instead of being hidden. A ticket another agent holds is listed without its message
 * text (no snippet): only its assignee and admins read its thread (domain/ticket-rules.ts).
 */
import type { SearchMatch, SearchRefusal } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { MATCH_RANK, planSearch, searchSnippet } from '../../domain/search';
import { canReadTicket, type Actor } from '../../domain/ticket-rules';
import {
  findTicketsByMessageText,
  findTicketsByNumberOrCustomer,
  type SearchTicketRow,
} from '../../store/search';

/** One hit: a ticket, where it matched and whether the caller may open it. */
export interface SearchHitView {
  ticket: SearchTicketRow;
  matchedIn: SearchMatch;
  /** The matching message (message hits the caller may open), else null. */
  messageId: string | null;
  /** An excerpt around the match (message hits the caller may open), else null. */
  snippet: string | null;
  /** When the matching message was written (message hits), else null. */
  matchedAt: Date | null;
  openable: boolean;
  reason: SearchRefusal | null;
}

/**
 * @param deps.config.defaultCountry the country of national phone numbers.
 * @param query.q the query (trimmed, at least two characters: checked by the contract's schema).
 * @param query.limit most hits, 1–50.
 * @returns hits, best first (ticket number, whole phone, part of a phone, name, then message
 *   relevance; ties by latest activity), one per ticket.
 */
export async function searchEverywhere(
  deps: Pick<Deps, 'pool' | 'config'>,
  actor: Actor,
  query: { q: string; limit: number },
): Promise<SearchHitView[]> {
  const plan = planSearch(query.q, deps.config.defaultCountry);
  const [byTicket, byMessage] = await Promise.all([
    findTicketsByNumberOrCustomer(deps.pool, {
      ticketNumber: plan.ticketNumber,
      phoneE164: plan.phone?.e164 ?? null,
      phoneDigits: plan.phone?.digits ?? [],
      nameWords: plan.nameWords,
      limit: query.limit,
    }),
    findTicketsByMessageText(deps.pool, { words: plan.messageWords, limit: query.limit }),
  ]);

  const hits = new Map<string, SearchHitView & { rank: number }>();
  for (const row of byTicket) {
    const rank = MATCH_RANK[row.matched];
    const known = hits.get(row.ticket.id);
    if (known && known.rank <= rank) continue;
    hits.set(row.ticket.id, {
      ...access(actor, row.ticket),
      ticket: row.ticket,
      matchedIn: row.matched === 'phone_exact' ? 'phone' : row.matched,
      messageId: null,
      snippet: null,
      matchedAt: null,
      rank,
    });
  }
  for (const row of byMessage) {
    if (hits.has(row.ticket.id)) continue; // already found by number, phone or name: a better match
    const allowed = access(actor, row.ticket);
    const text = [row.text, row.caption].filter(Boolean).join(' ');
    hits.set(row.ticket.id, {
      ...allowed,
      ticket: row.ticket,
      matchedIn: 'message',
      messageId: allowed.openable ? row.messageId : null,
      snippet: allowed.openable ? searchSnippet(text, plan.messageWords) : null,
      matchedAt: row.createdAt,
      rank: MATCH_RANK.message,
    });
  }
  // Insertion order is each query's order (best first); a stable sort by rank keeps it within a rank.
  return [...hits.values()]
    .sort((a, b) => a.rank - b.rank)
    .slice(0, query.limit)
    .map(({ rank: _rank, ...hit }) => hit);
}

function access(actor: Actor, ticket: SearchTicketRow): { openable: boolean; reason: SearchRefusal | null } {
  const openable = canReadTicket(actor, { assigneeId: ticket.assignee?.id ?? null });
  return { openable, reason: openable ? null : 'assigned_to_other' };
}
