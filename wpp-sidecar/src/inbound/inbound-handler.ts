/**
 * Inbound pipeline: WPPConnect message/ack -> filter -> sender identity (lid lookup) -> media -> neutral event
 * -> outbox; and the customer's edits, deletions and reactions (`onMessageEdit`, `onRevokedMessage`,
 * `onReactionMessage`, or `revoked`/`protocol` messages) -> `edit`/`deletion`/`reaction` events in the same
 * chat's lane, so a change never overtakes the message it changes. A `ciphertext` message (WhatsApp's
 * "waiting for this message": not decrypted yet) is not forwarded as it is: WhatsApp Web decrypts it in place
 * under the same id once the keys arrive, so it is read again (`getMessageById`) after a few seconds, up to
 * about two minutes, and forwarded then; if it never decrypts, it is forwarded as `unknown` with a note
 * asking to read it on the phone (never silently lost; and never an empty bubble first, which would take
 * the message's event id and make the decrypted message a duplicate). One handler serves every session: each client is attached with its session's name, which is the
 * `channel` of its events. Work is chained per chat (per session and chat) so two messages of one chat are
 * enqueued in arrival order even when the first one's media download is slow; different chats do not wait
 * for each other. The chat is also the event's outbox lane (the outbox keeps each chat's order). A session's
 * state changes are chained, and laned, per session. A message WhatsApp handed over is never dropped because
 * Redis is down: the put into the outbox is retried without limit (the chat's later work waits behind it),
 * and only a shutdown ends that, naming what it leaves behind.
 */
import { randomUUID } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { Logger } from '../logger';
import { ackEventId, messageEventId } from '../events/event-id';
import {
  changeFromMessage,
  reactionSender,
  toDeletion,
  toEdit,
  toReaction,
  type Change,
  type ChangeSkipReason,
} from '../events/normalize-change';
import { parseMessageId, serializedMessageId } from '../events/wpp-ids';
import { ackMessageId, isOwnMessageAck, toDeliveryStatus } from '../events/normalize-ack';
import { fitChangeEvent, fitMessageEvent } from '../events/fit-event';
import {
  chatKey,
  MEDIA_TYPES,
  mediaFilenameOf,
  messageIdOf,
  senderId,
  toInboundMessage,
} from '../events/normalize-message';
import { cleanString } from '@whatsapp-helpdesk/contract/normalise';
import { skipReason } from '../events/should-forward';
import { toSessionEvent, type SessionStateInput } from '../events/session-event';
import type {
  SidecarInboundMedia,
  SidecarInboundMessage,
  SidecarWebhookEvent,
} from '@whatsapp-helpdesk/contract/sidecar-events';
import { fetchMessageMedia } from '../media/fetch-message-media';
import type { MediaStore } from '../media/media-store';
import { mediaSizeLimit } from '../media/size-limits';
import type { MediaKind } from '../media/size-limits';
import type { SidecarMetrics } from '../metrics';
import { chatLane, sessionLane } from '../outbox/lanes';
import type { WppClient } from '../session/client';
import type { LidResolver } from '../session/lid-resolver';
import { isLid, phoneFromUserId } from '../session/recipient';
import type { WppAck, WppEdit, WppMessage, WppReaction, WppRevoke } from '../events/wpp-types';
import { withTimeout } from '../timeout';

export interface InboundHandlerOptions {
  forwardGroups: boolean;
  /** Base URL for media links; a function because the port is known only after listen (tests use port 0). */
  publicUrl(): string;
  mediaStore: MediaStore;
  lidResolver: LidResolver;
  /**
   * Puts an event in the outbox; `requestId` goes with its webhook as X-Request-Id; `lane` is its ordering
   * key (`chatLane`, `sessionLane`).
   */
  enqueue(event: SidecarWebhookEvent, requestId: string, lane: string): Promise<void>;
  logger: Logger;
  /** Counts forwarded messages and statuses. */
  metrics?: SidecarMetrics;
  /** The helpdesk's WEBHOOK_MAX_BYTES: message events are fitted to it (fit-event.ts). */
  webhookMaxBytes: number;
  /** Outbox put retries (ms): first delay, cap, and how long one attempt may hang. See `DEFAULT_ENQUEUE_RETRY`. */
  enqueueRetry?: Partial<typeof DEFAULT_ENQUEUE_RETRY>;
  /** Waits (ms) before each re-read of a `ciphertext` message. See `DEFAULT_CIPHERTEXT_RETRY_MS`. */
  ciphertextRetryMs?: readonly number[];
}

/** Turns WPPConnect callbacks into outbox events. */
export class InboundHandler {
  private readonly chains = new Map<string, Promise<void>>();
  /** Events between the handler and the outbox (the `wpp_sidecar_inbound_pending` gauge). */
  private readonly pending = new Set<{ eventId: string }>();
  private readonly wakers = new Set<() => void>();
  /** `close` called: retry quickly while its grace runs. */
  private closing = false;
  /** `close`'s grace is over: retry loops give up. */
  private closed = false;
  /** Called when `close`'s grace is over, so a loop waiting on a hanging attempt gives up at once. */
  private readonly closeListeners = new Set<() => void>();
  /** `ciphertext` messages waiting to be decrypted (by `<channel>/<message id>`). */
  private readonly undecrypted = new Set<string>();

  constructor(private readonly options: InboundHandlerOptions) {}

  /** Events handed over by WhatsApp that are not in the outbox yet. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Subscribe to a (new) client's `onMessage`, `onAck`, `onMessageEdit`, `onRevokedMessage` and
   * `onReactionMessage` (WPPConnect 2.3 listener layer; a client without the last three forwards no changes).
   * @param channel - the session's name: the `channel` of the events.
   */
  attach(client: WppClient, channel: string): void {
    client.onMessage((message) => void this.handleMessage(client, message, channel));
    client.onAck((ack) => void this.handleAck(ack, channel));
    client.onMessageEdit?.((data) => void this.handleEdit(data, channel));
    client.onRevokedMessage?.((data) => void this.handleRevoke(data, channel));
    client.onReactionMessage?.((data) => void this.handleReaction(client, data, channel));
  }

  /** Forward the customer's edit of a message (queued in the message's chat). Never rejects. */
  handleEdit(data: WppEdit, channel: string): Promise<void> {
    return this.forwardChange(
      () => toEdit(data, { channel, forwardGroups: this.options.forwardGroups }),
      channel,
    );
  }

  /** Forward the customer's deletion of a message for everyone (queued in its chat). Never rejects. */
  handleRevoke(data: WppRevoke, channel: string): Promise<void> {
    return this.forwardChange(
      () => toDeletion(data, { channel, forwardGroups: this.options.forwardGroups }),
      channel,
    );
  }

  /**
   * Forward the customer's reaction (queued in the chat of the message reacted to, after the sender's lid is
   * resolved like a message sender's). Never rejects.
   */
  handleReaction(client: WppClient, data: WppReaction, channel: string): Promise<void> {
    const target = serializedMessageId(data?.msgId);
    const chat = (target && parseMessageId(target)?.chat) || 'unknown';
    const lane = chatLane(channel, chat);
    return this.chain(lane, async () => {
      const sender = reactionSender(data);
      const lid = sender && isLid(sender) ? sender : null;
      const phone = lid ? await this.options.lidResolver.resolve(client, lid) : phoneFromUserId(sender);
      const change = toReaction(data, { phone, lid }, { channel, forwardGroups: this.options.forwardGroups });
      await this.enqueueChange(change, lane);
    });
  }

  /** Normalise a change (pure, synchronous: its chat names the lane), then queue it in that chat's lane. */
  private forwardChange(build: () => Change | { skip: ChangeSkipReason }, channel: string): Promise<void> {
    let change: Change | { skip: ChangeSkipReason };
    try {
      change = build();
    } catch (error) {
      this.options.logger.error(
        { err: error instanceof Error ? error.message : String(error), channel },
        'inbound: change could not be normalised',
      );
      return Promise.resolve();
    }
    const lane = chatLane(channel, 'skip' in change ? 'unknown' : change.chat);
    return this.chain(lane, () => this.enqueueChange(change, lane));
  }

  private async enqueueChange(change: Change | { skip: ChangeSkipReason }, lane: string): Promise<void> {
    if ('skip' in change) {
      this.options.logger.debug({ reason: change.skip }, 'inbound: change not forwarded');
      return;
    }
    const { chat: _chat, ...event } = change;
    const fitted = fitChangeEvent(event, this.options.webhookMaxBytes);
    const requestId = randomUUID();
    await this.enqueue(fitted, requestId, lane);
    const body =
      fitted.type === 'edit' ? fitted.edit : fitted.type === 'deletion' ? fitted.deletion : fitted.reaction;
    this.options.logger.info(
      { requestId, type: fitted.type, messageId: body.providerMessageId, channel: body.channel },
      'inbound: change queued',
    );
  }

  /** Process one message of session `channel` (queued behind earlier work of the same chat). Never rejects. */
  handleMessage(client: WppClient, message: WppMessage, channel: string): Promise<void> {
    const lane = chatLane(channel, typeof message?.from === 'string' ? chatKey(message) : 'unknown');
    return this.chain(lane, () => this.processMessage(client, message, channel, lane));
  }

  /** Process one ack of session `channel` (queued behind the chat's earlier work). Never rejects. */
  handleAck(ack: WppAck, channel: string): Promise<void> {
    const remote = typeof ack?.id === 'object' ? ack.id.remote : undefined;
    const chat = typeof remote === 'string' ? remote : (remote?._serialized ?? ack?.to ?? 'unknown');
    const lane = chatLane(channel, typeof chat === 'string' ? chat : 'unknown');
    return this.chain(lane, () => this.processAck(ack, channel, lane));
  }

  /**
   * Forward a session's state change as a `session` event (queued behind the session's earlier changes, in
   * the session's own outbox lane). Never rejects.
   */
  handleSessionState(status: SessionStateInput): Promise<void> {
    const lane = sessionLane(status.session);
    return this.chain(lane, async () => {
      const event = toSessionEvent(status);
      const requestId = randomUUID();
      await this.enqueue(event, requestId, lane);
      this.options.logger.info(
        { requestId, channel: event.channel, state: event.state },
        'inbound: session state queued',
      );
    });
  }

  /** Resolves when all queued work has finished. */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  /**
   * Shutdown: waits up to `graceMs` (ms) for queued work to finish, retrying outbox puts quickly
   * meanwhile, then stops the retries. Events not confirmed in the outbox by then exist only in this
   * process's memory (and perhaps in ioredis's offline queue): they are logged at error level, with their
   * ids, and returned. Idempotent.
   * @returns the event ids not confirmed in the outbox (empty when everything was).
   */
  async close(graceMs: number): Promise<string[]> {
    this.closing = true;
    for (const wake of [...this.wakers]) wake();
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      this.idle().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      }),
    ]);
    clearTimeout(timer);
    // From here on nothing retries: the outbox is closed next.
    this.closed = true;
    const lost = [...this.pending].map((entry) => entry.eventId);
    for (const listener of [...this.closeListeners]) listener();
    for (const wake of [...this.wakers]) wake();
    if (finished) return [];
    this.options.logger.error(
      { lost: lost.length, eventIds: lost, unfinishedChats: this.chains.size, graceMs },
      `inbound: SHUTDOWN WITH ${lost.length} EVENT(S) NOT CONFIRMED IN THE OUTBOX (Redis unavailable): ` +
        'lost unless Redis takes them before this process exits; read those chats on the phone',
    );
    return lost;
  }

  private chain(key: string, work: () => Promise<void>): Promise<void> {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(work).catch((error: unknown) => {
      this.options.logger.error(
        { err: error instanceof Error ? error.message : String(error), chat: key },
        'inbound: failed',
      );
    });
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    return next;
  }

  private async processMessage(
    client: WppClient,
    message: WppMessage,
    channel: string,
    lane: string,
    unreadable = false,
  ): Promise<void> {
    const o = this.options;
    if (!message || typeof message.id !== 'string' || typeof message.from !== 'string') {
      o.logger.warn('inbound: message without id/from skipped');
      return;
    }
    const log = o.logger.child({ messageId: message.id, type: message.type, channel });
    // `revoked` and `protocol` messages are changes to other messages, never bubbles of their own.
    const change = changeFromMessage(message, { channel, forwardGroups: o.forwardGroups });
    if (!('skip' in change) || change.skip !== 'not_a_change') {
      await this.enqueueChange(change, lane);
      return;
    }
    const reason = skipReason(message, { forwardGroups: o.forwardGroups });
    if (reason) {
      log.debug({ reason }, 'inbound: not forwarded');
      return;
    }
    const waitKey = `${channel}/${message.id}`;
    if (message.type === 'ciphertext' && !unreadable) {
      this.awaitDecryption(client, message, channel, waitKey);
      return;
    }
    // The decrypted message arrived by itself: the re-reads stop.
    this.undecrypted.delete(waitKey);
    const sender = senderId(message);
    const lid = isLid(sender) ? sender : null;
    const phone = lid ? await o.lidResolver.resolve(client, lid) : phoneFromUserId(sender);
    let media: SidecarInboundMedia | null = null;
    let rawNote: Record<string, unknown> = {};
    let note: string | null = unreadable ? UNREADABLE_NOTE : null;
    if (MEDIA_TYPES.has(message.type) && message.isViewOnce === true) {
      // View-once media opens only on the phone (WhatsApp Web gets no key for it): no download is tried,
      // and agents see why there is no file.
      note = VIEW_ONCE_NOTE;
    } else if (MEDIA_TYPES.has(message.type)) {
      try {
        media = await this.storeMedia(client, message);
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        log.warn({ err: text }, 'inbound: media not stored; forwarding without it');
        rawNote = { sidecarMediaError: text };
      }
    }
    const inbound = this.normalize(message, { channel, phone, lid, media, rawNote, note });
    const requestId = randomUUID();
    const event = fitMessageEvent(
      { eventId: messageEventId(channel, inbound.providerMessageId), type: 'message', message: inbound },
      o.webhookMaxBytes,
    );
    if (event.message !== inbound) {
      log.warn({ type: event.message.type }, 'inbound: event over WEBHOOK_MAX_BYTES; shortened');
    }
    await this.enqueue(event, requestId, lane);
    o.metrics?.messagesForwarded.inc({ type: event.message.type });
    log.info(
      { requestId, lid: lid !== null, phoneKnown: phone !== null, media: media?.id ?? null },
      'inbound: queued',
    );
  }

  /**
   * `toInboundMessage`, and should it ever throw on an odd object, a bare `unknown` message with a note
   * instead: a customer message is never dropped here.
   */
  private normalize(message: WppMessage, ctx: Parameters<typeof toInboundMessage>[1]): SidecarInboundMessage {
    try {
      return toInboundMessage(message, ctx);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.options.logger.error({ err: reason, messageId: message.id }, 'inbound: normalisation failed');
      return {
        provider: 'wppconnect',
        channel: ctx.channel,
        providerMessageId: messageIdOf(message),
        timestamp: new Date().toISOString(),
        from: { phone: ctx.phone, lid: ctx.lid, userId: null, name: null },
        type: 'unknown',
        text: null,
        caption: null,
        media: ctx.media,
        location: null,
        menuChoice: null,
        replyTo: null,
        quoted: null,
        contacts: null,
        details: null,
        note: ctx.note ?? null,
        raw: { sidecarNote: cleanString(`message could not be normalised: ${reason}`).slice(0, 1000) },
      };
    }
  }

  /**
   * Re-read a `ciphertext` message after each of `ciphertextRetryMs` until WhatsApp Web has decrypted it, then
   * forward it in its chat's lane; if it never is (or the client cannot re-read), forward it as `unknown`
   * with `UNREADABLE_NOTE`. Runs beside the chat's lane, so later messages of the chat are not held up.
   */
  private awaitDecryption(client: WppClient, message: WppMessage, channel: string, waitKey: string): void {
    if (this.undecrypted.has(waitKey)) return;
    this.undecrypted.add(waitKey);
    const log = this.options.logger.child({ messageId: message.id, channel });
    log.info('inbound: message not decrypted yet (ciphertext); will read it again');
    void (async () => {
      for (const delay of this.options.ciphertextRetryMs ?? DEFAULT_CIPHERTEXT_RETRY_MS) {
        await this.sleep(delay);
        if (!this.undecrypted.has(waitKey)) return; // arrived through onMessage meanwhile
        if (this.closing || this.closed) break;
        if (!client.getMessageById) break;
        const fresh = await client.getMessageById(message.id).catch(() => null);
        if (fresh && typeof fresh.id === 'string' && fresh.type !== 'ciphertext') {
          log.info({ type: fresh.type }, 'inbound: message decrypted');
          await this.handleMessage(client, { ...fresh, from: fresh.from ?? message.from }, channel);
          return;
        }
      }
      if (!this.undecrypted.has(waitKey)) return;
      if (this.closing || this.closed) {
        log.warn('inbound: shutting down while a message waited to be decrypted; it is on the phone');
        this.undecrypted.delete(waitKey);
        return;
      }
      log.warn('inbound: message never decrypted; forwarded as unknown with a note');
      const lane = chatLane(channel, chatKey(message));
      await this.chain(lane, async () => {
        if (!this.undecrypted.delete(waitKey)) return;
        await this.processMessage(client, message, channel, lane, true);
      });
    })();
  }

  private async processAck(ack: WppAck, channel: string, lane: string): Promise<void> {
    // Only our outbound messages have a delivery status: acks on the customer's messages (a voice note
    // the phone played, a failure on their side) are not forwarded (`toDeliveryStatus`).
    const status = toDeliveryStatus(ack, channel);
    if (!status) {
      this.options.logger.debug(
        { messageId: ackMessageId(ack), ack: ack?.ack, ours: isOwnMessageAck(ack) },
        'inbound: ack not forwarded',
      );
      return;
    }
    const eventId = ackEventId(channel, ackMessageId(ack), ack.ack);
    const requestId = randomUUID();
    await this.enqueue({ eventId, type: 'status', status }, requestId, lane);
    this.options.metrics?.statusesForwarded.inc({ status: status.status });
    this.options.logger.info(
      { requestId, messageId: status.providerMessageId, status: status.status },
      'inbound: ack queued',
    );
  }

  private async storeMedia(client: WppClient, message: WppMessage): Promise<SidecarInboundMedia> {
    const kind = message.type as MediaKind;
    const limit = mediaSizeLimit(kind, message.isAnimated === true);
    if (typeof message.size === 'number' && message.size > limit) {
      throw new Error(`media_too_large: ${message.size} bytes > ${limit} bytes allowed for ${kind}`);
    }
    const bytes = await fetchMessageMedia(client, message);
    if (bytes.length > limit)
      throw new Error(`media_too_large: ${bytes.length} bytes > ${limit} bytes for ${kind}`);
    const mimeType =
      (typeof message.mimetype === 'string' && message.mimetype) ||
      (await fileTypeFromBuffer(bytes))?.mime ||
      'application/octet-stream';
    const stored = await this.options.mediaStore.save(bytes, mimeType);
    return {
      id: stored.id,
      mimeType: stored.mimeType,
      filename: mediaFilenameOf(message),
      size: stored.size,
      sha256: stored.sha256,
      url: `${this.options.publicUrl()}/api/media/${stored.id}`,
    };
  }

  /**
   * Puts an event in the outbox, retrying without limit: a message WhatsApp handed us is never dropped
   * because Redis is down or refusing writes (out of memory, read-only). Delays double from
   * `enqueueRetry.baseMs` up to `maxMs`; an attempt with no answer after `attemptTimeoutMs` (ioredis holds
   * commands while disconnected) counts as a failure and is awaited again rather than sent twice. The
   * chat's chain waits here, so later work of the same chat keeps its order. Stops only when `close`'s
   * grace has run out. @throws {EnqueueAbandonedError} then.
   */
  private async enqueue(event: SidecarWebhookEvent, requestId: string, lane: string): Promise<void> {
    const o = this.options;
    const retry = { ...DEFAULT_ENQUEUE_RETRY, ...o.enqueueRetry };
    const entry = { eventId: event.eventId };
    this.pending.add(entry);
    o.metrics?.inboundPending.set(this.pending.size);
    let attempt: { promise: Promise<void>; done: boolean; ok: boolean } | null = null;
    let failures = 0;
    try {
      for (;;) {
        // A new attempt only once the previous one has failed: a hanging one is awaited again.
        if (!attempt || (attempt.done && !attempt.ok)) {
          const next = { promise: Promise.resolve(), done: false, ok: false };
          next.promise = o
            .enqueue(event, requestId, lane)
            .then(() => {
              next.ok = true;
            })
            .finally(() => {
              next.done = true;
            });
          attempt = next;
        }
        try {
          await withTimeout(this.untilClosed(attempt.promise), retry.attemptTimeoutMs, 'the outbox');
          if (failures > 0) {
            o.logger.warn(
              { eventId: event.eventId, failures },
              'inbound: in the outbox after failed attempts',
            );
          }
          return;
        } catch (error) {
          failures++;
          o.metrics?.inboundEnqueueFailures.inc();
          if (this.closed) throw new EnqueueAbandonedError(event.eventId, failures);
          const backoff = Math.min(retry.maxMs, retry.baseMs * 2 ** Math.min(failures - 1, 30));
          const delay = this.closing ? Math.min(backoff, CLOSING_RETRY_MS) : backoff;
          o.logger.error(
            {
              eventId: event.eventId,
              type: event.type,
              failures,
              pending: this.pending.size,
              retryInMs: delay,
              err: error instanceof Error ? error.message : String(error),
            },
            'inbound: outbox unavailable (Redis); event held in memory, will retry',
          );
          await this.sleep(delay);
          if (this.closed && !attempt.ok) throw new EnqueueAbandonedError(event.eventId, failures);
        }
      }
    } finally {
      this.pending.delete(entry);
      o.metrics?.inboundPending.set(this.pending.size);
    }
  }

  /** `promise`, or a rejection as soon as `close`'s grace is over (the listener is removed once settled). */
  private untilClosed<T>(promise: Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the sidecar is stopping'));
    return new Promise<T>((resolve, reject) => {
      const onClose = () => reject(new Error('the sidecar is stopping'));
      this.closeListeners.add(onClose);
      promise.then(resolve, reject).finally(() => this.closeListeners.delete(onClose));
    });
  }

  /** Sleeps `ms`, or less if `close` wakes the retries. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }
}

/** Default retry policy of `InboundHandler`'s outbox puts (ms). */
export const DEFAULT_ENQUEUE_RETRY = { baseMs: 250, maxMs: 30_000, attemptTimeoutMs: 5000 };

/** Waits (ms) before each re-read of a `ciphertext` message: about two minutes in all. */
export const DEFAULT_CIPHERTEXT_RETRY_MS: readonly number[] = [3000, 10_000, 30_000, 75_000];

/** Visible to agents (Arabic and English) on a message WhatsApp could not decrypt. */
export const UNREADABLE_NOTE =
  '[تعذّر على واتساب فك تشفير هذه الرسالة ("في انتظار هذه الرسالة"). اقرأها على الهاتف أو اطلب من العميل إرسالها مرة أخرى.]\n' +
  '[WhatsApp could not decrypt this message ("Waiting for this message"). Read it on the phone or ask the customer to send it again.]';

/** Visible to agents (Arabic and English) on view-once media, which only the phone can open. */
export const VIEW_ONCE_NOTE =
  '[وسائط للعرض مرة واحدة: لا تُفتح إلا على هاتف الحساب.]\n' +
  "[View-once media: it can only be opened on the account's phone.]";

/** Retry delay while `close` waits out its grace (ms). */
const CLOSING_RETRY_MS = 250;

/** Thrown by a retry loop stopped by `close` after its grace: the event never reached the outbox. */
export class EnqueueAbandonedError extends Error {
  constructor(eventId: string, failures: number) {
    super(`event ${eventId} abandoned at shutdown after ${failures} failed attempts to enter the outbox`);
    this.name = 'EnqueueAbandonedError';
  }
}
