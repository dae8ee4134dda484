/**
 * The files a customer and the helpdesk have exchanged (Prisma): attachments of messages in any of
 * the customer's tickets, newest first. Returns plain objects.
 */
import type { Database } from './database';
import { rows, type Queryable } from './sql';

/** One stored file of one of the customer's messages. */
export interface CustomerMediaRow {
  /** The attachment's id. */
  id: string;
  messageId: string;
  ticketId: string;
  ticketNumber: number;
  mimeType: string;
  /** Bytes. */
  size: number;
  filename: string | null;
  /** The message's time (the provider's for inbound). */
  sentAt: Date;
  /** inbound: sent by the customer; outbound: sent to them. */
  direction: 'inbound' | 'outbound';
}

/**
 * Up to `limit` attachments of messages in the customer's tickets, newest message first (the
 * attachments of one message in the order they were stored).
 */
export async function listCustomerMedia(
  db: Database,
  customerId: string,
  limit: number,
): Promise<CustomerMediaRow[]> {
  const rows = await db.attachment.findMany({
    where: { message: { ticket: { customerId } } },
    orderBy: [{ message: { createdAt: 'desc' } }, { messageId: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }],
    take: limit,
    include: {
      message: {
        select: { id: true, sentAt: true, direction: true, ticket: { select: { id: true, number: true } } },
      },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    messageId: row.message.id,
    ticketId: row.message.ticket.id,
    ticketNumber: row.message.ticket.number,
    mimeType: row.mimeType,
    size: row.size,
    filename: row.originalFilename,
    sentAt: row.message.sentAt,
    direction: row.message.direction,
  }));
}

/** The customer's open and pending tickets' assignees (for `canReadCustomerFile`). */
export async function findActiveTicketsOfCustomer(
  db: Queryable,
  customerId: string,
): Promise<Array<{ assigneeId: string | null; status: 'open' | 'pending' }>> {
  return rows<{ assigneeId: string | null; status: 'open' | 'pending' }>(
    db,
    `SELECT assignee_id AS "assigneeId", status::text AS status
       FROM tickets WHERE customer_id = $1::uuid AND status IN ('open', 'pending')`,
    [customerId],
    'active-tickets-of-customer',
  );
}
