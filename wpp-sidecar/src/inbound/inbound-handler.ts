/**
 * Inbound pipeline: WPPConnect message/ack -> filter -> sender identity (lid lookup) -> media -> neutral event
 * -> outbox. Work is chained per chat so two messages of one chat are enqueued in arrival order even when
 * the first one's media download is slow; different chats do not wait for each other.
 */
import { randomUUID } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { Logger } from '../logger';
import { ackEventId, messageEventId } from '../events/event-id';
import { ackMessageId, toDeliveryStatus } from '../events/normalize-ack';
import { chatKey, MEDIA_TYPES, senderId, toInboundMessage } from '../events/normalize-message';
import { skipReason } from '../events/should-forward';
import type { InboundMedia, WebhookEvent } from '../events/types';
import { fetchMessageMedia } from '../media/fetch-message-media';
import type { MediaStore } from '../media/media-store';
import { mediaSizeLimit } from '../media/size-limits';
import type { MediaKind } from '../media/size-limits';
import type { SidecarMetrics } from '../metrics';
import type { WppClient } from '../session/client';
import type { LidResolver } from '../session/lid-resolver';
import { isLid, phoneFromUserId } from '../session/recipient';
import type { WppAck, WppMessage } from '../session/wpp-types';

export interface InboundHandlerOptions {
  channel: string;
  forwardGroups: boolean;
  /** Base URL for media links; a function because the port is known only after listen (tests use port 0). */
  publicUrl(): string;
  mediaStore: MediaStore;
  lidResolver: LidResolver;
  /** Puts an event in the outbox; `requestId` goes with its webhook as X-Request-Id. */
  enqueue(event: WebhookEvent, requestId?: string): Promise<void>;
  logger: Logger;
  /** Counts forwarded messages and statuses. */
  metrics?: SidecarMetrics;
}

/** Turns WPPConnect callbacks into outbox events. */
export class InboundHandler {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly options: InboundHandlerOptions) {}

  /** Subscribe to a (new) client's `onMessage` and `onAck`. */
  attach(client: WppClient): void {
    client.onMessage((message) => void this.handleMessage(client, message));
    client.onAck((ack) => void this.handleAck(ack));
  }

  /** Process one message (queued behind earlier work of the same chat). Never rejects. */
  handleMessage(client: WppClient, message: WppMessage): Promise<void> {
    const key = typeof message?.from === 'string' ? chatKey(message) : 'unknown';
    return this.chain(key, () => this.processMessage(client, message));
  }

  /** Process one ack (queued behind the chat's earlier work). Never rejects. */
  handleAck(ack: WppAck): Promise<void> {
    const remote = typeof ack?.id === 'object' ? ack.id.remote : undefined;
    const key = typeof remote === 'string' ? remote : (remote?._serialized ?? ack?.to ?? 'unknown');
    return this.chain(key, () => this.processAck(ack));
  }

  /** Resolves when all queued work has finished. */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
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

  private async processMessage(client: WppClient, message: WppMessage): Promise<void> {
    const o = this.options;
    if (!message || typeof message.id !== 'string' || typeof message.from !== 'string') {
      o.logger.warn('inbound: message without id/from skipped');
      return;
    }
    const log = o.logger.child({ messageId: message.id, type: message.type });
    const reason = skipReason(message, { forwardGroups: o.forwardGroups });
    if (reason) {
      log.debug({ reason }, 'inbound: not forwarded');
      return;
    }
    const sender = senderId(message);
    const lid = isLid(sender) ? sender : null;
    const phone = lid ? await o.lidResolver.resolve(client, lid) : phoneFromUserId(sender);
    let media: InboundMedia | null = null;
    let rawNote: Record<string, unknown> = {};
    if (MEDIA_TYPES.has(message.type)) {
      try {
        media = await this.storeMedia(client, message);
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        log.warn({ err: text }, 'inbound: media not stored; forwarding without it');
        rawNote = { sidecarMediaError: text };
      }
    }
    const inbound = toInboundMessage(message, { channel: o.channel, phone, lid, media, rawNote });
    const requestId = randomUUID();
    await this.enqueue(
      { eventId: messageEventId(o.channel, message.id), type: 'message', message: inbound },
      requestId,
    );
    o.metrics?.messagesForwarded.inc({ type: inbound.type });
    log.info(
      { requestId, lid: lid !== null, phoneKnown: phone !== null, media: media?.id ?? null },
      'inbound: queued',
    );
  }

  private async processAck(ack: WppAck): Promise<void> {
    const status = toDeliveryStatus(ack, this.options.channel);
    if (!status) return;
    const eventId = ackEventId(this.options.channel, ackMessageId(ack), ack.ack);
    const requestId = randomUUID();
    await this.enqueue({ eventId, type: 'status', status }, requestId);
    this.options.metrics?.statusesForwarded.inc({ status: status.status });
    this.options.logger.info(
      { requestId, messageId: status.providerMessageId, status: status.status },
      'inbound: ack queued',
    );
  }

  private async storeMedia(client: WppClient, message: WppMessage): Promise<InboundMedia> {
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
      filename: typeof message.filename === 'string' && message.filename ? message.filename : null,
      size: stored.size,
      sha256: stored.sha256,
      url: `${this.options.publicUrl()}/api/media/${stored.id}`,
    };
  }

  /** Enqueue with a few quick retries (Redis blips); logs and drops only after they all fail. */
  private async enqueue(event: WebhookEvent, requestId: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.enqueue(event, requestId);
        return;
      } catch (error) {
        if (attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
      }
    }
  }
}
