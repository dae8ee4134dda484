/**
 * The inbound pipeline for one message (SPEC section 5, steps 1, 2, 3, 5 and 6): dedupe, customer,
 * ticket, message and attachment, and the bot's replies, written in one transaction so a crash
 * leaves either all of it or none. The bot's replies are stored as queued outbound messages in the
 * same transaction (an outbox); the caller then enqueues their sending and runs assignment.
 */
import { decideBotReplies, type BotReply, type BotSettings } from '../domain/bot';
import { isOpenAt, type WeeklySchedule } from '../domain/business-hours';
import { renderMenuAsText } from '../domain/menu';
import { chooseTicket, type TicketSummary } from '../domain/ticket-lifecycle';
import { ProviderError, SkipEventError } from '../errors';
import type pg from 'pg';
import { isUniqueViolation } from '../infra/db';
import { row, rows, transaction } from '../infra/sql';
import type { MediaStorage, StoredMedia } from '../infra/storage';
import type { Logger } from '../infra/logger';
import type { WhatsAppDriver } from '../whatsapp/driver';
import { MEDIA_TYPES, type InboundMessage } from '../whatsapp/inbound-event';
import { resolveCustomer } from './customers';

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
 *   provider says the media is gone).
 * @throws SkipEventError when the sender cannot be identified (invalid phone and no lid/user id).
 * @throws ProviderError from the media download (retryable by the job).
 */
export async function ingestInboundMessage(
  deps: IngestDependencies,
  event: InboundMessage,
  options: { lastAttempt: boolean } = { lastAttempt: false },
): Promise<IngestResult> {
  const identity = identify(deps, event);
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
      // Gone for good (e.g. expired at the provider): keep the message now; otherwise retry first.
      const permanent = error instanceof ProviderError && !error.retryable;
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

function identify(deps: IngestDependencies, event: InboundMessage) {
  const phone = event.from.phone ? deps.driver.normalisePhone(event.from.phone) : null;
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
  const message = await row<{ id: string; ticketId: string; assigneeId: string | null; status: string }>(
    pool,
    `SELECT m.id, m.ticket_id AS "ticketId", t.assignee_id AS "assigneeId", t.status
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
    outboundMessageIds: queued.map((entry) => entry.id),
    needsAssignment:
      message.assigneeId === null && (message.status === 'open' || message.status === 'pending'),
  };
}

interface TicketRow {
  id: string;
  status: 'open' | 'pending' | 'resolved' | 'closed';
  resolvedAt: Date | null;
  category: string | null;
  assigneeId: string | null;
  menuPending: boolean;
  menuAttempts: number;
  afterHoursSentAt: Date | null;
  language: string | null;
}

const TICKET_COLUMNS = `id, status, resolved_at AS "resolvedAt", category, assignee_id AS "assigneeId",
  menu_pending AS "menuPending", menu_attempts AS "menuAttempts",
  after_hours_sent_at AS "afterHoursSentAt", language`;

/** The message was stored by an earlier delivery: the transaction is rolled back. */
class DuplicateMessage extends Error {}

/**
 * The transaction: about six statements for a message on an open ticket (customer upsert, ticket
 * lock, message insert, and one statement for the bot's replies, the ticket's state and events).
 */
async function write(
  deps: IngestDependencies,
  client: pg.PoolClient,
  event: InboundMessage,
  identity: ReturnType<typeof identify>,
  media: StoredMedia | null,
  mediaError: string | null,
): Promise<IngestResult> {
  const now = new Date();
  const customer = await resolveCustomer(client, identity, now);
  const events: Array<{ type: string; data: unknown }> = [];

  // Locking the open ticket serialises one customer's messages, so the bot sees each answer in turn.
  let ticket = await row<TicketRow>(
    client,
    `SELECT ${TICKET_COLUMNS} FROM tickets
      WHERE customer_id = $1 AND channel = $2 AND status IN ('open', 'pending') FOR UPDATE`,
    [customer.id, event.channel],
    'ingest-lock-ticket',
  );
  const lastResolved = ticket
    ? null
    : await row<TicketSummary>(
        client,
        `SELECT id, status, resolved_at AS "resolvedAt" FROM tickets
          WHERE customer_id = $1 AND channel = $2 AND status IN ('resolved', 'closed')
          ORDER BY resolved_at DESC NULLS LAST LIMIT 1`,
        [customer.id, event.channel],
      );
  const choice = chooseTicket(ticket, lastResolved, now, deps.reopenWindowMs);
  if (choice.action === 'open') {
    ticket = await row<TicketRow>(
      client,
      `INSERT INTO tickets (id, customer_id, channel, provider, opened_at, updated_at)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $4) RETURNING ${TICKET_COLUMNS}`,
      [customer.id, event.channel, event.provider, now],
    );
    events.push({ type: 'opened', data: null });
  } else if (choice.action === 'reopen') {
    // The previous agent's capacity was freed at resolution: the ticket queues for assignment again.
    ticket = await row<TicketRow>(
      client,
      `UPDATE tickets SET status = 'open', resolved_at = NULL, assignee_id = NULL, assigned_at = NULL, updated_at = $2
        WHERE id = $1 RETURNING ${TICKET_COLUMNS}`,
      [choice.ticketId, now],
    );
    events.push({ type: 'reopened', data: null });
  }
  const current = ticket!;

  const message = await row<{ id: string }>(
    client,
    `INSERT INTO messages (id, ticket_id, channel, direction, author, provider, provider_message_id, type, text,
                           caption, reply_to, delivery_status, error, raw, sent_at, created_at, updated_at)
     VALUES (gen_random_uuid(), $1, $2, 'inbound', 'customer', $3, $4, $5, $6, $7, $8, 'received', $9, $10, $11, $12, $12)
     ON CONFLICT (provider, provider_message_id) DO NOTHING RETURNING id`,
    [
      current.id,
      event.channel,
      event.provider,
      event.providerMessageId,
      event.type,
      event.text ?? (event.location ? describeLocation(event.location) : null),
      event.caption ?? null,
      event.replyTo ?? null,
      mediaError,
      event.raw === undefined ? null : JSON.stringify(event.raw),
      new Date(event.timestamp),
      now,
    ],
    'ingest-message',
  );
  if (!message) throw new DuplicateMessage();
  if (media) {
    await client.query(
      `INSERT INTO attachments (id, message_id, storage_key, mime_type, size, sha256, original_filename, created_at)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7)`,
      [
        message.id,
        media.storageKey,
        media.mimeType,
        media.size,
        media.sha256,
        event.media?.filename ?? null,
        now,
      ],
    );
  }

  const decision = decideBotReplies(
    {
      isNewCustomer: customer.created,
      isNewTicket: choice.action === 'open',
      previousInboundAt: customer.previousInboundAt,
      ticket: {
        category: current.category,
        menuPending: current.menuPending,
        menuAttempts: current.menuAttempts,
        afterHoursSentAt: current.afterHoursSentAt,
        language: current.language === 'en' || current.language === 'ar' ? current.language : null,
      },
      message: { text: event.text ?? null, menuChoice: event.menuChoice ?? null },
      now,
      businessOpen: isOpenAt(deps.businessHours, now, deps.businessTimeZone),
    },
    deps.bot,
  );
  if (decision.ticket.category)
    events.push({ type: 'classified', data: { category: decision.ticket.category, by: 'bot' } });

  const replies = decision.replies.map(outboundContent);
  // One statement: the ticket's new state, its events and the bot's replies (an outbox the
  // caller then enqueues). Distinct, ordered times keep the thread in sending order.
  const outbound = await rows<{ id: string }>(
    client,
    `WITH ticket AS (
       UPDATE tickets SET last_inbound_at = GREATEST(last_inbound_at, $15), menu_pending = $3, menu_attempts = $4, language = $5,
              category = COALESCE($6, category), after_hours_sent_at = COALESCE($7, after_hours_sent_at), updated_at = $2
        WHERE id = $1),
     events AS (
       INSERT INTO ticket_events (ticket_id, type, data, created_at)
       SELECT $1, event.type, event.data, $2 FROM unnest($8::text[], $9::jsonb[]) AS event(type, data)),
     replies AS (
       INSERT INTO messages (id, ticket_id, channel, direction, author, provider, type, text, raw,
                             delivery_status, sent_at, created_at, updated_at)
       SELECT gen_random_uuid(), $1, $10, 'outbound', 'bot', $11, reply.type, reply.text, reply.raw, 'queued',
              $2 + make_interval(secs => reply.position / 1000.0), $2 + make_interval(secs => reply.position / 1000.0), $2
         FROM unnest($12::text[], $13::text[], $14::jsonb[]) WITH ORDINALITY AS reply(type, text, raw, position)
       RETURNING id, created_at)
     SELECT id FROM replies ORDER BY created_at`,
    [
      current.id,
      now,
      decision.ticket.menuPending,
      decision.ticket.menuAttempts,
      decision.ticket.language,
      decision.ticket.category ?? null,
      decision.ticket.afterHoursSentAt ?? null,
      events.map((entry) => entry.type),
      events.map((entry) => (entry.data === null ? null : JSON.stringify(entry.data))),
      event.channel,
      event.provider,
      replies.map((reply) => reply.type),
      replies.map((reply) => reply.text),
      replies.map((reply) => JSON.stringify(reply.raw)),
      // The customer's own time (not ours: the queue may lag), bounded by now against clock skew.
      new Date(Math.min(new Date(event.timestamp).getTime(), now.getTime())),
    ],
    'ingest-finish',
  );

  return {
    duplicate: false,
    messageId: message.id,
    ticketId: current.id,
    outboundMessageIds: outbound.map((entry) => entry.id),
    needsAssignment: current.assigneeId === null,
  };
}

function outboundContent(reply: BotReply): { type: string; text: string; raw: Record<string, unknown> } {
  if (reply.kind === 'menu') {
    return {
      type: 'interactive',
      text: renderMenuAsText(reply.menu),
      raw: { kind: 'menu', menu: reply.menu },
    };
  }
  return { type: 'text', text: reply.text, raw: { kind: reply.kind } };
}

function describeLocation(location: NonNullable<InboundMessage['location']>): string {
  const place = [location.name, location.address].filter(Boolean).join(', ');
  return `${place ? `${place} ` : ''}(${location.latitude}, ${location.longitude})`;
}
