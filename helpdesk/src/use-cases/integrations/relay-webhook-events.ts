/**
 * The relay of the outgoing webhooks' outbox (issue 17): events the database recorded with their
 * change (store/webhook-outbox.ts) become deliveries, one per enabled webhook subscribed to the
 * event type, each with its body fixed now (domain/webhook-events.ts). The caller enqueues them.
 */
import type { OutgoingWebhookEvent } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { webhookBodyOf } from '../../domain/webhook-events';
import { relayWebhookOutbox, type RecordedDelivery } from '../../store/webhook-outbox';

/** One delivery to make: what the `webhooks` queue's job carries. */
export interface WebhookDeliveryJob {
  deliveryId: string;
  webhookId: string;
  eventType: OutgoingWebhookEvent;
  eventId: string;
  /** The exact JSON body POSTed (and signed), fixed when the event was relayed. */
  body: string;
}

/** The job of a recorded delivery. */
export function deliveryJobOf(delivery: RecordedDelivery): WebhookDeliveryJob {
  return {
    deliveryId: delivery.id,
    webhookId: delivery.webhookId,
    eventType: delivery.eventType,
    eventId: delivery.eventId,
    body: delivery.body,
  };
}

/**
 * Takes up to `limit` events from the outbox and records their deliveries (one transaction).
 * @returns how many events were taken (`limit`: more may wait) and the jobs to enqueue.
 * @throws when PostgreSQL fails (nothing is taken: the events stay in the outbox).
 */
export async function relayWebhookEvents(
  deps: Pick<Deps, 'pool'>,
  limit: number,
): Promise<{ taken: number; jobs: WebhookDeliveryJob[] }> {
  const { taken, deliveries } = await relayWebhookOutbox(deps.pool, limit, webhookBodyOf);
  return { taken, jobs: deliveries.map(deliveryJobOf) };
}
