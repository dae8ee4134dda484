/**
 * The inbox: one page of the tickets an agent may list (filters, search, cursor pagination), with
 * the access rules of domain/ticket-rules.ts.
 */
import type { TicketListView as TicketView } from '@whatsapp-helpdesk/contract/api';
import { ACTIVE_STATUSES, type Actor, type TicketStatus } from '../../domain/ticket-rules';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { findTicketListItems, type TicketListItem } from '../../store/tickets-read';

export { TICKET_VIEWS, type TicketListView as TicketView } from '@whatsapp-helpdesk/contract/api';

export interface TicketFilters {
  /** mine: assigned to the actor; unassigned: the waiting queue; all: every ticket (admins only). */
  view: TicketView;
  /** Statuses to include (default: open and pending). */
  statuses?: TicketStatus[];
  category?: string;
  /** Customer name (substring, any case), phone digits (substring) or ticket number. */
  search?: string;
  /** Only tickets of this assignee (admins only). */
  assigneeId?: string;
  /** newest: highest ticket number first (default); oldest: lowest first. */
  sort?: 'newest' | 'oldest';
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
export async function listTickets(db: Deps['db'], actor: Actor, filters: TicketFilters): Promise<TicketPage> {
  if (actor.role !== 'admin' && filters.view === 'all') {
    throw new AppError('forbidden', 'view: "all" is for admins; agents see "mine" and "unassigned"');
  }
  if (actor.role !== 'admin' && filters.assigneeId && filters.assigneeId !== actor.id) {
    throw new AppError('forbidden', "assigneeId: agents cannot list another agent's tickets");
  }
  const limit = Math.min(Math.max(filters.limit ?? 25, 1), 100);
  const assigneeIs: Array<string | null> = [];
  if (filters.view === 'mine') assigneeIs.push(actor.id);
  if (filters.view === 'unassigned') assigneeIs.push(null);
  if (filters.assigneeId) assigneeIs.push(filters.assigneeId);
  const found = await findTicketListItems(db, {
    statuses: filters.statuses?.length ? filters.statuses : ACTIVE_STATUSES,
    assigneeIs,
    category: filters.category,
    search: filters.search,
    afterNumber: filters.cursor ? decodeCursor(filters.cursor) : undefined,
    sort: filters.sort ?? 'newest',
    take: limit + 1,
  });
  const page = found.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page,
    nextCursor: found.length > limit && last ? encodeCursor(last.number) : null,
  };
}

function encodeCursor(number: number): string {
  return Buffer.from(`n:${number}`).toString('base64url');
}

/** Ticket numbers are PostgreSQL integers: a larger one in a crafted cursor would fail the query. */
const MAX_TICKET_NUMBER = 2_147_483_647;

function decodeCursor(cursor: string): number {
  const match = /^n:(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const number = match ? Number(match[1]) : NaN;
  if (!(number <= MAX_TICKET_NUMBER)) {
    throw new AppError('validation_failed', 'cursor: is not a cursor this API returned');
  }
  return number;
}
