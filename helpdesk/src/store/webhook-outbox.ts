/**
 * The outgoing webhooks' transactional outbox (issue 17, migration 20261128210000_webhook_outbox):
 * triggers on `messages` and `ticket_events` write a `webhook_outbox` row in the change's own
 * transaction; the relay here turns rows into `webhook_deliveries` (one per enabled webhook
 * subscribed to the event type) and deletes them, in one transaction. Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so relays in several worker processes take different rows and a relay
 * that dies before committing leaves its rows to the next.
 */
import type pg from 'pg';
import type { OutboxEvent } from '../domain/webhook-events';
import { rows, transaction, type Queryable } from './sql';

/** A delivery to enqueue, with the body it POSTs. */
export interface RecordedDelivery {
  id: string;
  webhookId: string;
  eventType: OutboxEvent['eventType'];
  eventId: string;
  body: string;
}

const RECORDED_COLUMNS = `id::text AS id, webhook_id AS "webhookId", event_type AS "eventType",
  event_id AS "eventId", body`;

/**
 * Claims up to `limit` outbox rows (oldest first, skipping rows another relay holds), records
 * their deliveries with the body `bodyOf` builds, and deletes the rows, in one transaction.
 * @returns the outbox rows taken (0: the outbox was empty) and the deliveries recorded (an event
 *   no enabled webhook subscribes to any more makes none; a delivery recorded before is not
 *   recorded again).
 */
export async function relayWebhookOutbox(
  pool: pg.Pool,
  limit: number,
  bodyOf: (event: OutboxEvent) => string,
): Promise<{ taken: number; deliveries: RecordedDelivery[] }> {
  return transaction(pool, async (client) => {
    const events = await rows<OutboxEvent & { id: string }>(
      client,
      `SELECT id::text AS id, event_type AS "eventType", event_id AS "eventId", ticket_id AS "ticketId",
              ticket_number AS "ticketNumber", source_type AS "sourceType", agent_id AS "agentId", facts,
              occurred_at AS "occurredAt"
         FROM webhook_outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
      'webhook-outbox-claim',
    );
    if (events.length === 0) return { taken: 0, deliveries: [] };
    const deliveries = await rows<RecordedDelivery>(
      client,
      `INSERT INTO webhook_deliveries (webhook_id, event_type, event_id, body)
       SELECT w.id, e.event_type, e.event_id, e.body
         FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS e(event_type, event_id, body, position)
         JOIN outgoing_webhooks w ON w.enabled AND e.event_type = ANY(w.events)
        ORDER BY e.position, w.created_at, w.id
       ON CONFLICT (webhook_id, event_id) DO NOTHING
       RETURNING ${RECORDED_COLUMNS}`,
      [events.map((event) => event.eventType), events.map((event) => event.eventId), events.map(bodyOf)],
      'webhook-outbox-deliveries',
    );
    await client.query({
      name: 'webhook-outbox-delete',
      text: `DELETE FROM webhook_outbox WHERE id = ANY($1::bigint[])`,
      values: [events.map((event) => event.id)],
    });
    return { taken: events.length, deliveries };
  });
}

/**
 * Deliveries recorded but never attempted for longer than `olderThan` ago: their job may never
 * have been enqueued (the relay committed, then Redis refused or the process died). Oldest first;
 * rows recorded before the outbox (no body) are left out.
 */
export async function findUnattemptedDeliveries(
  db: Queryable,
  olderThan: Date,
  limit: number,
): Promise<RecordedDelivery[]> {
  return rows<RecordedDelivery>(
    db,
    `SELECT ${RECORDED_COLUMNS} FROM webhook_deliveries
      WHERE status = 'pending' AND attempts = 0 AND body IS NOT NULL AND created_at < $1
      ORDER BY created_at, id LIMIT $2`,
    [olderThan, limit],
  );
}
