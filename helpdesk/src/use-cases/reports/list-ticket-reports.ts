/**
 * Tickets with their threads, for the CLI's `tickets:list` (and the tests that read it), read a
 * page at a time so that a year of tickets streams out instead of filling memory.
 */
import type { TicketStatus } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { findTicketReportsAfter, type TicketReport } from '../../store/tickets-report';

export type { TicketReport } from '../../store/tickets-report';

/** Tickets read per statement. */
const PAGE = 500;

/**
 * The tickets, oldest (lowest number) first, each with its messages in order, a page at a time.
 * @param options.statuses only these statuses (default every status); options.limit most tickets
 *   (default all).
 * @throws when PostgreSQL fails.
 */
export async function* ticketReportPages(
  db: Deps['pool'],
  options: { statuses?: readonly TicketStatus[]; limit?: number } = {},
): AsyncGenerator<TicketReport[]> {
  let after = 0;
  let left = options.limit ?? Number.POSITIVE_INFINITY;
  while (left > 0) {
    const page = await findTicketReportsAfter(db, after, Math.min(PAGE, left), options.statuses ?? null);
    if (page.length === 0) return;
    yield page;
    left -= page.length;
    after = page.at(-1)!.number;
    if (page.length < PAGE) return;
  }
}

/** Every ticket with its thread, in memory: for a few tickets (the tests'), not a year's. */
export async function listTicketReports(db: Deps['pool']): Promise<TicketReport[]> {
  const all: TicketReport[] = [];
  for await (const page of ticketReportPages(db)) all.push(...page);
  return all;
}
