/**
 * The files a customer and the helpdesk have exchanged: attachments of messages in any of the
 * customer's tickets, newest first.
 */
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
 * attachments of one message in the order they were stored). One statement through pg: through
 * Prisma the same read took 6.1 – 7.5 ms a call, 4.7 – 5.8 of them the API's CPU, against 0.6 –
 * 0.7 ms now (a year of data; BENCHMARKS.md, "2026-11-30, day").
 * @param customerId the customer's id (uuid); limit at most this many rows.
 */
export async function listCustomerMedia(
  db: Queryable,
  customerId: string,
  limit: number,
): Promise<CustomerMediaRow[]> {
  return rows<CustomerMediaRow>(
    db,
    `SELECT a.id, a.message_id AS "messageId", t.id AS "ticketId", t.number AS "ticketNumber",
            a.mime_type AS "mimeType", a.size, a.original_filename AS filename,
            m.sent_at AS "sentAt", m.direction::text AS direction
       FROM tickets t
       JOIN messages m ON m.ticket_id = t.id
       JOIN attachments a ON a.message_id = m.id
      WHERE t.customer_id = $1::uuid
      ORDER BY m.created_at DESC, a.message_id DESC, a.created_at, a.id
      LIMIT $2`,
    [customerId, limit],
    'customer-media',
  );
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
