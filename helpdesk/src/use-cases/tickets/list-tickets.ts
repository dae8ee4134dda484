/**
 * The inbox: one page of the tickets an agent may list (filters, search, cursor pagination), with
 * the access rules of domain/ticket-rules.ts.
 */
import type { TicketListView as TicketView, TicketSort } from '@whatsapp-helpdesk/contract/api';
import { ACTIVE_STATUSES, type Actor, type TicketStatus } from '../../domain/ticket-rules';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { findTicketListItems, type TicketListItem } from '../../store/tickets-read';
import { decodeTicketCursor, encodeTicketCursor } from './ticket-cursor';

export { TICKET_VIEWS, type TicketListView as TicketView } from '@whatsapp-helpdesk/contract/api';

export interface TicketFilters {
  /** mine: assigned to the actor; unassigned: the waiting queue; all: every ticket (admins only). */
  view: TicketView;
  /** Statuses to include (default: open and pending). */
  statuses?: TicketStatus[];
  category?: string;
  /** Only tickets with this label (a label id). */
  label?: string;
  /** Only tickets of this channel (its key: the session name or the Cloud API phone number id). */
  channel?: string;
  /** Customer name (substring, any case), phone digits (substring) or ticket number. */
  search?: string;
  /** Only tickets of this assignee (admins only). */
  assigneeId?: string;
  /**
   * activity (default): latest customer message first, tickets without one last, ties by highest
   * number; newest: highest ticket number first; oldest: lowest first.
   */
  sort?: TicketSort;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  /** Page size, 1–100 (default 25). */
  limit?: number;
}

export interface TicketPage {
  items: TicketListItem[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/**
 * One page of tickets the actor may list.
 * @throws AppError forbidden when an agent asks for view=all or another agent's tickets;
 *   validation_failed for a cursor this API did not make.
 */
export async function listTickets(
  db: Deps['pool'],
  actor: Actor,
  filters: TicketFilters,
): Promise<TicketPage> {
  if (actor.role !== 'admin' && filters.view === 'all') {
    throw new AppError('forbidden', 'view: "all" is for admins; agents see "mine" and "unassigned"');
  }
  if (actor.role !== 'admin' && filters.assigneeId && filters.assigneeId !== actor.id) {
    throw new AppError('forbidden', "assigneeId: agents cannot list another agent's tickets");
  }
  const limit = Math.min(Math.max(filters.limit ?? 25, 1), 100);
  const sort = filters.sort ?? 'activity';
  const assigneeIs: Array<string | null> = [];
  if (filters.view === 'mine') assigneeIs.push(actor.id);
  if (filters.view === 'unassigned') assigneeIs.push(null);
  if (filters.assigneeId) assigneeIs.push(filters.assigneeId);
  const found = await findTicketListItems(db, {
    statuses: filters.statuses?.length ? filters.statuses : ACTIVE_STATUSES,
    assigneeIs,
    category: filters.category,
    labelId: filters.label,
    channel: filters.channel,
    search: filters.search,
    after: filters.cursor ? decodeTicketCursor(sort, filters.cursor) : undefined,
    sort,
    viewerId: actor.id,
    take: limit + 1,
  });
  const page = found.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page,
    nextCursor: found.length > limit && last ? encodeTicketCursor(sort, last) : null,
  };
}
