/**
 * What realtime events need to know about a ticket or message to address it: the ticket's number
 * and assignee. One plain SQL query each, since the inbound and outbound workers publish on their
 * hot paths.
 */
import type { Queryable } from './sql';
import { row } from './sql';

/** A stored message, as `message.created` announces it. */
export interface CreatedMessage {
  id: string;
  ticketId: string;
  ticketNumber: number;
  /** The ticket's assignee: the event goes to them, or to everyone while the ticket waits. */
  assigneeId: string | null;
  direction: string;
  author: string;
  type: string;
}

/** An outbound message's new delivery status, as `message.status` announces it. */
export interface MessageStatusChange {
  messageId: string;
  ticketId: string;
  ticketNumber: number;
  /** The ticket's assignee: the event goes to them, or to everyone while the ticket waits. */
  assigneeId: string | null;
  deliveryStatus: string;
  error: string | null;
}

/** A ticket's number and assignee (null: waiting), or null for an unknown ticket. */
export async function findTicketAudience(
  db: Queryable,
  ticketId: string,
): Promise<{ number: number; assigneeId: string | null } | null> {
  return row<{ number: number; assigneeId: string | null }>(
    db,
    'SELECT number, assignee_id AS "assigneeId" FROM tickets WHERE id = $1',
    [ticketId],
  );
}

/** A message with its ticket's number and assignee, or null for an unknown message. */
export async function findCreatedMessage(db: Queryable, messageId: string): Promise<CreatedMessage | null> {
  return row<CreatedMessage>(
    db,
    `SELECT m.id, m.ticket_id AS "ticketId", t.number AS "ticketNumber", t.assignee_id AS "assigneeId",
            m.direction, m.author, m.type
       FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.id = $1`,
    [messageId],
  );
}

const STATUS_COLUMNS = `SELECT m.id AS "messageId", m.ticket_id AS "ticketId", t.number AS "ticketNumber",
            t.assignee_id AS "assigneeId", m.delivery_status AS "deliveryStatus", m.error
       FROM messages m JOIN tickets t ON t.id = m.ticket_id`;

/** A message's delivery status with its ticket's number and assignee, by message id; null if unknown. */
export async function findMessageStatus(
  db: Queryable,
  messageId: string,
): Promise<MessageStatusChange | null> {
  return row<MessageStatusChange>(db, `${STATUS_COLUMNS} WHERE m.id = $1`, [messageId]);
}

/** The same, by the provider's message id; null if unknown. */
export async function findMessageStatusByProviderId(
  db: Queryable,
  provider: string,
  providerMessageId: string,
): Promise<MessageStatusChange | null> {
  return row<MessageStatusChange>(
    db,
    `${STATUS_COLUMNS} WHERE m.provider = $1 AND m.provider_message_id = $2`,
    [provider, providerMessageId],
  );
}
