/**
 * A failed outbound message sent again: found with its ticket, then put back in the queue for one
 * named send job in one guarded statement, so two retries (or a late original job) never send it
 * twice.
 */
import { row } from './sql';
import type { DatabasePool } from './inbound-database';
import type { DeliveryStatus } from '@whatsapp-helpdesk/contract/api';

/** What a retry checks about a message. */
export interface RetryFacts {
  ticketId: string;
  direction: 'inbound' | 'outbound';
  deliveryStatus: DeliveryStatus;
}

/** @returns the message's ticket, direction and status, or null for an unknown message. */
export async function findRetryFacts(pool: DatabasePool, messageId: string): Promise<RetryFacts | null> {
  return row<RetryFacts>(
    pool,
    `SELECT ticket_id AS "ticketId", direction, delivery_status AS "deliveryStatus" FROM messages WHERE id = $1`,
    [messageId],
  );
}

/**
 * Moves a failed outbound message back to `queued` (error and old provider id cleared), claimed in
 * advance by `sendJobId`: only the job with that id may send it (store/messages-outbound.ts).
 * @returns true when the message was failed and is now queued; false when it was not failed (any
 *   more), e.g. a concurrent retry won.
 */
export async function requeueFailedMessage(
  pool: DatabasePool,
  messageId: string,
  sendJobId: string,
): Promise<boolean> {
  const requeued = await row<{ id: string }>(
    pool,
    `UPDATE messages
        SET delivery_status = 'queued', error = NULL, provider_message_id = NULL, send_job_id = $2,
            updated_at = now()
      WHERE id = $1 AND direction = 'outbound' AND delivery_status = 'failed'
      RETURNING id`,
    [messageId, sendJobId],
  );
  return requeued !== null;
}
