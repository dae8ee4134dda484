/**
 * One ticket with everything agents see of it: the ticket, its customer, messages with
 * attachments, internal notes and events.
 */
import { canReadCustomerFile } from '../../domain/customer-files';
import { canReadTicket, type Actor } from '../../domain/ticket-rules';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { findActiveTicketsOfCustomer } from '../../store/customer-media';
import { listTicketEvents, type TicketEventRecord } from '../../store/ticket-events';
import { listTicketNotes, type NoteView } from '../../store/ticket-notes';
import {
  findTicketWithCustomer,
  listTicketMessages,
  type MessageView,
  type ThreadCustomer,
  type TicketListItem,
} from '../../store/tickets-read';

export type EventView = TicketEventRecord;

export interface TicketThread {
  ticket: TicketListItem;
  customer: ThreadCustomer;
  messages: MessageView[];
  notes: NoteView[];
  events: EventView[];
}

/**
 * @returns the ticket's thread.
 * Readable by whoever may read the ticket (ticket-rules.ts), and read-only by an agent who is
 * working one of the same customer's open or pending tickets.
 * @throws AppError not_found for an unknown ticket; forbidden when the actor may not read it.
 */
export async function getTicketThread(
  db: Deps['pool'],
  actor: Actor,
  ticketId: string,
): Promise<TicketThread> {
  const found = await findTicketWithCustomer(db, ticketId, actor.id);
  if (!found) throw new AppError('not_found', `ticket: no ticket ${ticketId}`);
  const facts = { assigneeId: found.ticket.assignee?.id ?? null };
  // The agent working a customer's current ticket may read that customer's earlier tickets (the
  // customer panel's history), read-only: allowedActions stay those of canReadTicket's rules.
  // The same rule as for the files of those tickets (domain/customer-files.ts).
  if (
    !canReadTicket(actor, facts) &&
    !canReadCustomerFile(actor, facts, await findActiveTicketsOfCustomer(db, found.customer.id))
  ) {
    throw new AppError('forbidden', `ticket: #${found.ticket.number} is assigned to another agent`);
  }
  const [messages, notes, events] = await Promise.all([
    listTicketMessages(db, ticketId),
    listTicketNotes(db, ticketId),
    listTicketEvents(db, ticketId),
  ]);
  return { ticket: found.ticket, customer: found.customer, messages, notes, events };
}
