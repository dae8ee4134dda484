/**
 * Record a provider's delivery status (sent, delivered, read, failed) on the outbound message it
 * names (SPEC section 5, step 7). Statuses only move forward (a late `delivered` never undoes a
 * `read`); `failed` keeps the provider's error. Inbound messages are never touched, and a status
 * for an id we never sent is a logged no-op rather than a retried job.
 */
import type { Deps } from '../../context';
import type { Logger } from '../../infra/logger';
import { applyDeliveryStatus } from '../../store/messages-delivery-status';
import type { DeliveryStatusEvent, Provider } from '../../whatsapp/inbound-event';

/** The provider's reason for a `failed` status as one line ("code: message"), else null. */
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
  pool: Deps['pool'],
  provider: Provider,
  status: DeliveryStatusEvent,
  log?: Pick<Logger, 'info'>,
): Promise<boolean> {
  const result = await applyDeliveryStatus(pool, {
    provider,
    providerMessageId: status.providerMessageId,
    status: status.status,
    error: describeError(status),
  });
  if (!result.found) {
    log?.info(
      { provider, providerMessageId: status.providerMessageId, status: status.status },
      'delivery status for no outbound message of ours: ignored',
    );
    return false;
  }
  return result.changed;
}
