/**
 * One ticket with everything agents see of it: the ticket, its customer, messages with
 * attachments, internal notes and events.
 */
import { canReadTicket, type Actor } from '../../domain/ticket-rules';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
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
 * @throws AppError not_found for an unknown ticket; forbidden when the actor may not read it.
 */
export async function getTicketThread(db: Deps['db'], actor: Actor, ticketId: string): Promise<TicketThread> {
  const found = await findTicketWithCustomer(db, ticketId, actor.id);
  if (!found) throw new AppError('not_found', `ticket: no ticket ${ticketId}`);
  if (!canReadTicket(actor, { assigneeId: found.ticket.assignee?.id ?? null })) {
    throw new AppError('forbidden', `ticket: #${found.ticket.number} is assigned to another agent`);
  }
  const [messages, notes, events] = await Promise.all([
    listTicketMessages(db, ticketId),
    listTicketNotes(db, ticketId),
    listTicketEvents(db, ticketId),
  ]);
  return { ticket: found.ticket, customer: found.customer, messages, notes, events };
}
