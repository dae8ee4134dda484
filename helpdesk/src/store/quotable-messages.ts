/**
 * The message an agent's reply quotes (issue 12): one of the ticket's messages, with what the
 * reply stores of it and the provider's id the driver sends as the quote.
 */
import type { DatabasePool } from './inbound-database';
import { row } from './sql';

/** A message of the ticket that a reply may quote. */
export interface QuotableMessage {
  id: string;
  /** Null while it has not reached WhatsApp (queued, or failed): it cannot be quoted then. */
  providerMessageId: string | null;
  direction: 'inbound' | 'outbound';
  type: string;
  /** Its text, else its caption. */
  text: string | null;
}

/** The message `messageId` of ticket `ticketId`, or null when the ticket has no such message. */
export async function findQuotableMessage(
  pool: DatabasePool,
  ticketId: string,
  messageId: string,
): Promise<QuotableMessage | null> {
  return row<QuotableMessage>(
    pool,
    `SELECT id, provider_message_id AS "providerMessageId", direction, type, COALESCE(text, caption) AS text
       FROM messages WHERE id = $1 AND ticket_id = $2`,
    [messageId, ticketId],
  );
}
