/**
 * Broadcasts and their recipients (issue 17) as rows: create one with its recipients in one
 * transaction, read progress and per-recipient results (a sent recipient's status follows its
 * outbound message: delivered, read, failed), change the status, and the sending transaction that
 * claims a recipient (`UPDATE … SET status = 'sent' WHERE status = 'pending' RETURNING`) and stores
 * its outbound message on the customer's open ticket (opening one when there is none), so a
 * recipient is stored for sending exactly once even when a job runs twice.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { AppError } from '../errors';
import { isUniqueViolation } from './database';
import { insertTicket, lockOpenTicket } from './inbound-tickets';
import { row, rows, transaction, type Queryable } from './sql';
import { insertTicketEvents } from './ticket-events';

export type BroadcastStatus = 'draft' | 'running' | 'paused' | 'done' | 'cancelled';
export type RecipientStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed' | 'skipped';

/** A broadcast as stored, with its recipients counted by (effective) status. */
export interface BroadcastRow {
  id: string;
  name: string;
  channel: string;
  provider: string;
  text: string | null;
  /** { name, language, parameters, outbound } (outbound: the resolved whatsapp/driver.ts OutboundTemplate). */
  template: { name: string; language: string; parameters: unknown; outbound: { text: string } } | null;
  segment: Record<string, unknown>;
  status: BroadcastStatus;
  ratePerMinute: number;
  dailyCap: number | null;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  progress: Record<'total' | RecipientStatus, number>;
}

/** A recipient's effective status: a sent one takes its outbound message's delivery status. */
const EFFECTIVE_STATUS = `CASE WHEN r.status = 'sent' AND m.delivery_status IN ('delivered', 'read', 'failed')
  THEN m.delivery_status::text ELSE r.status END`;

const SELECT_BROADCAST = `SELECT b.id, b.name, b.channel_key AS channel, b.provider, b.text, b.template, b.segment, b.status,
  b.rate_per_minute AS "ratePerMinute", b.daily_cap AS "dailyCap", b.created_by AS "createdBy",
  b.created_at AS "createdAt", b.started_at AS "startedAt", b.finished_at AS "finishedAt",
  (SELECT json_build_object('total', count(*),
          'pending', count(*) FILTER (WHERE s = 'pending'), 'sent', count(*) FILTER (WHERE s = 'sent'),
          'delivered', count(*) FILTER (WHERE s = 'delivered'), 'read', count(*) FILTER (WHERE s = 'read'),
          'failed', count(*) FILTER (WHERE s = 'failed'), 'skipped', count(*) FILTER (WHERE s = 'skipped'))
     FROM (SELECT ${EFFECTIVE_STATUS} AS s FROM broadcast_recipients r
             LEFT JOIN messages m ON m.id = r.message_id WHERE r.broadcast_id = b.id) counted) AS progress
  FROM broadcasts b`;

/** A recipient to store: a customer (or a new number), pending or skipped with a reason. */
export interface NewRecipient {
  phone: string;
  customerId: string | null;
  status: 'pending' | 'skipped';
  reason: string | null;
}

/** A broadcast to store (status draft). */
export interface NewBroadcast {
  name: string;
  channel: string;
  provider: string;
  text: string | null;
  template: BroadcastRow['template'];
  segment: Record<string, unknown>;
  ratePerMinute: number;
  dailyCap: number | null;
  createdBy: string;
}

/** Customers found for a segment: id, E.164 phone, opted out. */
export interface SegmentCustomer {
  customerId: string;
  phone: string;
  optedOut: boolean;
}

/** Customers with a phone who have a ticket carrying one of the labels. */
export async function customersWithLabels(db: Queryable, labelIds: string[]): Promise<SegmentCustomer[]> {
  return rows<SegmentCustomer>(
    db,
    `SELECT DISTINCT c.id AS "customerId", c.phone, c.opted_out_at IS NOT NULL AS "optedOut"
       FROM customers c JOIN tickets t ON t.customer_id = c.id JOIN ticket_labels tl ON tl.ticket_id = t.id
      WHERE tl.label_id = ANY($1::uuid[]) AND c.phone IS NOT NULL ORDER BY c.phone`,
    [labelIds],
  );
}

/** Customers with a phone whose last message is after `since`. */
export async function customersWroteSince(db: Queryable, since: Date): Promise<SegmentCustomer[]> {
  return rows<SegmentCustomer>(
    db,
    `SELECT c.id AS "customerId", c.phone, c.opted_out_at IS NOT NULL AS "optedOut"
       FROM customers c WHERE c.last_inbound_at >= $1 AND c.phone IS NOT NULL ORDER BY c.phone`,
    [since],
  );
}

/** Customers having one of the E.164 phones (the first per phone). */
export async function customersByPhones(db: Queryable, phones: string[]): Promise<SegmentCustomer[]> {
  return rows<SegmentCustomer>(
    db,
    `SELECT DISTINCT ON (c.phone) c.id AS "customerId", c.phone, c.opted_out_at IS NOT NULL AS "optedOut"
       FROM customers c WHERE c.phone = ANY($1::text[]) ORDER BY c.phone, c.created_at`,
    [phones],
  );
}

/** Stores a broadcast (draft) and its recipients in one transaction. @returns its id. */
export async function insertBroadcast(
  pool: pg.Pool,
  broadcast: NewBroadcast,
  recipients: NewRecipient[],
): Promise<string> {
  return transaction(pool, async (client) => {
    const id = randomUUID();
    await client.query(
      `INSERT INTO broadcasts (id, name, channel_key, provider, text, template, segment, rate_per_minute, daily_cap, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        id,
        broadcast.name,
        broadcast.channel,
        broadcast.provider,
        broadcast.text,
        broadcast.template ? JSON.stringify(broadcast.template) : null,
        JSON.stringify(broadcast.segment),
        broadcast.ratePerMinute,
        broadcast.dailyCap,
        broadcast.createdBy,
      ],
    );
    for (let start = 0; start < recipients.length; start += 1000) {
      const part = recipients.slice(start, start + 1000);
      await client.query(
        `INSERT INTO broadcast_recipients (broadcast_id, phone, customer_id, status, reason)
         SELECT $1, * FROM unnest($2::text[], $3::uuid[], $4::text[], $5::text[])
         ON CONFLICT DO NOTHING`,
        [
          id,
          part.map((r) => r.phone),
          part.map((r) => r.customerId),
          part.map((r) => r.status),
          part.map((r) => r.reason),
        ],
      );
    }
    return id;
  });
}

/** One broadcast with its progress, or null. */
export async function findBroadcast(db: Queryable, id: string): Promise<BroadcastRow | null> {
  return row<BroadcastRow>(db, `${SELECT_BROADCAST} WHERE b.id = $1`, [id]);
}

/** One broadcast without its progress (the send job's read), or null. */
export async function findBroadcastForSend(
  db: Queryable,
  id: string,
): Promise<Omit<BroadcastRow, 'progress'> | null> {
  return row<Omit<BroadcastRow, 'progress'>>(
    db,
    `SELECT b.id, b.name, b.channel_key AS channel, b.provider, b.text, b.template, b.segment, b.status,
            b.rate_per_minute AS "ratePerMinute", b.daily_cap AS "dailyCap", b.created_by AS "createdBy",
            b.created_at AS "createdAt", b.started_at AS "startedAt", b.finished_at AS "finishedAt"
       FROM broadcasts b WHERE b.id = $1`,
    [id],
  );
}

/** Broadcasts, newest first (at most 200). */
export async function listBroadcasts(db: Queryable): Promise<BroadcastRow[]> {
  return rows<BroadcastRow>(db, `${SELECT_BROADCAST} ORDER BY b.created_at DESC LIMIT 200`);
}

/** A recipient's result. */
export interface RecipientRow {
  phone: string;
  customerId: string | null;
  customerName: string | null;
  status: RecipientStatus;
  reason: string | null;
  messageId: string | null;
  updatedAt: Date;
}

/** A broadcast's recipients by phone, each with its effective status (and a failed message's error). */
export async function listRecipients(db: Queryable, broadcastId: string): Promise<RecipientRow[]> {
  return rows<RecipientRow>(
    db,
    `SELECT r.phone, r.customer_id AS "customerId", c.name AS "customerName", ${EFFECTIVE_STATUS} AS status,
            coalesce(r.reason, CASE WHEN m.delivery_status = 'failed' THEN m.error END) AS reason,
            r.message_id AS "messageId", greatest(r.updated_at, m.updated_at) AS "updatedAt"
       FROM broadcast_recipients r LEFT JOIN messages m ON m.id = r.message_id
       LEFT JOIN customers c ON c.id = r.customer_id
      WHERE r.broadcast_id = $1 ORDER BY r.phone`,
    [broadcastId],
  );
}

/**
 * Moves a broadcast from one of `from` to `to` (started_at set on the first start, finished_at on
 * done or cancelled). @returns whether it moved.
 * @throws AppError conflict when `to` is running and another broadcast runs already.
 */
export async function changeBroadcastStatus(
  db: Queryable,
  id: string,
  from: BroadcastStatus[],
  to: BroadcastStatus,
): Promise<boolean> {
  let result;
  try {
    result = await db.query(
      `UPDATE broadcasts SET status = $3,
              started_at = CASE WHEN $3 = 'running' THEN coalesce(started_at, now()) ELSE started_at END,
              finished_at = CASE WHEN $3 IN ('done', 'cancelled') THEN now() ELSE finished_at END
        WHERE id = $1 AND status = ANY($2::text[])`,
      [id, from, to],
    );
  } catch (error) {
    // broadcasts_one_running (migration SQL): the queue has one pace, so one broadcast runs at a time.
    if (to === 'running' && isUniqueViolation(error)) {
      throw new AppError(
        'conflict',
        'status: another broadcast is running; pause, cancel or let it finish first (one pace at a time)',
      );
    }
    throw error;
  }
  return (result.rowCount ?? 0) > 0;
}

/** The phones still pending in a broadcast. */
export async function pendingPhones(db: Queryable, broadcastId: string): Promise<string[]> {
  const found = await rows<{ phone: string }>(
    db,
    `SELECT phone FROM broadcast_recipients WHERE broadcast_id = $1 AND status = 'pending' ORDER BY phone`,
    [broadcastId],
  );
  return found.map(({ phone }) => phone);
}

/** Marks a running broadcast done when no recipient is pending. @returns whether it did. */
export async function finishBroadcastIfComplete(db: Queryable, id: string): Promise<boolean> {
  const result = await db.query(
    `UPDATE broadcasts SET status = 'done', finished_at = now()
      WHERE id = $1 AND status = 'running'
        AND NOT EXISTS (SELECT 1 FROM broadcast_recipients WHERE broadcast_id = $1 AND status = 'pending')`,
    [id],
  );
  return (result.rowCount ?? 0) > 0;
}

/** Recipients of broadcasts on `channel` sent since `since` (the daily cap). */
async function countChannelSendsSince(db: Queryable, channel: string, since: Date): Promise<number> {
  const found = await row<{ count: number }>(
    db,
    `SELECT count(*)::int AS count FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id
      WHERE b.channel_key = $1 AND r.message_id IS NOT NULL AND r.updated_at >= $2`,
    [channel, since],
  );
  return found?.count ?? 0;
}

/** What the recipient's sending transaction did. */
export type RecipientSendResult =
  | { outcome: 'not_pending' }
  | { outcome: 'capped' }
  | { outcome: 'skipped' | 'failed'; reason: string }
  | { outcome: 'sent'; messageId: string; ticketId: string; ticketOpened: boolean };

/** The outbound message of a broadcast, and why a recipient cannot get it now (or null). */
export interface RecipientSendRules {
  now: Date;
  /**
   * The channel's daily cap (WPPConnect broadcasts): at most `limit` recipients of broadcasts on
   * `channel` sent since `since` (the UTC day's start), or null for none.
   */
  dailyCap: { channel: string; limit: number; since: Date } | null;
  content: { type: string; text: string; raw: Record<string, unknown> };
  refusal(lastInboundAt: Date | null): string | null;
}

/**
 * Sends one recipient into the database, once: under the channel's daily cap (`capped` when it is
 * reached; counted under a lock per channel, so worker processes sending at once never pass it
 * together), claims the row (still pending; the broadcast must be running), then skips it
 * (`opted_out`), fails it (`rules.refusal`), or creates the customer of a new number, stores a
 * queued outbound message (author bot) on the customer's open or pending ticket of the channel — a
 * new ticket when none — and records the message on the recipient.
 */
export async function sendBroadcastRecipientRow(
  pool: pg.Pool,
  broadcastId: string,
  phone: string,
  rules: RecipientSendRules,
): Promise<RecipientSendResult> {
  return transaction(pool, async (client) => {
    if (rules.dailyCap) {
      // Held to the commit: the next process's count, taken after it, sees this send.
      await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
        `broadcast-daily-cap|${rules.dailyCap.channel}`,
      ]);
      const sent = await countChannelSendsSince(client, rules.dailyCap.channel, rules.dailyCap.since);
      if (sent >= rules.dailyCap.limit) return { outcome: 'capped' };
    }
    const claimed = await row<{ customerId: string | null; channel: string; provider: string }>(
      client,
      `UPDATE broadcast_recipients r SET status = 'sent', updated_at = $3
         FROM broadcasts b
        WHERE r.broadcast_id = $1 AND r.phone = $2 AND r.status = 'pending' AND b.id = r.broadcast_id
          AND b.status = 'running'
        RETURNING r.customer_id AS "customerId", b.channel_key AS channel, b.provider`,
      [broadcastId, phone, rules.now],
    );
    if (!claimed) return { outcome: 'not_pending' };
    const end = async (status: 'skipped' | 'failed', reason: string) => {
      await client.query(
        `UPDATE broadcast_recipients SET status = $3, reason = $4 WHERE broadcast_id = $1 AND phone = $2`,
        [broadcastId, phone, status, reason],
      );
      return { outcome: status, reason };
    };
    let customerId = claimed.customerId;
    if (customerId) {
      const customer = await row<{ optedOut: boolean }>(
        client,
        `SELECT opted_out_at IS NOT NULL AS "optedOut" FROM customers WHERE id = $1`,
        [customerId],
      );
      if (customer?.optedOut) return end('skipped', 'opted_out');
    } else {
      const existing = await row<{ id: string; optedOut: boolean }>(
        client,
        `SELECT id, opted_out_at IS NOT NULL AS "optedOut" FROM customers WHERE phone = $1 ORDER BY created_at LIMIT 1`,
        [phone],
      );
      if (existing?.optedOut) return end('skipped', 'opted_out');
      customerId =
        existing?.id ??
        (await row<{ id: string }>(
          client,
          `INSERT INTO customers (id, phone, updated_at) VALUES (gen_random_uuid(), $1, $2) RETURNING id`,
          [phone, rules.now],
        ))!.id;
      await client.query(
        `UPDATE broadcast_recipients SET customer_id = $3 WHERE broadcast_id = $1 AND phone = $2`,
        [broadcastId, phone, customerId],
      );
    }
    const open = await lockOpenTicket(client, customerId, claimed.channel);
    const lastInbound = await row<{ at: Date | null }>(
      client,
      `SELECT max(last_inbound_at) AS at FROM tickets WHERE customer_id = $1 AND channel = $2`,
      [customerId, claimed.channel],
    );
    const refusal = rules.refusal(lastInbound?.at ?? null);
    if (refusal) return end('failed', refusal);
    const ticket =
      open ??
      (await insertTicket(
        client,
        { customerId, channel: claimed.channel, provider: claimed.provider },
        rules.now,
      ));
    if (!open) {
      await insertTicketEvents(client, [
        { ticketId: ticket.id, type: 'opened', agentId: null, data: { reason: 'broadcast' } },
      ]);
    }
    const messageId = randomUUID();
    await client.query(
      `INSERT INTO messages (id, ticket_id, channel, provider, direction, author, delivery_status,
                             type, text, raw, sent_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'outbound', 'bot', 'queued', $5, $6, $7, $8, $8, $8)`,
      [
        messageId,
        ticket.id,
        claimed.channel,
        claimed.provider,
        rules.content.type,
        rules.content.text,
        JSON.stringify(rules.content.raw),
        rules.now,
      ],
    );
    await client.query(
      `UPDATE broadcast_recipients SET message_id = $3 WHERE broadcast_id = $1 AND phone = $2`,
      [broadcastId, phone, messageId],
    );
    return { outcome: 'sent', messageId, ticketId: ticket.id, ticketOpened: !open };
  });
}

/** The channel of a key (tickets.channel), or null. */
export async function findBroadcastChannel(
  db: Queryable,
  key: string,
): Promise<{ key: string; provider: string; enabled: boolean } | null> {
  return row(db, `SELECT key, provider, enabled FROM channels WHERE key = $1 ORDER BY provider LIMIT 1`, [
    key,
  ]);
}

/**
 * The recipient's outbound message when it is stored but was never taken by an outbound job (the
 * enqueue after the commit failed; the broadcast job's retry enqueues it), else null.
 */
export async function unqueuedRecipientMessage(
  db: Queryable,
  broadcastId: string,
  phone: string,
): Promise<string | null> {
  const found = await row<{ id: string }>(
    db,
    `SELECT m.id FROM broadcast_recipients r JOIN messages m ON m.id = r.message_id
      WHERE r.broadcast_id = $1 AND r.phone = $2 AND m.delivery_status = 'queued' AND m.send_job_id IS NULL`,
    [broadcastId, phone],
  );
  return found?.id ?? null;
}
