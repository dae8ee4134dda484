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
import {
  resolveCustomer,
  UPSERT_CUSTOMER_BY_PHONE,
  type CustomerIdentity,
  type ResolvedCustomer,
} from './customers';

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

/** One message of a batch: the event, its driver (phone rules, media) and whether its job is on its last try. */
export interface BatchItem {
  event: InboundMessage;
  driver: WhatsAppDriver;
  lastAttempt: boolean;
}

/** A batch item's outcome: its result, or the error `ingestInboundMessage` would have thrown. */
export type IngestOutcome = IngestResult | Error;

/**
 * Stores several inbound messages with the outcome of `ingestInboundMessage` for each, in one
 * transaction when it can: one BEGIN and COMMIT (one WAL flush) for the batch instead of one per
 * message. Messages with media, and every message of a batch whose transaction fails for any
 * reason (a redelivery, a race on a new customer, a deadlock), are stored one by one with
 * `ingestInboundMessage`, so batching never changes an outcome. Within the transaction messages
 * go in the order of their senders (stable: one sender's messages keep their order), so concurrent
 * batches take customer and ticket locks in the same order.
 * @returns one outcome per item, in the items' order.
 */
export async function ingestInboundMessages(
  deps: Omit<IngestDependencies, 'driver'>,
  items: readonly BatchItem[],
): Promise<IngestOutcome[]> {
  const outcomes: IngestOutcome[] = new Array<IngestOutcome>(items.length);
  const together: Array<{ index: number; identity: ReturnType<typeof identify> }> = [];
  const alone: number[] = [];
  items.forEach((item, index) => {
    if (MEDIA_TYPES.has(item.event.type) && item.event.media) return alone.push(index);
    try {
      together.push({ index, identity: identify({ ...deps, driver: item.driver }, item.event) });
    } catch (error) {
      outcomes[index] = error as Error;
    }
  });
  if (together.length > 1) {
    together.sort((a, b) => senderKey(a.identity).localeCompare(senderKey(b.identity)));
    try {
      const results = await transaction(deps.pool, async (client) => {
        const written: IngestResult[] = [];
        for (const { index, identity } of together) {
          const item = items[index]!;
          written.push(
            await write({ ...deps, driver: item.driver }, client, item.event, identity, null, null),
          );
        }
        return written;
      });
      together.forEach(({ index }, position) => (outcomes[index] = results[position]!));
    } catch (error) {
      deps.log.debug({ err: error, messages: together.length }, 'batch rolled back: storing one by one');
      alone.push(...together.map(({ index }) => index));
    }
  } else {
    alone.push(...together.map(({ index }) => index));
  }
  for (const index of alone.sort((a, b) => a - b)) {
    const item = items[index]!;
    try {
      outcomes[index] = await ingestInboundMessage({ ...deps, driver: item.driver }, item.event, {
        lastAttempt: item.lastAttempt,
      });
    } catch (error) {
      outcomes[index] = error as Error;
    }
  }
  return outcomes;
}

/** Orders a batch's messages by sender: the phone, else the lid, else the user id. */
function senderKey(identity: ReturnType<typeof identify>): string {
  return identity.phone ?? `~${identity.lid ?? ''}~${identity.userId ?? ''}`;
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

interface TicketRow {
  id: string;
  number: number;
  status: 'open' | 'pending' | 'resolved' | 'closed';
  resolvedAt: Date | null;
  category: string | null;
  assigneeId: string | null;
  menuPending: boolean;
  menuAttempts: number;
  afterHoursSentAt: Date | null;
  language: string | null;
}

const TICKET_COLUMNS = `id, number, status, resolved_at AS "resolvedAt", category, assignee_id AS "assigneeId",
  menu_pending AS "menuPending", menu_attempts AS "menuAttempts",
  after_hours_sent_at AS "afterHoursSentAt", language`;

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
  identity: ReturnType<typeof identify>,
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
  let ticket = openTicket;
  const events: Array<{ type: string; data: unknown }> = [];
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
  // One statement. On a redelivery the message insert returns nothing and the transaction is
  // rolled back, undoing the rest. Distinct, ordered times keep the bot's replies in sending order.
  const written = await row<{ messageId: string | null; replyIds: string[] }>(
    client,
    `WITH message AS (
       INSERT INTO messages (id, ticket_id, channel, direction, author, provider, provider_message_id, type, text,
                             caption, reply_to, delivery_status, error, raw, sent_at, created_at, updated_at)
       VALUES (gen_random_uuid(), $1, $10, 'inbound', 'customer', $11, $16, $17, $18, $19, $20, 'received', $21, $22, $23, $2, $2)
       ON CONFLICT (provider, provider_message_id) DO NOTHING RETURNING id),
     attachment AS (
       INSERT INTO attachments (id, message_id, storage_key, mime_type, size, sha256, original_filename, created_at)
       SELECT gen_random_uuid(), message.id, $24, $25, $26, $27, $28, $2 FROM message WHERE $24::text IS NOT NULL),
     ticket AS (
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
     SELECT (SELECT id FROM message) AS "messageId",
            ARRAY(SELECT id FROM replies ORDER BY created_at) AS "replyIds"`,
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
      event.providerMessageId,
      event.type,
      event.text ?? (event.location ? describeLocation(event.location) : null),
      event.caption ?? null,
      event.replyTo ?? null,
      mediaError,
      event.raw === undefined ? null : JSON.stringify(event.raw),
      new Date(event.timestamp),
      media?.storageKey ?? null,
      media?.mimeType ?? null,
      media?.size ?? null,
      media?.sha256 ?? null,
      media ? (event.media?.filename ?? null) : null,
    ],
    'ingest-write',
  );
  if (!written?.messageId) throw new DuplicateMessage();

  return {
    duplicate: false,
    messageId: written.messageId,
    ticketId: current.id,
    ticketNumber: current.number,
    assigneeId: current.assigneeId,
    outboundMessageIds: written.replyIds,
    needsAssignment: current.assigneeId === null,
  };
}

/**
 * The customer (see customers.ts) and their open ticket on `channel`, locked: locking it
 * serialises one customer's messages, so the bot sees each answer in turn. A message from a phone
 * alone (the common case) takes one statement for both.
 */
async function resolveCustomerLockingOpenTicket(
  client: pg.PoolClient,
  identity: CustomerIdentity,
  channel: string,
  now: Date,
): Promise<{ customer: ResolvedCustomer; openTicket: TicketRow | null }> {
  if (identity.phone && !identity.lid && !identity.userId) {
    const found = await row<ResolvedCustomer & { ticket: TicketRow | null }>(
      client,
      `WITH ${UPSERT_CUSTOMER_BY_PHONE}
       SELECT customer.*, (SELECT to_jsonb(t) FROM (SELECT ${TICKET_COLUMNS}
                              FROM tickets WHERE customer_id = customer.id AND channel = $5
                               AND status IN ('open', 'pending') FOR UPDATE) t) AS ticket
         FROM customer`,
      [identity.phone, identity.name, identity.username, now, channel],
      'ingest-customer-and-ticket',
    );
    const { ticket, ...customer } = found!;
    return { customer, openTicket: ticket && ticketFromJson(ticket) };
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

/** A ticket row read back from JSON: its times become Dates again. */
function ticketFromJson(ticket: TicketRow): TicketRow {
  const toDate = (value: Date | string | null) => (value === null ? null : new Date(value));
  return {
    ...ticket,
    resolvedAt: toDate(ticket.resolvedAt),
    afterHoursSentAt: toDate(ticket.afterHoursSentAt),
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
