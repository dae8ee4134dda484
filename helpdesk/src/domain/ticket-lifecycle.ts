/**
 * Which ticket an inbound message belongs to (SPEC section 5, step 3): the customer's open ticket
 * on that channel; else their last resolved one if it was resolved within the reopen window;
 * else a new ticket.
 */

export interface TicketSummary {
  id: string;
  status: 'open' | 'pending' | 'resolved' | 'closed';
  resolvedAt: Date | null;
}

export type TicketChoice =
  { action: 'reuse'; ticketId: string } | { action: 'reopen'; ticketId: string } | { action: 'open' };

/**
 * @param current the customer's open or pending ticket on the channel, if any.
 * @param lastResolved the customer's most recently resolved ticket on the channel, if any.
 * @param now the message's processing time.
 * @param reopenWindowMs how long after resolution a message reopens the ticket (ms).
 */
export function chooseTicket(
  current: TicketSummary | null,
  lastResolved: TicketSummary | null,
  now: Date,
  reopenWindowMs: number,
): TicketChoice {
  if (current) return { action: 'reuse', ticketId: current.id };
  if (
    lastResolved?.status === 'resolved' &&
    lastResolved.resolvedAt &&
    now.getTime() - lastResolved.resolvedAt.getTime() <= reopenWindowMs
  ) {
    return { action: 'reopen', ticketId: lastResolved.id };
  }
  return { action: 'open' };
}
