/**
 * The JSON an outgoing webhook delivery POSTs (issue 17), built from an outbox row (the facts the
 * database triggers of migration 20261128210000_webhook_outbox recorded with the change itself).
 * The shape is the one subscribers have had since outgoing webhooks began:
 * `{ "id": "<event id>", "type": "<event type>", "occurredAt": "<ISO 8601>", "data": { "ticketId",
 * "ticketNumber", ... } }` with, per type,
 * - `ticket.created`: `firstMessageId`;
 * - `message.created`: `messageId`, `direction`, `author`, `type`;
 * - `ticket.status`: `status`, `previousStatus`, then `reason` (snooze_ended, customer_replied)
 *   when the change had one, else `snoozedUntil` when the ticket was snoozed (a customer's message
 *   reopening a resolved ticket is resolved → open, customer_replied);
 * - `ticket.assigned`: `assigneeId` (null: back to the waiting queue), `previousAssigneeId`, `by`
 *   (the acting agent's id, `auto` for the automatic assignment, null for the system).
 */
import type { OutgoingWebhookEvent } from '@whatsapp-helpdesk/contract/api';

/** One outbox row: an event as the trigger recorded it. */
export interface OutboxEvent {
  eventType: OutgoingWebhookEvent;
  /** Unique per event, e.g. `message.created:<message id>`, `ticket.status:<ticket event id>`. */
  eventId: string;
  ticketId: string;
  ticketNumber: number;
  /** The `ticket_events` type it comes from (`status_changed`, `assigned`, …); null for messages. */
  sourceType: string | null;
  /** The ticket event's agent (who acted); null for messages and the system. */
  agentId: string | null;
  /** The message's `{ messageId, direction, author, type }`, the first message's `{ firstMessageId }`,
   * or the ticket event's data (e.g. `{ from, to, reason }`). */
  facts: Record<string, unknown>;
  occurredAt: Date;
}

/** The body of an event, as JSON text (the exact bytes signed and POSTed). */
export function webhookBodyOf(event: OutboxEvent): string {
  const { facts } = event;
  const ticket = { ticketId: event.ticketId, ticketNumber: event.ticketNumber };
  let data: Record<string, unknown>;
  switch (event.eventType) {
    case 'ticket.created':
      data = { ...ticket, firstMessageId: facts.firstMessageId ?? null };
      break;
    case 'message.created':
      data = {
        ...ticket,
        messageId: facts.messageId,
        direction: facts.direction,
        author: facts.author,
        type: facts.type,
      };
      break;
    case 'ticket.status':
      data = {
        ...ticket,
        status: facts.to,
        previousStatus: facts.from,
        ...(facts.reason !== undefined
          ? { reason: facts.reason }
          : facts.snoozedUntil !== undefined
            ? { snoozedUntil: facts.snoozedUntil }
            : {}),
      };
      break;
    case 'ticket.assigned': {
      const automatic = event.sourceType === 'assigned';
      data = {
        ...ticket,
        // The automatic assignment records the assignee as the event's agent, with no `to`.
        assigneeId: automatic ? event.agentId : (facts.to ?? null),
        previousAssigneeId: automatic ? null : (facts.from ?? null),
        by: automatic ? 'auto' : event.agentId,
      };
      break;
    }
  }
  return JSON.stringify({
    id: event.eventId,
    type: event.eventType,
    occurredAt: event.occurredAt.toISOString(),
    data,
  });
}
