/**
 * Which outgoing webhook events a realtime event makes (issue 17), and the JSON each delivery
 * POSTs. `ticket.status` and `ticket.assigned` pass through; `message.created` passes through and,
 * when the message is its ticket's first, also makes `ticket.created`. The event id is the realtime
 * stream id (with the type for a derived event), so one event is delivered to a webhook once.
 *
 * Body: `{ "id": "<event id>", "type": "<event type>", "occurredAt": "<ISO 8601>", "data": {
 * "ticketId", "ticketNumber", ...the realtime event's data } }`.
 */
import type { OutgoingWebhookEvent } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import type { LoggedEvent } from '../../realtime/events';
import {
  findWebhookSubscriptions,
  insertWebhookDeliveries,
  isFirstMessageOfTicket,
} from '../../store/integrations';

/** One delivery to make: what the `webhooks` queue's job carries. */
export interface WebhookDeliveryJob {
  deliveryId: string;
  webhookId: string;
  eventType: OutgoingWebhookEvent;
  eventId: string;
  /** The exact JSON body POSTed (and signed), fixed when the event happened. */
  body: string;
}

interface WebhookEvent {
  id: string;
  type: OutgoingWebhookEvent;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** The enabled webhooks and the event types each subscribes to. */
export type WebhookSubscriptions = ReadonlyArray<{ id: string; events: readonly string[] }>;

/**
 * The enabled webhooks' subscriptions, read once for a batch of realtime events: with none (most
 * helpdesks, and every inbound message's events) the batch costs no further query.
 */
export async function readWebhookSubscriptions(deps: Pick<Deps, 'pool'>): Promise<WebhookSubscriptions> {
  return findWebhookSubscriptions(deps.pool);
}

/**
 * The webhook events of one realtime event (none for events webhooks do not carry).
 * @param wanted whether some webhook subscribes to a type: `ticket.created` (a query per message)
 *   is only worked out when one does.
 */
export async function webhookEventsOf(
  deps: Pick<Deps, 'pool'>,
  logged: LoggedEvent,
  wanted: (type: OutgoingWebhookEvent) => boolean = () => true,
): Promise<WebhookEvent[]> {
  const { event } = logged;
  if (!event.ticketId) return [];
  const data = { ticketId: event.ticketId, ticketNumber: event.ticketNumber, ...event.data };
  const base = { occurredAt: event.at, data };
  switch (event.type) {
    case 'ticket.status':
    case 'ticket.assigned':
      return [{ ...base, id: logged.id, type: event.type }];
    case 'message.created': {
      const messageId = typeof event.data.messageId === 'string' ? event.data.messageId : null;
      const opened =
        messageId && wanted('ticket.created')
          ? await isFirstMessageOfTicket(deps.pool, event.ticketId, messageId)
          : false;
      return [
        ...(opened
          ? [
              {
                id: `${logged.id}:ticket.created`,
                type: 'ticket.created' as const,
                occurredAt: event.at,
                data: {
                  ticketId: event.ticketId,
                  ticketNumber: event.ticketNumber,
                  firstMessageId: messageId,
                },
              },
            ]
          : []),
        { ...base, id: logged.id, type: 'message.created' },
      ];
    }
    default:
      return [];
  }
}

/**
 * Records the deliveries a realtime event makes (one per subscribed, enabled webhook).
 * @param subscriptions the enabled webhooks (`readWebhookSubscriptions`, read for the batch).
 * @returns the jobs to enqueue (deliveries already attempted, e.g. on a re-read, are left out).
 */
export async function plannedDeliveries(
  deps: Pick<Deps, 'pool'>,
  logged: LoggedEvent,
  subscriptions: WebhookSubscriptions,
): Promise<WebhookDeliveryJob[]> {
  if (subscriptions.length === 0) return [];
  const subscribers = (type: string) => subscriptions.filter((webhook) => webhook.events.includes(type));
  const jobs: WebhookDeliveryJob[] = [];
  const wanted = (type: string) => subscribers(type).length > 0;
  for (const event of await webhookEventsOf(deps, logged, wanted)) {
    const webhooks = subscribers(event.type);
    if (webhooks.length === 0) continue;
    const created = await insertWebhookDeliveries(
      deps.pool,
      webhooks.map((webhook) => webhook.id),
      event.type,
      event.id,
    );
    const body = JSON.stringify(event);
    for (const delivery of created) {
      jobs.push({
        deliveryId: delivery.id,
        webhookId: delivery.webhookId,
        eventType: event.type,
        eventId: event.id,
        body,
      });
    }
  }
  return jobs;
}
