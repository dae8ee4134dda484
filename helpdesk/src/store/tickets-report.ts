/**
 * Tickets with their threads as plain objects (the CLI's `tickets:list --json`).
 */
import type { Database } from './database';

export interface TicketReport {
  number: number;
  status: string;
  category: string | null;
  /** The assignee's email, or null while waiting. */
  assignee: string | null;
  /** E.164, or null for a customer known only by lid or user id. */
  customerPhone: string | null;
  channel: string;
  messages: Array<{
    direction: string;
    author: string;
    type: string;
    text: string | null;
    deliveryStatus: string;
  }>;
}

/** Every ticket, oldest first, each with its messages in order. */
export async function findTicketReports(db: Database): Promise<TicketReport[]> {
  const tickets = await db.ticket.findMany({
    orderBy: { number: 'asc' },
    include: {
      assignee: { select: { email: true } },
      customer: { select: { phone: true } },
      messages: {
        orderBy: [{ createdAt: 'asc' }],
        select: { direction: true, author: true, type: true, text: true, deliveryStatus: true },
      },
    },
  });
  return tickets.map((ticket) => ({
    number: ticket.number,
    status: ticket.status,
    category: ticket.category,
    assignee: ticket.assignee?.email ?? null,
    customerPhone: ticket.customer.phone,
    channel: ticket.channel,
    messages: ticket.messages,
  }));
}
