/**
 * The ticket an inbound message goes to (SPEC section 5, step 3): the rule is
 * domain/ticket-lifecycle.ts (`chooseTicket`), the rows are store/inbound-tickets.ts.
 */
import { chooseTicket } from '../../domain/ticket-lifecycle';
import type { DatabaseTransaction } from '../../store/inbound-database';
import {
  findLastResolvedTicket,
  insertTicket,
  reopenTicket,
  type TicketRow,
} from '../../store/inbound-tickets';
import type { InboundMessage } from '../../whatsapp/inbound-event';

/**
 * The customer's open ticket, else their last one reopened when it was resolved within
 * `reopenWindowMs`, else a new one (one or two statements then).
 * @param openTicket the customer's open or pending ticket on the message's channel, locked, or null.
 * @returns the ticket, and whether this message opened or reopened it (null: it was open).
 */
export async function ticketForMessage(
  transaction: DatabaseTransaction,
  reopenWindowMs: number,
  customerId: string,
  event: InboundMessage,
  openTicket: TicketRow | null,
  now: Date,
): Promise<{ ticket: TicketRow; change: 'opened' | 'reopened' | null }> {
  if (openTicket) return { ticket: openTicket, change: null };
  const lastResolved = await findLastResolvedTicket(transaction, customerId, event.channel);
  const choice = chooseTicket(null, lastResolved, now, reopenWindowMs);
  if (choice.action === 'reopen') {
    return { ticket: await reopenTicket(transaction, choice.ticketId, now), change: 'reopened' };
  }
  const opened = await insertTicket(
    transaction,
    { customerId, channel: event.channel, provider: event.provider },
    now,
  );
  return { ticket: opened, change: 'opened' };
}
