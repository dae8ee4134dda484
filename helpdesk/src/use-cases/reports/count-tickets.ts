/**
 * Tickets opened, reopened and resolved since the audit log began, and waiting now: what the
 * shared metrics report (infra/metrics.ts).
 */
import type { Deps } from '../../context';
import { ACTIVE_STATUSES, type TicketStatus } from '../../domain/ticket-rules';
import { readTicketCounts, type TicketCounts } from '../../store/reports-metrics';

export type { TicketCounts } from '../../store/reports-metrics';

/** Statuses that end a ticket's work: a change from an active status to one of these resolves it. */
const DONE_STATUSES: readonly TicketStatus[] = ['resolved', 'closed'];

/** @returns the counts (see `TicketCounts`). */
export async function countTickets(pool: Deps['pool']): Promise<TicketCounts> {
  return readTicketCounts(pool, { active: ACTIVE_STATUSES, done: DONE_STATUSES });
}
