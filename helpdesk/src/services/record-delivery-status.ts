/**
 * Applies a provider's delivery status (sent, delivered, read, failed) to the outbound message it
 * names (SPEC section 5, step 7). Statuses only move forward (a late `delivered` never undoes a
 * `read`); `failed` keeps the provider's error.
 */
import type { Database } from '../infra/db';
import type { DeliveryStatusEvent, Provider } from '../whatsapp/inbound-event';

/** A status for a message we have not recorded yet (its send is still being written): retry later. */
export class UnknownMessageError extends Error {
  constructor(providerMessageId: string) {
    super(`no outbound message with provider id ${providerMessageId} yet`);
    this.name = 'UnknownMessageError';
  }
}

const RANK = { received: 0, queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 } as const;

/**
 * @returns true when the message changed, false when the status was old news.
 * @throws UnknownMessageError when no message carries that provider id.
 */
export async function recordDeliveryStatus(
  db: Database,
  provider: Provider,
  status: DeliveryStatusEvent,
): Promise<boolean> {
  const message = await db.message.findUnique({
    where: { provider_providerMessageId: { provider, providerMessageId: status.providerMessageId } },
    select: { id: true, deliveryStatus: true },
  });
  if (!message) throw new UnknownMessageError(status.providerMessageId);
  const current = message.deliveryStatus;
  const advances =
    status.status === 'failed'
      ? current !== 'read' && current !== 'failed'
      : RANK[status.status] > RANK[current];
  if (!advances) return false;
  const error =
    status.status === 'failed'
      ? typeof status.error === 'string'
        ? status.error
        : status.error
          ? [status.error.code, status.error.message].filter((part) => part !== undefined).join(': ')
          : 'failed'
      : null;
  // The guard on the current status makes concurrent updates apply in rank order.
  const result = await db.message.updateMany({
    where: { id: message.id, deliveryStatus: current },
    data: { deliveryStatus: status.status, ...(error ? { error } : {}) },
  });
  return result.count === 1;
}
