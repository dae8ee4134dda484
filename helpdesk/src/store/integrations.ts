/**
 * Integration API keys, outgoing webhooks and their delivery log (issue 17) as rows, and the
 * integration API's "message to a customer by phone": in one transaction the customer is found or
 * created by phone, their open or pending ticket on the channel is locked (a new ticket, with an
 * `opened` event, when there is none), the Cloud API 24-hour rule is checked against their last
 * message, and a queued outbound message (author bot) is stored — the same claim-and-store as the
 * scheduled messages' (store/scheduled-messages.ts), so assignment and sending are unchanged.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { insertTicket, lockOpenTicket } from './inbound-tickets';
import { row, rows, transaction, type Queryable } from './sql';
import { insertTicketEvents } from './ticket-events';

/** An API key as stored (never the key: its SHA-256, hex). */
export interface ApiKeyRow {
  id: string;
  name: string;
  scopes: string[];
  keyPrefix: string;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
}

const API_KEY_COLUMNS = `id, name, scopes, key_prefix AS "keyPrefix", last_used_at AS "lastUsedAt",
  revoked_at AS "revokedAt", created_by AS "createdBy", created_at AS "createdAt"`;

/** Stores a new key by its hash. */
export async function insertApiKey(
  db: Queryable,
  key: { name: string; scopes: string[]; keyHash: string; keyPrefix: string; createdBy: string | null },
): Promise<ApiKeyRow> {
  return (await row<ApiKeyRow>(
    db,
    `INSERT INTO api_keys (name, scopes, key_hash, key_prefix, created_by)
     VALUES ($1, $2, $3, $4, $5) RETURNING ${API_KEY_COLUMNS}`,
    [key.name, key.scopes, key.keyHash, key.keyPrefix, key.createdBy],
  ))!;
}

/** Every key, newest first (revoked ones included). */
export async function listApiKeys(db: Queryable): Promise<ApiKeyRow[]> {
  return rows<ApiKeyRow>(db, `SELECT ${API_KEY_COLUMNS} FROM api_keys ORDER BY created_at DESC, id`);
}

/** Revokes a key. @returns the key, or null when unknown (revoking twice keeps the first time). */
export async function revokeApiKey(db: Queryable, id: string, now: Date): Promise<ApiKeyRow | null> {
  return row<ApiKeyRow>(
    db,
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 RETURNING ${API_KEY_COLUMNS}`,
    [id, now],
  );
}

/** The key with this hash, revoked or not, or null. */
export async function findApiKeyByHash(db: Queryable, keyHash: string): Promise<ApiKeyRow | null> {
  return row<ApiKeyRow>(db, `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE key_hash = $1`, [keyHash]);
}

/** Records a use, at most once a minute per key (a write only when the last is older). */
export async function touchApiKey(db: Queryable, id: string, now: Date): Promise<void> {
  await db.query(
    `UPDATE api_keys SET last_used_at = $2
      WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')`,
    [id, now],
  );
}

/** An outgoing webhook as stored (the secret sealed). */
export interface OutgoingWebhookRow {
  id: string;
  name: string;
  url: string;
  secretSealed: string;
  events: string[];
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const WEBHOOK_COLUMNS = `id, name, url, secret_sealed AS "secretSealed", events, enabled,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function insertOutgoingWebhook(
  db: Queryable,
  webhook: { name: string; url: string; secretSealed: string; events: string[]; enabled: boolean },
): Promise<OutgoingWebhookRow> {
  return (await row<OutgoingWebhookRow>(
    db,
    `INSERT INTO outgoing_webhooks (name, url, secret_sealed, events, enabled)
     VALUES ($1, $2, $3, $4, $5) RETURNING ${WEBHOOK_COLUMNS}`,
    [webhook.name, webhook.url, webhook.secretSealed, webhook.events, webhook.enabled],
  ))!;
}

export async function listOutgoingWebhooks(db: Queryable): Promise<OutgoingWebhookRow[]> {
  return rows<OutgoingWebhookRow>(
    db,
    `SELECT ${WEBHOOK_COLUMNS} FROM outgoing_webhooks ORDER BY created_at, id`,
  );
}

export async function findOutgoingWebhook(db: Queryable, id: string): Promise<OutgoingWebhookRow | null> {
  return row<OutgoingWebhookRow>(db, `SELECT ${WEBHOOK_COLUMNS} FROM outgoing_webhooks WHERE id = $1`, [id]);
}

/** Each enabled webhook's id and the event types it subscribes to (read once per batch of events). */
export async function findWebhookSubscriptions(
  db: Queryable,
): Promise<Array<{ id: string; events: string[] }>> {
  return rows<{ id: string; events: string[] }>(
    db,
    `SELECT id, events FROM outgoing_webhooks WHERE enabled ORDER BY created_at, id`,
    [],
    'webhook-subscriptions',
  );
}

export async function updateOutgoingWebhook(
  db: Queryable,
  id: string,
  changes: { name?: string; url?: string; events?: string[]; enabled?: boolean },
): Promise<OutgoingWebhookRow | null> {
  return row<OutgoingWebhookRow>(
    db,
    `UPDATE outgoing_webhooks SET name = coalesce($2, name), url = coalesce($3, url),
            events = coalesce($4, events), enabled = coalesce($5, enabled), updated_at = now()
      WHERE id = $1 RETURNING ${WEBHOOK_COLUMNS}`,
    [id, changes.name ?? null, changes.url ?? null, changes.events ?? null, changes.enabled ?? null],
  );
}

export async function deleteOutgoingWebhook(db: Queryable, id: string): Promise<boolean> {
  return ((await db.query(`DELETE FROM outgoing_webhooks WHERE id = $1`, [id])).rowCount ?? 0) > 0;
}

/** One event sent to one webhook. */
export interface WebhookDeliveryRow {
  id: string;
  webhookId: string;
  eventType: string;
  eventId: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

const DELIVERY_COLUMNS = `id::text AS id, webhook_id AS "webhookId", event_type AS "eventType", event_id AS "eventId",
  status, attempts, last_status_code AS "lastStatusCode", last_error AS "lastError",
  created_at AS "createdAt", delivered_at AS "deliveredAt"`;

/**
 * Records deliveries to make (one per webhook; the same event for the same webhook once).
 * @returns the deliveries to enqueue: created now, or recorded before but never attempted (an
 *   enqueue that failed; the job id `delivery-<id>` keeps a second enqueue from adding a job).
 */
export async function insertWebhookDeliveries(
  db: Queryable,
  webhookIds: readonly string[],
  eventType: string,
  eventId: string,
): Promise<WebhookDeliveryRow[]> {
  if (webhookIds.length === 0) return [];
  return rows<WebhookDeliveryRow>(
    db,
    `INSERT INTO webhook_deliveries (webhook_id, event_type, event_id)
     SELECT unnest($1::uuid[]), $2, $3
     ON CONFLICT (webhook_id, event_id) DO UPDATE SET event_type = EXCLUDED.event_type
       WHERE webhook_deliveries.status = 'pending' AND webhook_deliveries.attempts = 0
     RETURNING ${DELIVERY_COLUMNS}`,
    [webhookIds, eventType, eventId],
  );
}

/** Records one attempt's outcome. */
export async function recordDeliveryAttempt(
  db: Queryable,
  id: string,
  attempt: {
    status: 'pending' | 'delivered' | 'failed';
    statusCode: number | null;
    error: string | null;
    at: Date;
  },
): Promise<void> {
  await db.query(
    `UPDATE webhook_deliveries SET attempts = attempts + 1, status = $2, last_status_code = $3,
            last_error = $4, delivered_at = CASE WHEN $2 = 'delivered' THEN $5::timestamptz ELSE delivered_at END
      WHERE id = $1`,
    [id, attempt.status, attempt.statusCode, attempt.error, attempt.at],
  );
}

/** A webhook's deliveries, newest first, at most `limit`. */
export async function listWebhookDeliveries(
  db: Queryable,
  webhookId: string,
  limit = 200,
): Promise<WebhookDeliveryRow[]> {
  return rows<WebhookDeliveryRow>(
    db,
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2`,
    [webhookId, limit],
  );
}

/** Whether this message is its ticket's first (the ticket was opened with it). */
export async function isFirstMessageOfTicket(
  db: Queryable,
  ticketId: string,
  messageId: string,
): Promise<boolean> {
  const first = await row<{ id: string }>(
    db,
    `SELECT id FROM messages WHERE ticket_id = $1 ORDER BY created_at, id LIMIT 1`,
    [ticketId],
  );
  return first?.id === messageId;
}

/** A ticket as the integration API answers it. */
export interface IntegrationTicketRow {
  id: string;
  number: number;
  status: string;
  category: string | null;
  channel: string;
  assigneeId: string | null;
  customerId: string;
  customerPhone: string | null;
  customerName: string | null;
  openedAt: Date;
  resolvedAt: Date | null;
  updatedAt: Date;
}

export async function findTicketByNumber(
  db: Queryable,
  number: number,
): Promise<IntegrationTicketRow | null> {
  return row<IntegrationTicketRow>(
    db,
    `SELECT t.id, t.number, t.status, t.category, t.channel, t.assignee_id AS "assigneeId",
            c.id AS "customerId", c.phone AS "customerPhone", c.name AS "customerName",
            t.opened_at AS "openedAt", t.resolved_at AS "resolvedAt", t.updated_at AS "updatedAt"
       FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.number = $1`,
    [number],
  );
}

/** Creates or updates a customer by phone (name and tags as given). */
export async function upsertCustomerByPhone(
  db: pg.Pool,
  phone: string,
  changes: { name?: string | null; tags?: string[] },
): Promise<{ id: string; phone: string; name: string | null; tags: string[]; created: boolean }> {
  return transaction(db, async (client) => {
    const existing = await row<{ id: string }>(
      client,
      `SELECT id FROM customers WHERE phone = $1 ORDER BY created_at LIMIT 1 FOR UPDATE`,
      [phone],
    );
    const found = existing
      ? await row<{ id: string; phone: string; name: string | null; tags: string[] }>(
          client,
          `UPDATE customers SET name = CASE WHEN $2 THEN $3 ELSE name END,
                  tags = coalesce($4, tags), updated_at = now()
            WHERE id = $1 RETURNING id, phone, name, coalesce(tags, '{}') AS tags`,
          [existing.id, changes.name !== undefined, changes.name ?? null, changes.tags ?? null],
        )
      : await row<{ id: string; phone: string; name: string | null; tags: string[] }>(
          client,
          `INSERT INTO customers (id, phone, name, tags, updated_at)
           VALUES (gen_random_uuid(), $1, $2, $3, now()) RETURNING id, phone, name, coalesce(tags, '{}') AS tags`,
          [phone, changes.name ?? null, changes.tags ?? []],
        );
    return { ...found!, created: !existing };
  });
}

/** The channel a message to a customer goes out on. */
export interface ChannelChoice {
  key: string;
  provider: string;
}

/**
 * The channel of an integration message: `key` when given (null when no enabled channel has it),
 * else the channel of the customer's latest ticket, else the configured channel, else the oldest
 * enabled one.
 */
export async function chooseMessageChannel(
  db: Queryable,
  phone: string,
  key: string | undefined,
): Promise<ChannelChoice | null> {
  if (key) {
    return row<ChannelChoice>(db, `SELECT key, provider FROM channels WHERE key = $1 AND enabled LIMIT 1`, [
      key,
    ]);
  }
  return row<ChannelChoice>(
    db,
    `SELECT key, provider FROM (
       SELECT ch.key, ch.provider, 0 AS rank, t.opened_at AS at
         FROM customers c JOIN tickets t ON t.customer_id = c.id JOIN channels ch ON ch.key = t.channel AND ch.enabled
        WHERE c.phone = $1
       UNION ALL SELECT key, provider, CASE WHEN configured THEN 1 ELSE 2 END, created_at FROM channels WHERE enabled
     ) options ORDER BY rank, CASE WHEN rank = 0 THEN at END DESC, at LIMIT 1`,
    [phone],
  );
}

export type IntegrationSendResult =
  | { outcome: 'refused'; reason: string }
  | { outcome: 'stored'; messageId: string; ticketId: string; ticketNumber: number; ticketOpened: boolean };

/**
 * Stores a text to a customer by phone as a queued outbound message on their open or pending
 * ticket of the channel (opening one when none), in one transaction (see the module comment).
 * @param refusal why the text may not be sent given the customer's last message time, or null.
 */
export async function storeIntegrationMessage(
  pool: pg.Pool,
  message: { phone: string; text: string; channel: ChannelChoice; apiKeyId: string; now: Date },
  refusal: (lastInboundAt: Date | null) => string | null,
): Promise<IntegrationSendResult> {
  return transaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
      `integration-customer|${message.phone}`,
    ]);
    const customer =
      (await row<{ id: string }>(
        client,
        `SELECT id FROM customers WHERE phone = $1 ORDER BY created_at LIMIT 1`,
        [message.phone],
      )) ??
      (await row<{ id: string }>(
        client,
        `INSERT INTO customers (id, phone, updated_at) VALUES (gen_random_uuid(), $1, $2) RETURNING id`,
        [message.phone, message.now],
      ))!;
    const customerTicket = await lockOpenTicket(client, customer.id, message.channel.key);
    const lastInbound = await row<{ at: Date | null }>(
      client,
      `SELECT max(last_inbound_at) AS at FROM tickets WHERE customer_id = $1 AND channel = $2`,
      [customer.id, message.channel.key],
    );
    const reason = refusal(lastInbound?.at ?? null);
    if (reason) return { outcome: 'refused', reason };
    const ticket =
      customerTicket ??
      (await insertTicket(
        client,
        { customerId: customer.id, channel: message.channel.key, provider: message.channel.provider },
        message.now,
      ));
    if (!customerTicket) {
      await insertTicketEvents(client, [
        { ticketId: ticket.id, type: 'opened', agentId: null, data: { reason: 'integration_message' } },
      ]);
    }
    const messageId = randomUUID();
    await client.query(
      `INSERT INTO messages (id, ticket_id, channel, provider, direction, author, delivery_status,
                             type, text, raw, sent_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'outbound', 'bot', 'queued', 'text', $5, $6, $7, $7, $7)`,
      [
        messageId,
        ticket.id,
        message.channel.key,
        message.channel.provider,
        message.text,
        JSON.stringify({ kind: 'integration', apiKeyId: message.apiKeyId }),
        message.now,
      ],
    );
    return {
      outcome: 'stored',
      messageId,
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      ticketOpened: !customerTicket,
    };
  });
}
