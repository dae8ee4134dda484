/**
 * The inbound pipeline for one message (SPEC section 5, steps 1, 2, 3, 5 and 6): dedupe, customer,
 * ticket, message and attachment, and the bot's replies, written in one transaction so a crash
 * leaves either all of it or none. The bot's replies are stored as queued outbound messages in the
 * same transaction (an outbox); the caller then enqueues their sending and runs assignment.
 * Workers store most messages through the batch pipeline (ingest-inbound-batch.ts), which falls
 * back to this one for media, lid-only senders and anything its transaction cannot take.
 */
import type pg from 'pg';
import type { BotSettings } from '../domain/bot';
import type { WeeklySchedule } from '../domain/business-hours';
import { AppError, ProviderError, SkipEventError } from '../errors';
import { isUniqueViolation } from '../infra/db';
import type { Logger } from '../infra/logger';
import { row, rows, transaction } from '../infra/sql';
import type { MediaStorage, StoredMedia } from '../infra/storage';
import type { WhatsAppDriver } from '../whatsapp/driver';
import { MEDIA_TYPES, type InboundMessage } from '../whatsapp/inbound-event';
import { resolveCustomer, type CustomerIdentity } from './customers';
import { planMessage, ticketForMessage, TICKET_COLUMNS, type TicketRow } from './inbound-message-plan';
import { lockPhoneSenders, openTicketKey, type SenderCustomer } from './phone-senders';

export interface IngestDependencies {
  pool: pg.Pool;
  driver: WhatsAppDriver;
  storage: MediaStorage;
  bot: BotSettings;
  businessHours: WeeklySchedule | null;
  businessTimeZone: string;
  reopenWindowMs: number;
  mediaMaxBytes: number;
  log: Logger;
}

export interface IngestResult {
  /** The message had been stored before (a redelivery). */
  duplicate: boolean;
  messageId: string;
  ticketId: string;
  ticketNumber: number;
  /** The ticket's assignee when the message was stored (null while it waits). */
  assigneeId: string | null;
  /** Bot replies waiting to be sent, in order (on a redelivery: those still queued). */
  outboundMessageIds: string[];
  /** The ticket has no assignee yet. */
  needsAssignment: boolean;
}

const TRANSACTION_TRIES = 4;

/**
 * Stores one inbound message and decides the bot's replies.
 * @param event a validated provider-neutral inbound message.
 * @param options.lastAttempt on the job's last try a media download failure no longer blocks the
 *   message: it is stored without the attachment and with the reason in `error` (at once when the
 *   media is gone, refused or larger than `mediaMaxBytes`). The event's `note` goes to `error` too.
 * @throws SkipEventError when the sender cannot be identified (invalid phone and no lid/user id).
 * @throws ProviderError from the media download (retryable by the job).
 */
export async function ingestInboundMessage(
  deps: IngestDependencies,
  event: InboundMessage,
  options: { lastAttempt: boolean } = { lastAttempt: false },
): Promise<IngestResult> {
  const identity = identifySender(deps.driver, event);
  // A redelivered media message must not download its media again; others need no check here,
  // since the message insert in the transaction detects a redelivery.
  const hasMedia = MEDIA_TYPES.has(event.type) && Boolean(event.media);
  if (hasMedia) {
    const existing = await findExisting(deps.pool, event);
    if (existing) return existing;
  }

  let media: StoredMedia | null = null;
  let mediaError: string | null = null;
  if (hasMedia && event.media) {
    try {
      const download = await deps.driver.downloadMedia(event.channel, event.media);
      media = await deps.storage.save(
        download.stream,
        download.mimeType || event.media.mimeType,
        deps.mediaMaxBytes,
      );
      if (event.media.sha256 && event.media.sha256.toLowerCase() !== media.sha256) {
        throw new Error(`media sha256 mismatch: expected ${event.media.sha256}, got ${media.sha256}`);
      }
    } catch (error) {
      // Gone for good (expired or unknown at the provider, refused URL) or over MEDIA_MAX_BYTES:
      // keep the message now, since a retry would fetch the same answer; otherwise retry first.
      const permanent =
        (error instanceof ProviderError && !error.retryable) ||
        (error instanceof AppError && error.code === 'payload_too_large');
      if (!permanent && !options.lastAttempt) throw error;
      mediaError = `media unavailable: ${(error as Error).message}`;
      deps.log.warn(
        { providerMessageId: event.providerMessageId, err: error },
        'storing message without its media',
      );
    }
  }

  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transaction(deps.pool, (client) =>
        write(deps, client, event, identity, media, mediaError),
      );
    } catch (error) {
      if (error instanceof DuplicateMessage) return (await findExisting(deps.pool, event))!;
      // A racing worker created the same customer or ticket: read again and continue.
      if (!isUniqueViolation(error) || attempt >= TRANSACTION_TRIES) throw error;
    }
  }
}

/** Who sent a message: the phone in E.164 (by the driver's rules), lid, user id, name and username. */
export type SenderIdentity = CustomerIdentity;

/**
 * The sender of a message.
 * @throws SkipEventError when the sender cannot be identified (invalid phone and no lid/user id).
 */
export function identifySender(driver: WhatsAppDriver, event: InboundMessage): SenderIdentity {
  const phone = event.from.phone ? driver.normalisePhone(event.from.phone) : null;
  if (event.from.phone && !phone) {
    throw new SkipEventError(`from.phone "${event.from.phone}" is not a valid phone number`);
  }
  if (!phone && !event.from.lid && !event.from.userId) {
    throw new SkipEventError('the sender has no phone, lid or user id');
  }
  return {
    phone,
    lid: event.from.lid ?? null,
    userId: event.from.userId ?? null,
    name: event.from.name ?? null,
    username: event.from.username ?? null,
  };
}

/** A redelivered message: report the replies still queued so the caller can enqueue them again. */
async function findExisting(pool: pg.Pool, event: InboundMessage): Promise<IngestResult | null> {
  const message = await row<{
    id: string;
    ticketId: string;
    ticketNumber: number;
    assigneeId: string | null;
    status: string;
  }>(
    pool,
    `SELECT m.id, m.ticket_id AS "ticketId", t.number AS "ticketNumber", t.assignee_id AS "assigneeId", t.status
       FROM messages m JOIN tickets t ON t.id = m.ticket_id
      WHERE m.provider = $1 AND m.provider_message_id = $2`,
    [event.provider, event.providerMessageId],
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
  return {
    duplicate: true,
    messageId: message.id,
    ticketId: message.ticketId,
    ticketNumber: message.ticketNumber,
    assigneeId: message.assigneeId,
    outboundMessageIds: queued.map((entry) => entry.id),
    needsAssignment:
      message.assigneeId === null && (message.status === 'open' || message.status === 'pending'),
  };
}

/** The message was stored by an earlier delivery: the transaction is rolled back. */
class DuplicateMessage extends Error {}

/**
 * The transaction. For a message from a known phone on an open ticket it is two statements between
 * BEGIN and COMMIT: the customer upsert with the lock of their open ticket, then one statement for
 * the message, its attachment, the ticket's new state, its events and the bot's replies.
 */
async function write(
  deps: IngestDependencies,
  client: pg.PoolClient,
  event: InboundMessage,
  identity: SenderIdentity,
  media: StoredMedia | null,
  mediaError: string | null,
): Promise<IngestResult> {
  const now = new Date();
  const { customer, openTicket } = await resolveCustomerLockingOpenTicket(
    client,
    identity,
    event.channel,
    now,
  );
  const { ticket, change } = await ticketForMessage(
    client,
    deps.reopenWindowMs,
    customer.id,
    event,
    openTicket,
    now,
  );
  const { plan } = planMessage(deps, { event, customer, ticket, change, now });
  const { inbound, replies, events } = plan;
  // One statement. On a redelivery the message insert returns nothing and the transaction is
  // rolled back, undoing the rest.
  const written = await row<{ stored: boolean }>(
    client,
    `WITH message AS (
       INSERT INTO messages (id, ticket_id, channel, direction, author, provider, provider_message_id, type, text,
                             caption, reply_to, delivery_status, error, raw, sent_at, created_at, updated_at)
       VALUES ($16, $1, $10, 'inbound', 'customer', $11, $17, $18, $19, $20, $21, 'received', $22, $23, $24, $2, $2)
       ON CONFLICT (provider, provider_message_id) DO NOTHING RETURNING id),
     attachment AS (
       INSERT INTO attachments (id, message_id, storage_key, mime_type, size, sha256, original_filename, created_at)
       SELECT gen_random_uuid(), message.id, $25, $26, $27, $28, $29, $2 FROM message WHERE $25::text IS NOT NULL),
     ticket AS (
       UPDATE tickets SET last_inbound_at = GREATEST(last_inbound_at, $15), menu_pending = $3, menu_attempts = $4, language = $5,
              category = $6, after_hours_sent_at = $7, updated_at = $2
        WHERE id = $1),
     events AS (
       INSERT INTO ticket_events (ticket_id, type, data, created_at)
       SELECT $1, event.type, event.data, $2 FROM unnest($8::text[], $9::jsonb[]) AS event(type, data)),
     replies AS (
       INSERT INTO messages (id, ticket_id, channel, direction, author, provider, type, text, raw,
                             delivery_status, sent_at, created_at, updated_at)
       SELECT reply.id, $1, $10, 'outbound', 'bot', $11, reply.type, reply.text, reply.raw, 'queued',
              reply.created_at, reply.created_at, $2
         FROM unnest($12::uuid[], $13::text[], $14::text[], $30::jsonb[], $31::timestamptz[])
              AS reply(id, type, text, raw, created_at))
     SELECT EXISTS (SELECT 1 FROM message) AS stored`,
    [
      ticket.id,
      now,
      plan.ticket.menuPending,
      plan.ticket.menuAttempts,
      plan.ticket.language,
      plan.ticket.category,
      plan.ticket.afterHoursSentAt,
      events.map((entry) => entry.type),
      events.map((entry) => (entry.data === null ? null : JSON.stringify(entry.data))),
      event.channel,
      event.provider,
      replies.map((reply) => reply.id),
      replies.map((reply) => reply.type),
      replies.map((reply) => reply.text),
      plan.inboundAt,
      inbound.id,
      event.providerMessageId,
      inbound.type,
      inbound.text,
      inbound.caption,
      inbound.replyTo,
      [event.note, mediaError].filter(Boolean).join('; ') || null,
      inbound.raw === null ? null : JSON.stringify(inbound.raw),
      inbound.sentAt,
      media?.storageKey ?? null,
      media?.mimeType ?? null,
      media?.size ?? null,
      media?.sha256 ?? null,
      media ? (event.media?.filename ?? null) : null,
      replies.map((reply) => JSON.stringify(reply.raw)),
      replies.map((reply) => reply.createdAt),
    ],
    'ingest-write',
  );
  if (!written?.stored) throw new DuplicateMessage();

  return {
    duplicate: false,
    messageId: inbound.id,
    ticketId: ticket.id,
    ticketNumber: ticket.number,
    assigneeId: ticket.assigneeId,
    outboundMessageIds: replies.map((reply) => reply.id),
    needsAssignment: ticket.assigneeId === null,
  };
}

/**
 * The customer (see customers.ts) and their open ticket on `channel`, locked: locking it
 * serialises one customer's messages, so the bot sees each answer in turn. A message from a phone
 * alone (the common case) takes one statement for both (phone-senders.ts).
 */
async function resolveCustomerLockingOpenTicket(
  client: pg.PoolClient,
  identity: CustomerIdentity,
  channel: string,
  now: Date,
): Promise<{ customer: SenderCustomer; openTicket: TicketRow | null }> {
  const phone = identity.phone;
  if (phone && !identity.lid && !identity.userId) {
    const { customers, tickets } = await lockPhoneSenders(client, [{ ...identity, phone, channel }], now);
    return {
      customer: customers.get(phone)!,
      openTicket: tickets.get(openTicketKey(phone, channel)) ?? null,
    };
  }
  const customer = await resolveCustomer(client, identity, now);
  const openTicket = await row<TicketRow>(
    client,
    `SELECT ${TICKET_COLUMNS} FROM tickets
      WHERE customer_id = $1 AND channel = $2 AND status IN ('open', 'pending') FOR UPDATE`,
    [customer.id, channel],
    'ingest-lock-ticket',
  );
  return { customer, openTicket };
}
