/**
 * Who may open the files of a customer's earlier tickets. The ticket rules (ticket-rules.ts) let an
 * agent read only their own tickets and waiting ones; but the agent working a customer's current
 * ticket needs what that customer sent or was sent before (a prescription photo from last month's
 * ticket that another agent handled), as the customer panel lists it.
 */
import {
  ACTIVE_STATUSES,
  canReadTicket,
  type Actor,
  type TicketAccessFacts,
  type TicketStatus,
} from './ticket-rules';

/**
 * @param fileTicket the ticket of the file's message.
 * @param customerTickets the same customer's tickets (any status; only open and pending count).
 * @returns true when the actor may read the file's ticket, or may read one of the customer's open
 *   or pending tickets (the customer is at hand for them).
 */
export function canReadCustomerFile(
  actor: Actor,
  fileTicket: TicketAccessFacts,
  customerTickets: ReadonlyArray<TicketAccessFacts & { status: TicketStatus }>,
): boolean {
  if (canReadTicket(actor, fileTicket)) return true;
  return customerTickets.some(
    (ticket) => ACTIVE_STATUSES.includes(ticket.status) && canReadTicket(actor, ticket),
  );
}
