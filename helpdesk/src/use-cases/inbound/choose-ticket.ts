/**
 * The ticket an inbound message goes to (SPEC section 5, step 3): the rule is
 * domain/ticket-lifecycle.ts (`chooseTicket`), the rows are store/inbound-tickets.ts.
 */
import { awaitsCsatAnswer, readCsatRating, type CsatRating } from '../../domain/csat';
import { chooseTicket, type TicketSummary } from '../../domain/ticket-lifecycle';
import { lockCsatAwaitingTicket } from '../../store/csat';
import type { DatabaseTransaction } from '../../store/inbound-database';
import {
  findLastResolvedTicket,
  insertTicket,
  insertTickets,
  reopenTicket,
  type TicketRow,
} from '../../store/inbound-tickets';
import type { InboundMessage } from '../../whatsapp/inbound-event';

/**
 * The customer's open ticket, else their last one reopened when it was resolved within
 * `reopenWindowMs`, else a new one (one or two statements then). A message that rates their last
 * resolved ticket while its satisfaction question is open (domain/csat.ts) goes to that ticket and
 * leaves it resolved: `csat` holds the rating.
 * @param openTicket the customer's open or pending ticket on the message's channel, locked, or null.
 * @param knownLastResolved their last resolved or closed ticket on the channel (null: none) when the
 *   caller read it already in this transaction; undefined: read here.
 * @returns the ticket, and whether this message opened or reopened it (null: it was open, or the
 *   message rates it).
 */
export async function ticketForMessage(
  transaction: DatabaseTransaction,
  reopenWindowMs: number,
  customerId: string,
  event: InboundMessage,
  openTicket: TicketRow | null,
  now: Date,
  knownLastResolved?: TicketSummary | null,
): Promise<{ ticket: TicketRow; change: 'opened' | 'reopened' | null; csat?: CsatRating }> {
  if (openTicket) return { ticket: openTicket, change: null };
  const lastResolved =
    knownLastResolved !== undefined
      ? knownLastResolved
      : await findLastResolvedTicket(transaction, customerId, event.channel);
  const rating = ratingOfLastTicket(event, lastResolved);
  if (rating && lastResolved) {
    const awaiting = await lockCsatAwaitingTicket(transaction, lastResolved.id);
    if (awaiting && awaitsCsatAnswer(awaiting, now)) {
      const { csatRequestedAt: _requested, csatAnsweredAt: _answered, ...ticket } = awaiting;
      return { ticket, change: null, csat: rating };
    }
  }
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

/** A batch's message whose sender has no open ticket on its channel, as `ticketForMessage` sees it. */
interface TicketToChoose {
  customerId: string;
  event: InboundMessage;
  /** The time `ticketForMessage` would get for it. */
  now: Date;
  /** Their last resolved or closed ticket on the channel (null: none); undefined: not read. */
  knownLastResolved: TicketSummary | null | undefined;
}

/**
 * The new tickets of a batch, opened in one statement before the messages are handled one by one:
 * for each message given (the first of its customer and channel, without an open ticket) whose
 * ticket `ticketForMessage` would open, given the same values. Left to it, one by one: a sender
 * whose last resolved ticket was not read, a reopen, and a possible rating of a resolved ticket.
 * @returns the tickets opened, by the message they were opened for.
 */
export async function openTicketsAhead(
  transaction: DatabaseTransaction,
  reopenWindowMs: number,
  candidates: readonly TicketToChoose[],
): Promise<Map<InboundMessage, TicketRow>> {
  const opening = candidates.filter(
    ({ event, now, knownLastResolved: lastResolved }) =>
      lastResolved !== undefined &&
      !ratingOfLastTicket(event, lastResolved) &&
      chooseTicket(null, lastResolved, now, reopenWindowMs).action === 'open',
  );
  const opened = await insertTickets(
    transaction,
    opening.map(({ customerId, event, now }) => ({
      customerId,
      channel: event.channel,
      provider: event.provider,
      openedAt: now,
    })),
  );
  return new Map(opening.map(({ event }, index) => [event, opened[index]!]));
}

/**
 * The rating a message may give its customer's last ticket on the channel: only a resolved one can
 * be rated (whether its question is still open is read in the transaction: domain/csat.ts).
 */
function ratingOfLastTicket(event: InboundMessage, lastResolved: TicketSummary | null): CsatRating | null {
  if (lastResolved?.status !== 'resolved') return null;
  return readCsatRating({ text: event.text ?? null, menuChoice: event.menuChoice ?? null });
}
