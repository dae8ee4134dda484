/**
 * Applies a provider's delivery status (sent, delivered, read, failed) to the outbound message it
 * names (SPEC section 5, step 7). Statuses only move forward (a late `delivered` never undoes a
 * `read`); `failed` keeps the provider's error. Inbound messages are never touched, and a status
 * for an id we never sent is a logged no-op rather than a retried job.
 */
import type pg from 'pg';
import type { Logger } from '../infra/logger';
import { row } from '../infra/sql';
import type { DeliveryStatusEvent, Provider } from '../whatsapp/inbound-event';

/** The order statuses move in; `failed` may replace anything but `read` (and itself). */
const FORWARD_ORDER = ['received', 'queued', 'sent', 'delivered', 'read'];

function describeError(status: DeliveryStatusEvent): string | null {
  if (status.status !== 'failed') return null;
  if (typeof status.error === 'string') return status.error;
  if (status.error)
    return [status.error.code, status.error.message].filter((part) => part !== undefined).join(': ');
  return 'failed';
}

/**
 * @returns true when the message changed; false when the status was old news, or when it names no
 *   outbound message of ours (a reply typed on the phone, or an inbound message's id: statuses
 *   apply to what the helpdesk sent, and an unknown id will not become known by retrying).
 */
export async function recordDeliveryStatus(
  pool: pg.Pool,
  provider: Provider,
  status: DeliveryStatusEvent,
  log?: Pick<Logger, 'info'>,
): Promise<boolean> {
  // One statement; the rank guard makes concurrent statuses apply in order.
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
    [provider, status.providerMessageId, status.status, describeError(status), FORWARD_ORDER],
    'delivery-status',
  );
  if (!result?.found) {
    log?.info(
      { provider, providerMessageId: status.providerMessageId, status: status.status },
      'delivery status for no outbound message of ours: ignored',
    );
    return false;
  }
  return result.changed;
}
