/**
 * The sweep of the outgoing webhooks' outbox relay (issue 17): a delivery is recorded in one
 * transaction and its job enqueued after the commit, so a Redis outage or a process killed in
 * between leaves a pending delivery with no job. The sweep enqueues those again (the job id is the
 * delivery's, so a job that exists is not added twice).
 */
import type { Deps } from '../../context';
import { findUnattemptedDeliveries } from '../../store/webhook-outbox';
import { deliveryJobOf, type WebhookDeliveryJob } from './relay-webhook-events';

/**
 * Pending deliveries never attempted and recorded more than `ageMs` ago (a job enqueued at once
 * has normally made its first attempt by then), oldest first, at most `limit`.
 */
export async function findUnqueuedDeliveries(
  deps: Pick<Deps, 'pool'>,
  options: { ageMs: number; limit: number; now?: Date },
): Promise<WebhookDeliveryJob[]> {
  const now = options.now ?? new Date();
  const deliveries = await findUnattemptedDeliveries(
    deps.pool,
    new Date(now.getTime() - options.ageMs),
    options.limit,
  );
  return deliveries.map(deliveryJobOf);
}
