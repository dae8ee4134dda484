/**
 * Ingest one inbound message (SPEC section 5, steps 1, 2, 3, 5 and 6): dedupe, media, customer,
 * ticket, message and attachment, and the bot's replies, written in one transaction so a crash
 * leaves either all of it or none. The bot's replies are stored as queued outbound messages in the
 * same transaction (an outbox); the caller then enqueues their sending and runs assignment.
 * Workers store most messages in batches (ingest-messages.ts), which fall back to this one for
 * media, lid-only senders and anything a batch's transaction cannot take. Either way the
 * transaction is save-messages.ts: this message is a batch of one.
 */
import type { TicketStatus } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import type { BotSettings } from '../../domain/bot';
import type { WeeklySchedule } from '../../domain/business-hours';
import type { OptOutWords } from '../../domain/opt-out';
import { AppError, ProviderError } from '../../errors';
import type { Logger } from '../../infra/logger';
import type { MediaStorage, StoredMedia } from '../../infra/storage';
import { inTransaction, isUniqueViolation } from '../../store/inbound-database';
import { findStoredInbound } from '../../store/inbound-messages';
import type { WhatsAppDriver } from '../../whatsapp/driver';
import { MEDIA_TYPES, type InboundMessage } from '../../whatsapp/inbound-event';
import { mediaUnavailableNote } from '../../whatsapp/inbound-normalise';
import { identifySender, type SenderIdentity } from './identify-sender';
import type { ChannelBotSettingsSource, PlanSettings } from './plan-message';
import { MessageStoredBefore, saveInboundMessages, type IngestResult } from './save-messages';

export interface IngestDependencies {
  pool: Deps['pool'];
  driver: WhatsAppDriver;
  storage: MediaStorage;
  bot: BotSettings;
  businessHours: WeeklySchedule | null;
  businessTimeZone: string;
  /** Each channel's own bot settings where it has overrides (plan-message.ts); absent: the ones above. */
  channels?: ChannelBotSettingsSource;
  /** The opt-out and opt-in words (config `reminders.optOut`); absent: the defaults. */
  optOut?: OptOutWords;
  /** The auto-reply rules in memory (whatsapp/auto-reply-directory.ts); absent: none. */
  autoReplies?: PlanSettings['autoReplies'];
  reopenWindowMs: number;
  mediaMaxBytes: number;
  log: Logger;
}

/** Tries of the transaction when a racing worker creates the same customer or ticket. */
const TRANSACTION_TRIES = 4;

/** A ticket in these statuses still waits for an assignee. */
const WAITING_STATUSES: readonly TicketStatus[] = ['open', 'pending'];

/**
 * Stores one inbound message and decides the bot's replies: `prepareInboundMessage`, then
 * `storePreparedMessage`.
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
  return storePreparedMessage(deps, event, await prepareInboundMessage(deps, event, options));
}

/** A message ready for its transaction, or the result of its storing before (a redelivery). */
export type PreparedMessage =
  | { redelivered: IngestResult }
  | { redelivered: null; identity: SenderIdentity; media: StoredMedia | null; mediaError: string | null };

/**
 * The part of storing a message that takes no lock and may be slow, so that a batch can run it for
 * several messages at once: the sender identified, a redelivered media message recognised, its
 * media downloaded into storage (`ingestInboundMessage` gives the options and errors).
 */
export async function prepareInboundMessage(
  deps: IngestDependencies,
  event: InboundMessage,
  options: { lastAttempt: boolean },
): Promise<PreparedMessage> {
  const identity = identifySender(deps.driver, event);
  // A redelivered media message must not download its media again; others need no check here,
  // since the message insert in the transaction detects a redelivery.
  const hasMedia = MEDIA_TYPES.has(event.type) && Boolean(event.media);
  if (hasMedia) {
    const existing = await findRedelivered(deps.pool, event);
    if (existing) return { redelivered: existing };
  }
  const { media, mediaError } = hasMedia
    ? await fetchMedia(deps, event, options.lastAttempt)
    : { media: null, mediaError: null };
  return { redelivered: null, identity, media, mediaError };
}

/**
 * Stores a prepared message in one transaction (save-messages.ts, a batch of one), tried again
 * when a racing worker created the same customer or ticket.
 * @returns its result; a duplicate's when it was stored before.
 */
export async function storePreparedMessage(
  deps: IngestDependencies,
  event: InboundMessage,
  prepared: PreparedMessage,
): Promise<IngestResult> {
  if (prepared.redelivered) return prepared.redelivered;
  const { identity, media, mediaError } = prepared;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const [result] = await inTransaction(deps.pool, (transaction) =>
        saveInboundMessages(deps, transaction, [{ event, identity, media, mediaError }]),
      );
      return result!;
    } catch (error) {
      if (error instanceof MessageStoredBefore) return (await findRedelivered(deps.pool, event))!;
      // A racing worker created the same customer or ticket: read again and continue.
      if (!isUniqueViolation(error) || attempt >= TRANSACTION_TRIES) throw error;
    }
  }
}

/**
 * Downloads the message's media into storage, checking its sha256 when the provider gave one.
 * @returns the stored file, or null with the reason when the message is to be stored without it.
 * @throws the download's error while a retry may still fetch it.
 */
async function fetchMedia(
  deps: IngestDependencies,
  event: InboundMessage,
  lastAttempt: boolean,
): Promise<{ media: StoredMedia | null; mediaError: string | null }> {
  try {
    const download = await deps.driver.downloadMedia(event.channel, event.media!);
    const media = await deps.storage.save(
      download.stream,
      download.mimeType || event.media!.mimeType,
      deps.mediaMaxBytes,
    );
    if (event.media!.sha256 && event.media!.sha256.toLowerCase() !== media.sha256) {
      throw new Error(`media sha256 mismatch: expected ${event.media!.sha256}, got ${media.sha256}`);
    }
    return { media, mediaError: null };
  } catch (error) {
    // Gone for good (expired or unknown at the provider, refused URL) or over MEDIA_MAX_BYTES:
    // keep the message now, since a retry would fetch the same answer; otherwise retry first.
    const permanent =
      (error instanceof ProviderError && !error.retryable) ||
      (error instanceof AppError && error.code === 'payload_too_large');
    if (!permanent && !lastAttempt) throw error;
    deps.log.warn(
      { providerMessageId: event.providerMessageId, err: error },
      'storing message without its media',
    );
    return { media: null, mediaError: mediaUnavailableNote((error as Error).message) };
  }
}

/** A redelivered message: report the replies still queued so the caller can enqueue them again. */
async function findRedelivered(pool: Deps['pool'], event: InboundMessage): Promise<IngestResult | null> {
  const stored = await findStoredInbound(pool, event.provider, event.providerMessageId);
  if (!stored) return null;
  return {
    duplicate: true,
    messageId: stored.id,
    ticketId: stored.ticketId,
    ticketNumber: stored.ticketNumber,
    assigneeId: stored.assigneeId,
    outboundMessageIds: stored.queuedReplyIds,
    needsAssignment: stored.assigneeId === null && WAITING_STATUSES.includes(stored.ticketStatus),
    // Announced when it was first stored.
    endedSnooze: false,
  };
}
