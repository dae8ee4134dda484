/**
 * Every ticket with its thread, for the CLI's `tickets:list` (and the tests that read it).
 */
import type { Deps } from '../../context';
import { findTicketReports, type TicketReport } from '../../store/tickets-report';

export type { TicketReport } from '../../store/tickets-report';

/** Every ticket, oldest first, each with its messages in order. */
export async function listTicketReports(db: Deps['db']): Promise<TicketReport[]> {
  return findTicketReports(db);
}
