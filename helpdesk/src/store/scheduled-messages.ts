/**
 * Scheduled messages and refill reminders (issue 17) as rows: create, list, change and cancel while
 * scheduled, the due ones for the sweep, and the sending's transaction, which claims the row
 * (`UPDATE … SET status = 'sent' WHERE status = 'scheduled' RETURNING`), stores the outbound message
 * on the customer's current ticket (opening one when there is none) and schedules a refill's next
 * sending, all at once: a reminder is stored for sending exactly once even if the worker dies.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { insertTicket, lockOpenTicket } from './inbound-tickets';
import { row, rows, transaction, type Queryable } from './sql';
import { insertTicketEvents } from './ticket-events';

/** A scheduled message as stored. */
export interface ScheduledMessageRow {
  id: string;
  customerId: string;
  ticketId: string | null;
  channel: string;
  provider: string;
  kind: 'message' | 'refill';
  text: string | null;
  /**
   * A template: as the agent chose it ({ name, language, parameters: { header?, body } }) and, in
   * `outbound`, as the driver sends it (whatsapp/driver.ts OutboundTemplate), resolved when scheduled.
   */
  template: {
    name: string;
    language: string;
    parameters: { header?: string[]; body: string[] };
    outbound: unknown;
  } | null;
  medicine: string | null;
  intervalDays: number | null;
  remaining: number | null;
  sendAt: Date;
  status: 'scheduled' | 'sent' | 'cancelled' | 'failed';
  reason: string | null;
  sentMessageId: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The SELECT list of a ScheduledMessageRow, of the table or of the alias `prefix`. */
function columns(prefix = ''): string {
  const p = prefix ? `${prefix}.` : '';
  return `${p}id, ${p}customer_id AS "customerId", ${p}ticket_id AS "ticketId", ${p}channel_key AS channel,
  ${p}provider, ${p}kind, ${p}text, ${p}template, ${p}medicine, ${p}interval_days AS "intervalDays", ${p}remaining,
  ${p}send_at AS "sendAt", ${p}status, ${p}reason, ${p}sent_message_id AS "sentMessageId",
  ${p}created_by AS "createdBy", ${p}created_at AS "createdAt", ${p}updated_at AS "updatedAt"`;
}

const COLUMNS = columns();

/** A scheduled message to store. */
export interface NewScheduledMessage {
  customerId: string;
  ticketId: string;
  channel: string;
  provider: string;
  kind: 'message' | 'refill';
  text: string | null;
  template: ScheduledMessageRow['template'];
  medicine: string | null;
  intervalDays: number | null;
  remaining: number | null;
  sendAt: Date;
  createdBy: string;
}

/** Stores a scheduled message. @returns it. */
export async function insertScheduledMessage(
  db: Queryable,
  message: NewScheduledMessage,
): Promise<ScheduledMessageRow> {
  const inserted = await row<ScheduledMessageRow>(
    db,
    `INSERT INTO scheduled_messages (id, customer_id, ticket_id, channel_key, provider, kind, text, template,
                                     medicine, interval_days, remaining, send_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ${COLUMNS}`,
    [
      randomUUID(),
      message.customerId,
      message.ticketId,
      message.channel,
      message.provider,
      message.kind,
      message.text,
      message.template ? JSON.stringify(message.template) : null,
      message.medicine,
      message.intervalDays,
      message.remaining,
      message.sendAt,
      message.createdBy,
    ],
  );
  return inserted!;
}

/** One scheduled message, or null. */
export async function findScheduledMessage(db: Queryable, id: string): Promise<ScheduledMessageRow | null> {
  return row<ScheduledMessageRow>(db, `SELECT ${COLUMNS} FROM scheduled_messages WHERE id = $1`, [id]);
}

/** A customer's scheduled messages: still scheduled first (soonest first), then the rest, newest first. */
export async function listCustomerScheduledMessages(
  db: Queryable,
  customerId: string,
  limit = 200,
): Promise<ScheduledMessageRow[]> {
  return rows<ScheduledMessageRow>(
    db,
    `SELECT ${COLUMNS} FROM scheduled_messages WHERE customer_id = $1
      ORDER BY (status = 'scheduled') DESC,
               CASE WHEN status = 'scheduled' THEN send_at END ASC,
               send_at DESC
      LIMIT $2`,
    [customerId, limit],
  );
}

/** The facts of a ticket a message is scheduled from: its customer, channel and assignee. */
export interface ScheduleTicketFacts {
  id: string;
  number: number;
  customerId: string;
  channel: string;
  provider: string;
  assigneeId: string | null;
  /** The customer's last message on the ticket, or null. */
  lastInboundAt: Date | null;
}

/** A ticket's facts for scheduling, or null for an unknown ticket. */
export async function findScheduleTicket(
  db: Queryable,
  ticketId: string,
): Promise<ScheduleTicketFacts | null> {
  return row<ScheduleTicketFacts>(
    db,
    `SELECT id, number, customer_id AS "customerId", channel, provider, assignee_id AS "assigneeId",
            last_inbound_at AS "lastInboundAt"
       FROM tickets WHERE id = $1`,
    [ticketId],
  );
}

/**
 * Changes the text or time of a message still scheduled.
 * @returns the message after, or null when it is not (or no longer) scheduled.
 */
export async function updateScheduledMessage(
  db: Queryable,
  id: string,
  changes: { text?: string; sendAt?: Date },
): Promise<ScheduledMessageRow | null> {
  return row<ScheduledMessageRow>(
    db,
    `UPDATE scheduled_messages
        SET text = coalesce($2, text), send_at = coalesce($3, send_at), updated_at = now()
      WHERE id = $1 AND status = 'scheduled' RETURNING ${COLUMNS}`,
    [id, changes.text ?? null, changes.sendAt ?? null],
  );
}

/**
 * Ends a message still scheduled without sending it: `cancelled` or `failed`, with the reason.
 * @returns the message after, or null when it was not (or no longer) scheduled.
 */
export async function endScheduledMessage(
  db: Queryable,
  id: string,
  status: 'cancelled' | 'failed',
  reason: string,
): Promise<ScheduledMessageRow | null> {
  return row<ScheduledMessageRow>(
    db,
    `UPDATE scheduled_messages SET status = $2, reason = $3, updated_at = now()
      WHERE id = $1 AND status = 'scheduled' RETURNING ${COLUMNS}`,
    [id, status, reason],
  );
}

/** Ids of scheduled messages due at `now` (the sweep), soonest first. */
export async function findDueScheduledMessages(db: Queryable, now: Date, limit: number): Promise<string[]> {
  const found = await rows<{ id: string }>(
    db,
    `SELECT id FROM scheduled_messages WHERE status = 'scheduled' AND send_at <= $1 ORDER BY send_at LIMIT $2`,
    [now, limit],
  );
  return found.map(({ id }) => id);
}

/**
 * Sent reminders whose outbound message is still queued and taken by no outbound job `olderThan`
 * after it was stored: the worker died between the commit and the enqueue, so it is enqueued again.
 */
export async function findUnqueuedScheduledSends(
  db: Queryable,
  olderThan: Date,
  limit: number,
): Promise<Array<{ id: string; messageId: string }>> {
  return rows<{ id: string; messageId: string }>(
    db,
    `SELECT s.id, s.sent_message_id AS "messageId"
       FROM scheduled_messages s JOIN messages m ON m.id = s.sent_message_id
      WHERE s.status = 'sent' AND m.delivery_status = 'queued' AND m.send_job_id IS NULL
        AND s.updated_at <= $1
      ORDER BY s.updated_at LIMIT $2`,
    [olderThan, limit],
  );
}

/** What the sending transaction did. */
export type ScheduledSendResult =
  | { outcome: 'skipped' }
  | { outcome: 'cancelled' | 'failed'; message: ScheduledMessageRow }
  | {
      outcome: 'sent';
      message: ScheduledMessageRow;
      outboundMessageId: string;
      ticketId: string;
      /** The ticket was opened for this message (it then waits for assignment). */
      ticketOpened: boolean;
      /** A refill's next sending, scheduled on this one, or null. */
      next: ScheduledMessageRow | null;
    };

/** How the sending transaction decides, given the locked row and the customer. */
export interface ScheduledSendRules {
  /** The time of the sending. */
  now: Date;
  /** A day, ms (REMINDER_DAY_MS; 86 400 000 outside tests): the unit of a refill's interval. */
  dayMs: number;
  /**
   * Why the message cannot be sent on this ticket now (e.g. outside the Cloud API window without a
   * template), or null to send it. @param lastInboundAt the customer's last message on the channel.
   */
  refusal(message: ScheduledMessageRow, lastInboundAt: Date | null): string | null;
  /** The outbound message's type, text and raw payload for this scheduled message. */
  content(message: ScheduledMessageRow): { type: string; text: string; raw: Record<string, unknown> };
}

/**
 * Sends a due scheduled message into the database, once: claims the row (still scheduled and due),
 * and in the same transaction either cancels it (`opted_out`: the customer opted out) or fails it
 * (`rules.refusal`), or stores a queued outbound message (author bot) on the customer's open or
 * pending ticket of the channel, opening a ticket when there is none, and for a refill with more
 * sendings left schedules the next one `intervalDays` after this one's time.
 * @returns `skipped` when the row is not scheduled or not yet due (another run took it, or it was
 *   cancelled or moved later).
 */
export async function sendScheduledMessageRow(
  pool: pg.Pool,
  id: string,
  rules: ScheduledSendRules,
): Promise<ScheduledSendResult> {
  return transaction(pool, async (client) => {
    const claimed = await row<ScheduledMessageRow & { optedOutAt: Date | null }>(
      client,
      `UPDATE scheduled_messages s SET status = 'sent', updated_at = $2
         FROM customers c
        WHERE s.id = $1 AND s.status = 'scheduled' AND s.send_at <= $2 AND c.id = s.customer_id
        RETURNING ${columns('s')}, c.opted_out_at AS "optedOutAt"`,
      [id, rules.now],
    );
    if (!claimed) return { outcome: 'skipped' };
    const { optedOutAt, ...message } = claimed;
    if (optedOutAt) {
      return { outcome: 'cancelled', message: (await endClaimed(client, id, 'cancelled', 'opted_out'))! };
    }
    const customerTicket = await lockOpenTicket(client, message.customerId, message.channel);
    const lastInbound = await row<{ at: Date | null }>(
      client,
      `SELECT max(last_inbound_at) AS at FROM tickets WHERE customer_id = $1 AND channel = $2`,
      [message.customerId, message.channel],
    );
    const refusal = rules.refusal(message, lastInbound?.at ?? null);
    if (refusal) return { outcome: 'failed', message: (await endClaimed(client, id, 'failed', refusal))! };

    const ticket =
      customerTicket ??
      (await insertTicket(
        client,
        { customerId: message.customerId, channel: message.channel, provider: message.provider },
        rules.now,
      ));
    if (!customerTicket) {
      await insertTicketEvents(client, [
        { ticketId: ticket.id, type: 'opened', agentId: null, data: { reason: 'scheduled_message' } },
      ]);
    }
    const outboundMessageId = randomUUID();
    const content = rules.content(message);
    await client.query(
      `INSERT INTO messages (id, ticket_id, channel, provider, direction, author, delivery_status,
                             type, text, raw, sent_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'outbound', 'bot', 'queued', $5, $6, $7, $8, $8, $8)`,
      [
        outboundMessageId,
        ticket.id,
        message.channel,
        message.provider,
        content.type,
        content.text,
        JSON.stringify(content.raw),
        rules.now,
      ],
    );
    const sent = await row<ScheduledMessageRow>(
      client,
      `UPDATE scheduled_messages SET sent_message_id = $2 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, outboundMessageId],
    );
    let next: ScheduledMessageRow | null = null;
    if (message.kind === 'refill' && (message.remaining ?? 1) > 1 && message.intervalDays) {
      next = await row<ScheduledMessageRow>(
        client,
        `INSERT INTO scheduled_messages (id, customer_id, ticket_id, channel_key, provider, kind, text, template,
                                         medicine, interval_days, remaining, send_at, created_by, previous_id)
         SELECT $2, customer_id, ticket_id, channel_key, provider, kind, text, template, medicine, interval_days,
                remaining - 1, send_at + make_interval(secs => $3::double precision / 1000), created_by, id
           FROM scheduled_messages WHERE id = $1
         ON CONFLICT (previous_id) DO NOTHING RETURNING ${COLUMNS}`,
        [id, randomUUID(), message.intervalDays * rules.dayMs],
      );
    }
    return {
      outcome: 'sent',
      message: sent!,
      outboundMessageId,
      ticketId: ticket.id,
      ticketOpened: !customerTicket,
      next,
    };
  });
}

async function endClaimed(
  client: pg.PoolClient,
  id: string,
  status: 'cancelled' | 'failed',
  reason: string,
): Promise<ScheduledMessageRow | null> {
  return row<ScheduledMessageRow>(
    client,
    `UPDATE scheduled_messages SET status = $2, reason = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, status, reason],
  );
}

/** Whether a customer is opted out (customers.opted_out_at set). */
export async function isCustomerOptedOut(db: Queryable, customerId: string): Promise<boolean> {
  const found = await row<{ optedOut: boolean }>(
    db,
    `SELECT opted_out_at IS NOT NULL AS "optedOut" FROM customers WHERE id = $1`,
    [customerId],
  );
  return found?.optedOut ?? false;
}

/**
 * Sets or clears customers' opt-out (customers.opted_out_at), inside the inbound transaction.
 * @param changes each customer's new state: `out` at the time given, `in` cleared.
 */
export async function setCustomersOptOut(
  db: Queryable,
  changes: ReadonlyArray<{ customerId: string; change: 'out' | 'in'; at: Date }>,
): Promise<void> {
  for (const { customerId, change, at } of changes) {
    await db.query(
      change === 'out'
        ? `UPDATE customers SET opted_out_at = coalesce(opted_out_at, $2) WHERE id = $1`
        : `UPDATE customers SET opted_out_at = NULL WHERE id = $1 AND $2::timestamptz IS NOT NULL`,
      [customerId, at],
    );
  }
}
