/**
 * Tickets with their threads as plain objects (the CLI's `tickets:list`), a page at a time in
 * plain SQL: a year of data is 150,000 tickets and 2,000,000 messages, far more than one read
 * (or one process's memory) holds.
 */
import type { TicketStatus } from '@whatsapp-helpdesk/contract/api';
import { rows, type Queryable } from './sql';

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

/**
 * The tickets numbered after `afterNumber`, by number, each with its messages in order.
 * @param statuses only tickets in these statuses; null: every status.
 * @param limit most tickets.
 */
export async function findTicketReportsAfter(
  db: Queryable,
  afterNumber: number,
  limit: number,
  statuses: readonly TicketStatus[] | null,
): Promise<TicketReport[]> {
  const values: unknown[] = [afterNumber, limit];
  const status = statuses ? `AND t.status = ANY($${values.push([...statuses])}::"TicketStatus"[])` : '';
  return rows<TicketReport>(
    db,
    `SELECT t.number, t.status::text AS status, t.category, a.email AS assignee,
            c.phone AS "customerPhone", t.channel,
            COALESCE((SELECT json_agg(json_build_object('direction', m.direction, 'author', m.author,
                                                        'type', m.type, 'text', m.text,
                                                        'deliveryStatus', m.delivery_status)
                                      ORDER BY m.created_at, m.id)
                        FROM messages m WHERE m.ticket_id = t.id), '[]'::json) AS messages
       FROM tickets t
       JOIN customers c ON c.id = t.customer_id
       LEFT JOIN agents a ON a.id = t.assignee_id
      WHERE t.number > $1 ${status}
      ORDER BY t.number
      LIMIT $2`,
    values,
  );
}
