/**
 * Delivery statuses on outbound messages (sent, delivered, read, failed), applied in one
 * statement whose rank guard makes concurrent statuses apply in order.
 */
import { row } from './sql';
import type { DeliveryStatusEvent } from '../whatsapp/inbound-event';
import type { DatabasePool } from './inbound-database';

/** The order statuses move in; `failed` may replace anything but `read` (and itself). */
const FORWARD_ORDER = ['received', 'queued', 'sent', 'delivered', 'read'];

/**
 * Moves the outbound message with this provider message id to `status` when that is forward.
 * @param error the provider's reason, kept for `failed` (null leaves the stored error).
 * @returns `found`: an outbound message has this id; `changed`: its status moved.
 */
export async function applyDeliveryStatus(
  pool: DatabasePool,
  change: {
    provider: string;
    providerMessageId: string;
    status: DeliveryStatusEvent['status'];
    error: string | null;
  },
): Promise<{ found: boolean; changed: boolean }> {
  const result = await row<{ changed: boolean; found: boolean }>(
    pool,
    `WITH target AS (SELECT id, delivery_status FROM messages
                      WHERE provider = $1 AND provider_message_id = $2 AND direction = 'outbound'),
          changed AS (
            UPDATE messages m SET delivery_status = $3::"DeliveryStatus", error = COALESCE($4, m.error), updated_at = now()
              FROM target
             WHERE m.id = target.id
               AND CASE WHEN $3 = 'failed' THEN target.delivery_status NOT IN ('read', 'failed')
                        ELSE array_position($5::text[], target.delivery_status::text) < array_position($5::text[], $3) END
            RETURNING m.id)
     SELECT EXISTS (SELECT 1 FROM changed) AS changed, EXISTS (SELECT 1 FROM target) AS found`,
    [change.provider, change.providerMessageId, change.status, change.error, FORWARD_ORDER],
    'delivery-status',
  );
  return { found: result?.found ?? false, changed: result?.changed ?? false };
}
