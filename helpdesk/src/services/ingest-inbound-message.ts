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
import { isUniqueViolation, type Database, type Prisma } from '../infra/db';
import type { MediaStorage, StoredMedia } from '../infra/storage';
import type { Logger } from '../infra/logger';
import type { WhatsAppDriver } from '../whatsapp/driver';
import { MEDIA_TYPES, type InboundMessage } from '../whatsapp/inbound-event';
import { resolveCustomer } from './customers';

export interface IngestDependencies {
  db: Database;
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

const OPEN_STATUSES = ['open', 'pending'] as const;
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
  const existing = await findExisting(deps.db, event);
  if (existing) return existing;

  let media: StoredMedia | null = null;
  let mediaError: string | null = null;
  if (MEDIA_TYPES.has(event.type) && event.media) {
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
      return await deps.db.$transaction((tx) => write(deps, tx, event, identity, media, mediaError), {
        timeout: 20_000,
        maxWait: 20_000,
      });
    } catch (error) {
      // A racing worker created the same customer, ticket or message: read again and continue.
      if (!isUniqueViolation(error) || attempt >= TRANSACTION_TRIES) throw error;
      const raced = await findExisting(deps.db, event);
      if (raced) return raced;
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
async function findExisting(db: Database, event: InboundMessage): Promise<IngestResult | null> {
  const message = await db.message.findUnique({
    where: {
      provider_providerMessageId: { provider: event.provider, providerMessageId: event.providerMessageId },
    },
    select: { id: true, ticketId: true, ticket: { select: { assigneeId: true, status: true } } },
  });
  if (!message) return null;
  const queued = await db.message.findMany({
    where: { ticketId: message.ticketId, direction: 'outbound', author: 'bot', deliveryStatus: 'queued' },
    orderBy: { createdAt: 'asc' },
    select: { id: true },
  });
  return {
    duplicate: true,
    messageId: message.id,
    ticketId: message.ticketId,
    outboundMessageIds: queued.map((row) => row.id),
    needsAssignment:
      message.ticket.assigneeId === null && OPEN_STATUSES.includes(message.ticket.status as 'open'),
  };
}

async function write(
  deps: IngestDependencies,
  tx: Prisma.TransactionClient,
  event: InboundMessage,
  identity: ReturnType<typeof identify>,
  media: StoredMedia | null,
  mediaError: string | null,
): Promise<IngestResult> {
  const now = new Date();
  const customer = await resolveCustomer(tx, identity, now);

  const current = await tx.ticket.findFirst({
    where: { customerId: customer.id, channel: event.channel, status: { in: [...OPEN_STATUSES] } },
  });
  const lastResolved = current
    ? null
    : await tx.ticket.findFirst({
        where: { customerId: customer.id, channel: event.channel, status: { in: ['resolved', 'closed'] } },
        orderBy: { resolvedAt: { sort: 'desc', nulls: 'last' } },
      });
  const choice = chooseTicket(
    current as TicketSummary | null,
    lastResolved as TicketSummary | null,
    now,
    deps.reopenWindowMs,
  );

  let ticketId: string;
  if (choice.action === 'open') {
    const ticket = await tx.ticket.create({
      data: { customerId: customer.id, channel: event.channel, provider: event.provider, openedAt: now },
    });
    ticketId = ticket.id;
    await tx.ticketEvent.create({ data: { ticketId, type: 'opened' } });
  } else if (choice.action === 'reopen') {
    ticketId = choice.ticketId;
    // The previous agent's capacity was freed at resolution: the ticket queues for assignment again.
    await tx.ticket.update({
      where: { id: ticketId },
      data: { status: 'open', resolvedAt: null, assigneeId: null, assignedAt: null },
    });
    await tx.ticketEvent.create({ data: { ticketId, type: 'reopened' } });
  } else {
    ticketId = choice.ticketId;
  }
  // Serialise messages of one ticket so the bot sees each answer after the previous one.
  await tx.$queryRaw`SELECT id FROM tickets WHERE id = ${ticketId}::uuid FOR UPDATE`;
  const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: ticketId } });

  const message = await tx.message.create({
    data: {
      ticketId,
      channel: event.channel,
      direction: 'inbound',
      author: 'customer',
      provider: event.provider,
      providerMessageId: event.providerMessageId,
      type: event.type,
      text: event.text ?? (event.location ? describeLocation(event.location) : null),
      caption: event.caption ?? null,
      replyTo: event.replyTo ?? null,
      deliveryStatus: 'received',
      error: mediaError,
      raw: (event.raw ?? undefined) as Prisma.InputJsonValue | undefined,
      sentAt: new Date(event.timestamp),
      createdAt: now,
    },
  });
  if (media) {
    await tx.attachment.create({
      data: {
        messageId: message.id,
        storageKey: media.storageKey,
        mimeType: media.mimeType,
        size: media.size,
        sha256: media.sha256,
        originalFilename: event.media?.filename ?? null,
      },
    });
  }

  const decision = decideBotReplies(
    {
      isNewCustomer: customer.created,
      isNewTicket: choice.action === 'open',
      previousInboundAt: customer.previousInboundAt,
      ticket: {
        category: ticket.category,
        menuPending: ticket.menuPending,
        menuAttempts: ticket.menuAttempts,
        afterHoursSentAt: ticket.afterHoursSentAt,
        language: ticket.language === 'en' || ticket.language === 'ar' ? ticket.language : null,
      },
      message: { text: event.text ?? null, menuChoice: event.menuChoice ?? null },
      now,
      businessOpen: isOpenAt(deps.businessHours, now, deps.businessTimeZone),
    },
    deps.bot,
  );

  const outboundMessageIds: string[] = [];
  for (const [index, reply] of decision.replies.entries()) {
    const outbound = await tx.message.create({
      data: {
        ticketId,
        channel: event.channel,
        direction: 'outbound',
        author: 'bot',
        provider: event.provider,
        deliveryStatus: 'queued',
        // Distinct, ordered times keep the thread in sending order.
        createdAt: new Date(now.getTime() + index + 1),
        sentAt: new Date(now.getTime() + index + 1),
        ...outboundContent(reply),
      },
    });
    outboundMessageIds.push(outbound.id);
  }

  await tx.ticket.update({
    where: { id: ticketId },
    data: {
      lastInboundAt: now,
      menuPending: decision.ticket.menuPending,
      menuAttempts: decision.ticket.menuAttempts,
      language: decision.ticket.language,
      ...(decision.ticket.category ? { category: decision.ticket.category } : {}),
      ...(decision.ticket.afterHoursSentAt ? { afterHoursSentAt: decision.ticket.afterHoursSentAt } : {}),
    },
  });
  if (decision.ticket.category) {
    await tx.ticketEvent.create({
      data: { ticketId, type: 'classified', data: { category: decision.ticket.category, by: 'bot' } },
    });
  }

  return {
    duplicate: false,
    messageId: message.id,
    ticketId,
    outboundMessageIds,
    needsAssignment: ticket.assigneeId === null,
  };
}

function outboundContent(reply: BotReply): { type: string; text: string; raw?: Prisma.InputJsonValue } {
  if (reply.kind === 'menu') {
    return {
      type: 'interactive',
      text: renderMenuAsText(reply.menu),
      raw: { kind: 'menu', menu: reply.menu } as unknown as Prisma.InputJsonValue,
    };
  }
  return { type: 'text', text: reply.text, raw: { kind: reply.kind } };
}

function describeLocation(location: NonNullable<InboundMessage['location']>): string {
  const place = [location.name, location.address].filter(Boolean).join(', ');
  return `${place ? `${place} ` : ''}(${location.latitude}, ${location.longitude})`;
}
