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

/**
 * A customer's message ends a snooze: a pending ticket snoozed to a time (whether or not that time
 * has come) returns to open, as the snooze's end would. A pending ticket that is not snoozed stays
 * pending (the agent waits on the customer and decides), as any open one stays open.
 * @param ticket the ticket the message goes to, as it was before the message.
 */
export function customerMessageEndsSnooze(ticket: {
  status: TicketSummary['status'];
  snoozedUntil: Date | null;
}): boolean {
  return ticket.status === 'pending' && ticket.snoozedUntil !== null;
}
