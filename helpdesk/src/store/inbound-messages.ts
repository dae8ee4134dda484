/**
 * The inbound write: customers' messages, their attachments, the bot's replies (queued outbound
 * messages, an outbox), the tickets' events and the tickets' new bot state (with the end of a
 * snooze a customer's message ended), in ONE statement for any number of messages. A single
 * message is a batch of one: both inbound paths (use-cases/inbound/) write through
 * `writeInboundMessages`, whose statement is built once from the column lists below, so a column
 * is added in one place.
 */
import type { TicketEventType, TicketStatus } from '@whatsapp-helpdesk/contract/api';
import { row, rows } from './sql';
import type { DatabasePool, DatabaseTransaction } from './inbound-database';

/** A customer's message (direction inbound, author customer, delivery status received). */
export interface InboundMessageRow {
  id: string;
  ticketId: string;
  channel: string;
  provider: string;
  providerMessageId: string;
  type: string;
  text: string | null;
  caption: string | null;
  replyTo: string | null;
  /**
   * The quoted message as the provider described it ({ providerMessageId, participant, fromMe,
   * type, text }), or null. Our copy of it (`quoted_message_id`) is looked up by the statement.
   */
  quoted: unknown;
  /** Shared contact cards, or null. */
  contacts: unknown;
  /** { latitude, longitude, name, address, live, url }, or null. */
  location: unknown;
  /** Forwarded, view once, album, measures, list/button/interactive replies, or null. */
  details: unknown;
  /** Why the message could not be stored in full (an unreadable part, media unavailable), or null. */
  error: string | null;
  raw: unknown;
  /** The customer's own time of the message. */
  sentAt: Date;
  /** Our processing time. */
  createdAt: Date;
}

/** A stored file of an inbound message (at most one per message). */
export interface InboundAttachmentRow {
  messageId: string;
  storageKey: string;
  mimeType: string;
  /** Bytes. */
  size: number;
  /** Hex sha256 of the bytes. */
  sha256: string;
  originalFilename: string | null;
  createdAt: Date;
}

/** One of the bot's replies, stored queued for the outbound job to send. */
export interface BotReplyRow {
  id: string;
  ticketId: string;
  channel: string;
  provider: string;
  type: string;
  text: string | null;
  raw: unknown;
  /** Distinct and increasing within a ticket: the thread shows replies in sending order. */
  createdAt: Date;
}

/** A ticket's audit event. */
export interface TicketEventRow {
  ticketId: string;
  type: TicketEventType;
  data: unknown;
  createdAt: Date;
}

/** A ticket's bot state after the batch's messages (one row per ticket). */
export interface TicketStateRow {
  id: string;
  /** The latest customer time among its messages; never moves the ticket's time back. */
  inboundAt: Date;
  menuPending: boolean;
  menuAttempts: number;
  language: string | null;
  category: string | null;
  afterHoursSentAt: Date | null;
  /**
   * A customer's message ended the ticket's snooze: back to open, snooze cleared. Decided on the
   * ticket as locked in this transaction (pending and snoozed), so nothing changed it meanwhile.
   */
  endSnooze: boolean;
  updatedAt: Date;
  /** The customer's satisfaction rating of the (resolved) ticket, when a message gave one. */
  csat: { score: number; comment: string | null; answeredAt: Date } | null;
}

/** Everything one inbound write stores. */
export interface InboundWrite {
  messages: readonly InboundMessageRow[];
  attachments: readonly InboundAttachmentRow[];
  replies: readonly BotReplyRow[];
  events: readonly TicketEventRow[];
  tickets: readonly TicketStateRow[];
}

/** A column of a batch write: its name, its PostgreSQL type and its value for one row. */
interface BatchColumn<Row> {
  name: string;
  type: string;
  value: (row: Row) => unknown;
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

const MESSAGE_COLUMNS: ReadonlyArray<BatchColumn<InboundMessageRow>> = [
  { name: 'id', type: 'uuid', value: (message) => message.id },
  { name: 'ticket_id', type: 'uuid', value: (message) => message.ticketId },
  { name: 'channel', type: 'text', value: (message) => message.channel },
  { name: 'provider', type: 'text', value: (message) => message.provider },
  { name: 'provider_message_id', type: 'text', value: (message) => message.providerMessageId },
  { name: 'type', type: 'text', value: (message) => message.type },
  { name: 'text', type: 'text', value: (message) => message.text },
  { name: 'caption', type: 'text', value: (message) => message.caption },
  { name: 'reply_to', type: 'text', value: (message) => message.replyTo },
  { name: 'quoted', type: 'jsonb', value: (message) => json(message.quoted) },
  { name: 'contacts', type: 'jsonb', value: (message) => json(message.contacts) },
  { name: 'location', type: 'jsonb', value: (message) => json(message.location) },
  { name: 'details', type: 'jsonb', value: (message) => json(message.details) },
  { name: 'error', type: 'text', value: (message) => message.error },
  { name: 'raw', type: 'jsonb', value: (message) => json(message.raw) },
  { name: 'sent_at', type: 'timestamptz', value: (message) => message.sentAt },
  { name: 'created_at', type: 'timestamptz', value: (message) => message.createdAt },
];

const ATTACHMENT_COLUMNS: ReadonlyArray<BatchColumn<InboundAttachmentRow>> = [
  { name: 'message_id', type: 'uuid', value: (attachment) => attachment.messageId },
  { name: 'storage_key', type: 'text', value: (attachment) => attachment.storageKey },
  { name: 'mime_type', type: 'text', value: (attachment) => attachment.mimeType },
  { name: 'size', type: 'int', value: (attachment) => attachment.size },
  { name: 'sha256', type: 'text', value: (attachment) => attachment.sha256 },
  { name: 'original_filename', type: 'text', value: (attachment) => attachment.originalFilename },
  { name: 'created_at', type: 'timestamptz', value: (attachment) => attachment.createdAt },
];

const REPLY_COLUMNS: ReadonlyArray<BatchColumn<BotReplyRow>> = [
  { name: 'id', type: 'uuid', value: (reply) => reply.id },
  { name: 'ticket_id', type: 'uuid', value: (reply) => reply.ticketId },
  { name: 'channel', type: 'text', value: (reply) => reply.channel },
  { name: 'provider', type: 'text', value: (reply) => reply.provider },
  { name: 'type', type: 'text', value: (reply) => reply.type },
  { name: 'text', type: 'text', value: (reply) => reply.text },
  { name: 'raw', type: 'jsonb', value: (reply) => json(reply.raw) },
  { name: 'created_at', type: 'timestamptz', value: (reply) => reply.createdAt },
];

const EVENT_COLUMNS: ReadonlyArray<BatchColumn<TicketEventRow>> = [
  { name: 'ticket_id', type: 'uuid', value: (event) => event.ticketId },
  { name: 'type', type: 'text', value: (event) => event.type },
  { name: 'data', type: 'jsonb', value: (event) => json(event.data) },
  { name: 'created_at', type: 'timestamptz', value: (event) => event.createdAt },
];

const TICKET_STATE_COLUMNS: ReadonlyArray<BatchColumn<TicketStateRow>> = [
  { name: 'id', type: 'uuid', value: (ticket) => ticket.id },
  { name: 'inbound_at', type: 'timestamptz', value: (ticket) => ticket.inboundAt },
  { name: 'menu_pending', type: 'boolean', value: (ticket) => ticket.menuPending },
  { name: 'menu_attempts', type: 'int', value: (ticket) => ticket.menuAttempts },
  { name: 'language', type: 'text', value: (ticket) => ticket.language },
  { name: 'category', type: 'text', value: (ticket) => ticket.category },
  { name: 'after_hours_sent_at', type: 'timestamptz', value: (ticket) => ticket.afterHoursSentAt },
  { name: 'end_snooze', type: 'boolean', value: (ticket) => ticket.endSnooze },
  { name: 'updated_at', type: 'timestamptz', value: (ticket) => ticket.updatedAt },
  { name: 'csat_score', type: 'smallint', value: (ticket) => ticket.csat?.score ?? null },
  { name: 'csat_comment', type: 'text', value: (ticket) => ticket.csat?.comment ?? null },
  { name: 'csat_answered_at', type: 'timestamptz', value: (ticket) => ticket.csat?.answeredAt ?? null },
];

/** Parameters are numbered in this order, in the statement and in its values alike. */
let nextParameter = 1;

/** `unnest($n::type[], …) AS alias(name, …)`: one array parameter per column. */
function unnestOf<Row>(columns: ReadonlyArray<BatchColumn<Row>>, alias: string): string {
  const parameters = columns.map((column) => `$${nextParameter++}::${column.type}[]`);
  return `unnest(${parameters.join(', ')}) AS ${alias}(${columns.map((column) => column.name).join(', ')})`;
}

/** The column names, bare or as `alias.name`, comma-separated. */
function namesOf<Row>(columns: ReadonlyArray<BatchColumn<Row>>, alias?: string): string {
  return columns.map((column) => (alias ? `${alias}.${column.name}` : column.name)).join(', ');
}

/** The values of `columns` for `entries`: one array per column. */
function valuesOf<Row>(columns: ReadonlyArray<BatchColumn<Row>>, entries: readonly Row[]): unknown[][] {
  return columns.map((column) => entries.map(column.value));
}

/**
 * The statement. A redelivered message (same provider and provider message id) is not inserted:
 * the count it returns falls short and the caller rolls the transaction back, undoing the rest.
 * An attachment is inserted only with its message. A quoting message is linked to our copy of the
 * quoted one when it is stored before this statement (one of the same batch is found when the
 * thread is read: store/tickets-read.ts).
 */
const WRITE_INBOUND = `WITH inbound AS (
    INSERT INTO messages (${namesOf(MESSAGE_COLUMNS)}, direction, author, delivery_status, updated_at,
                          quoted_message_id)
    SELECT ${namesOf(MESSAGE_COLUMNS, 'm')}, 'inbound', 'customer', 'received', m.created_at,
           (SELECT q.id FROM messages q
             WHERE m.reply_to IS NOT NULL AND q.provider = m.provider AND q.provider_message_id = m.reply_to)
      FROM ${unnestOf(MESSAGE_COLUMNS, 'm')}
    ON CONFLICT (provider, provider_message_id) DO NOTHING RETURNING id),
  attachment AS (
    INSERT INTO attachments (id, ${namesOf(ATTACHMENT_COLUMNS)})
    SELECT gen_random_uuid(), ${namesOf(ATTACHMENT_COLUMNS, 'a')}
      FROM ${unnestOf(ATTACHMENT_COLUMNS, 'a')} JOIN inbound ON inbound.id = a.message_id),
  replies AS (
    INSERT INTO messages (${namesOf(REPLY_COLUMNS)}, direction, author, delivery_status, sent_at, updated_at)
    SELECT ${namesOf(REPLY_COLUMNS, 'r')}, 'outbound', 'bot', 'queued', r.created_at, r.created_at
      FROM ${unnestOf(REPLY_COLUMNS, 'r')}),
  events AS (
    INSERT INTO ticket_events (${namesOf(EVENT_COLUMNS)})
    SELECT ${namesOf(EVENT_COLUMNS, 'e')} FROM ${unnestOf(EVENT_COLUMNS, 'e')}),
  ticket AS (
    UPDATE tickets t
       SET last_inbound_at = GREATEST(t.last_inbound_at, u.inbound_at), menu_pending = u.menu_pending,
           menu_attempts = u.menu_attempts, language = u.language, category = u.category,
           after_hours_sent_at = u.after_hours_sent_at, updated_at = u.updated_at,
           status = CASE WHEN u.end_snooze THEN 'open' ELSE t.status END,
           snoozed_until = CASE WHEN u.end_snooze THEN NULL ELSE t.snoozed_until END,
           csat_score = COALESCE(u.csat_score, t.csat_score),
           csat_comment = CASE WHEN u.csat_answered_at IS NULL THEN t.csat_comment ELSE u.csat_comment END,
           csat_answered_at = COALESCE(u.csat_answered_at, t.csat_answered_at)
      FROM ${unnestOf(TICKET_STATE_COLUMNS, 'u')}
     WHERE t.id = u.id)
  SELECT count(*)::int AS stored FROM inbound`;

/**
 * Writes inbound messages with everything they change, in one statement (one round trip,
 * whatever the number of messages), inside the caller's transaction.
 * @returns how many of `write.messages` were new; fewer than given means a redelivery among them,
 *   and the caller must roll back.
 */
export async function writeInboundMessages(
  transaction: DatabaseTransaction,
  write: InboundWrite,
): Promise<number> {
  const written = await row<{ stored: number }>(
    transaction,
    WRITE_INBOUND,
    [
      ...valuesOf(MESSAGE_COLUMNS, write.messages),
      ...valuesOf(ATTACHMENT_COLUMNS, write.attachments),
      ...valuesOf(REPLY_COLUMNS, write.replies),
      ...valuesOf(EVENT_COLUMNS, write.events),
      ...valuesOf(TICKET_STATE_COLUMNS, write.tickets),
    ],
    'ingest-write',
  );
  return written!.stored;
}

/** An inbound message stored before, with its ticket and the bot's replies still queued. */
export interface StoredInbound {
  id: string;
  ticketId: string;
  ticketNumber: number;
  assigneeId: string | null;
  ticketStatus: TicketStatus;
  /** Bot replies of the ticket still queued, oldest first. */
  queuedReplyIds: string[];
}

/**
 * The message stored with this provider message id (a redelivery), or null.
 * Two statements: the message with its ticket, then the ticket's queued bot replies.
 */
export async function findStoredInbound(
  pool: DatabasePool,
  provider: string,
  providerMessageId: string,
): Promise<StoredInbound | null> {
  const message = await row<Omit<StoredInbound, 'queuedReplyIds'>>(
    pool,
    `SELECT m.id, m.ticket_id AS "ticketId", t.number AS "ticketNumber", t.assignee_id AS "assigneeId",
            t.status AS "ticketStatus"
       FROM messages m JOIN tickets t ON t.id = m.ticket_id
      WHERE m.provider = $1 AND m.provider_message_id = $2`,
    [provider, providerMessageId],
    'ingest-find-existing',
  );
  if (!message) return null;
  const queued = await rows<{ id: string }>(
    pool,
    `SELECT id FROM messages
      WHERE ticket_id = $1 AND direction = 'outbound' AND author = 'bot' AND delivery_status = 'queued'
      ORDER BY created_at`,
    [message.ticketId],
  );
  return { ...message, queuedReplyIds: queued.map((entry) => entry.id) };
}
