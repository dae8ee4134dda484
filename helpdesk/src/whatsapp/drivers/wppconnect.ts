/**
 * The WPPConnect driver: talks to our wpp-sidecar over HTTP with its API key (`X-API-Key`), and
 * verifies the sidecar's signed webhooks. The menu is sent as a numbered text, since WhatsApp Web
 * (a linked device) cannot send interactive list messages reliably.
 *
 * One sidecar holds several WhatsApp numbers, each a named session; a ticket's `channel` is the
 * name of the session its customer wrote to (the sidecar puts it in every event's `channel`,
 * `SESSION_NAME` for the default session). Every call therefore goes through that session's
 * routes (wpp-sidecar/README, "Sessions"): `POST /api/sessions/:channel/send-message
 * {to, text, replyTo?}`, `POST /api/sessions/:channel/send-media` (multipart `file`, `to`, `type`,
 * `caption`, `filename`, `replyTo`), `GET /api/sessions/:channel/media/:id` and
 * `GET /api/sessions/:channel`; each send answers `{ id }` with the WhatsApp message id.
 *
 * Why always the per-session routes, the default session included, rather than the single-session
 * ones (`/api/send-message`, …) for it: the helpdesk does not know which name is the sidecar's
 * default, and the sidecar serves the per-session routes for the default session as well, so one
 * path serves every channel. Tickets stored before several sessions existed carry `SESSION_NAME` as
 * their channel, so they keep being answered from the same number. A channel that names no session
 * (the session was deleted, or SESSION_NAME renamed) fails the send for good with the sidecar's 404
 * ("no session named …") instead of answering the customer from another number.
 *
 * All of it through one axios instance (../upstream.ts): the API key goes to SIDECAR_URL's origin
 * and nowhere else.
 */
import { openAsBlob } from 'node:fs';
import type { Readable } from 'node:stream';
import type { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios';
import { z } from 'zod';
import { AppError, ProviderError, validationError } from '../../errors';
import { normalisePhone } from '../../domain/phone';
import { renderMenuAsText, type Menu } from '../../domain/menu';
import { webhookEventSchemaWith } from '@whatsapp-helpdesk/contract/sidecar-events';
import {
  inboundMessageSchema,
  unreadableMessage,
  type InboundMedia,
  type MessageChangeJob,
} from '../inbound-event';
import { describeIssues, isRecord } from '../inbound-normalise';
import { createUpstreamClient, guardDownload, transportFailure } from '../upstream';
import { hmacSha256Hex, headerValue, safeEqual } from '../webhook-signature';
import type {
  ConnectionStatus,
  DownloadedMedia,
  OutboundMedia,
  OutboundTemplate,
  ParsedWebhook,
  Recipient,
  SendOptions,
  SendResult,
  WebhookRequest,
  WhatsAppDriver,
} from '../driver';

export interface WppConnectDriverOptions {
  /** Base URL of the sidecar, e.g. http://127.0.0.1:21465. */
  sidecarUrl: string;
  apiKey: string;
  webhookSecret: string;
  /** Accepted clock difference for `X-Webhook-Timestamp`, seconds. */
  toleranceSeconds: number;
  /** SIDECAR_TIMEOUT_MS: wait for an answer, and longest pause within a media download, ms. */
  timeoutMs: number;
  defaultCountry: string;
  /** MEDIA_MAX_BYTES: a larger media item is refused for good while downloading; none when unset. */
  mediaMaxBytes?: number;
  /**
   * MEDIA_DOWNLOAD_TIMEOUT_MS: a media body not ended this long after its headers fails the
   * download (retryable), ms; none when unset.
   */
  mediaDownloadTimeoutMs?: number;
}

/**
 * The sidecar's message: valid as it is, else kept as an `unknown` message with a note when its
 * provider, channel, id and sender can still be read (a customer's message is never refused for
 * an odd field); otherwise the schema's issues, each naming its field.
 */
const sidecarMessageSchema = z.unknown().transform((value, context) => {
  const strict = inboundMessageSchema.safeParse(value);
  if (strict.success) return strict.data;
  if (isRecord(value) && value.provider === 'wppconnect' && isRecord(value.from)) {
    const salvaged = unreadableMessage(
      {
        provider: 'wppconnect',
        channel: value.channel,
        providerMessageId: value.providerMessageId,
        timestamp: value.timestamp,
        from: value.from,
        text: value.text ?? value.caption,
        raw: value.raw,
      },
      describeIssues(strict.error),
    );
    if (salvaged) return salvaged;
  }
  for (const issue of strict.error.issues) {
    context.addIssue({ code: 'custom', message: issue.message, path: [...issue.path] });
  }
  return z.NEVER;
});

/**
 * The sidecar's webhook body (SPEC section 6): a message, a delivery status, a session's state, or a
 * change of a delivered message (`edit`, `deletion`, `reaction`: the contract's webhook-event.ts).
 */
export const sidecarWebhookSchema = webhookEventSchemaWith(sidecarMessageSchema);

const sendAnswerSchema = z.object({ id: z.string().min(1) });

/** WPPConnect's media type names: a voice note is `ptt` (sendFile's `isPtt`). */
const SIDECAR_MEDIA_TYPE: Record<OutboundMedia['type'], string> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  voice: 'ptt',
  document: 'document',
  sticker: 'image',
};

/** The sidecar logs a send under the helpdesk's request id when one is given. */
function requestIdHeader(options?: SendOptions): Record<string, string> {
  return options?.requestId ? { 'x-request-id': options.requestId } : {};
}

export class WppConnectDriver implements WhatsAppDriver {
  readonly provider = 'wppconnect' as const;
  /** The sidecar's axios instance: its API key on every request, SIDECAR_URL's origin only. */
  private readonly http: AxiosInstance;

  constructor(private readonly options: WppConnectDriverOptions) {
    this.http = createUpstreamClient({
      origins: [new URL(options.sidecarUrl).origin],
      baseURL: options.sidecarUrl,
      timeoutMs: options.timeoutMs,
      headers: { 'x-api-key': options.apiKey },
    });
  }

  /**
   * Checks `X-Webhook-Timestamp` (Unix seconds, within the tolerance) and
   * `X-Webhook-Signature: sha256=<hex>`, the HMAC-SHA256 of `<timestamp>.<raw body>`.
   * @throws AppError unauthorized without saying which part failed beyond missing/stale/invalid.
   */
  verifyWebhook(request: WebhookRequest): void {
    const timestamp = headerValue(request.headers, 'x-webhook-timestamp');
    const signature = headerValue(request.headers, 'x-webhook-signature');
    if (!timestamp || !signature) throw new AppError('unauthorized', 'missing webhook signature headers');
    const seconds = Number(timestamp);
    if (
      !/^\d{1,12}$/.test(timestamp) ||
      Math.abs(Date.now() / 1000 - seconds) > this.options.toleranceSeconds
    ) {
      throw new AppError('unauthorized', 'stale or invalid X-Webhook-Timestamp');
    }
    const expected = `sha256=${hmacSha256Hex(
      this.options.webhookSecret,
      Buffer.concat([Buffer.from(`${timestamp}.`), request.rawBody]),
    )}`;
    if (!safeEqual(signature, expected)) throw new AppError('unauthorized', 'invalid webhook signature');
  }

  /**
   * A message, status, edit, deletion or reaction becomes one inbound job; a `session` event (a
   * channel's state change) no job, only `channelStates`.
   * @throws AppError validation_failed naming the field.
   */
  parseWebhook(body: unknown): ParsedWebhook {
    const parsed = sidecarWebhookSchema.safeParse(body);
    if (!parsed.success) throw validationError(parsed.error);
    const event = parsed.data;
    if (event.type === 'session') return { jobs: [], rejected: [], channelStates: [event] };
    if (event.type === 'message') {
      if (event.message.provider !== 'wppconnect') {
        throw new AppError('validation_failed', 'message.provider: must be "wppconnect" on this webhook');
      }
      return { jobs: [{ kind: 'message', eventId: event.eventId, message: event.message }], rejected: [] };
    }
    if (event.type === 'edit' || event.type === 'deletion' || event.type === 'reaction') {
      const change =
        event.type === 'edit' ? event.edit : event.type === 'deletion' ? event.deletion : event.reaction;
      if (change.provider !== 'wppconnect') {
        throw new AppError(
          'validation_failed',
          `${event.type}.provider: must be "wppconnect" on this webhook`,
        );
      }
      const job: MessageChangeJob =
        event.type === 'edit'
          ? { kind: 'edit', eventId: event.eventId, provider: 'wppconnect', edit: event.edit }
          : event.type === 'deletion'
            ? { kind: 'deletion', eventId: event.eventId, provider: 'wppconnect', deletion: event.deletion }
            : { kind: 'reaction', eventId: event.eventId, provider: 'wppconnect', reaction: event.reaction };
      return { jobs: [job], rejected: [] };
    }
    return {
      jobs: [{ kind: 'status', eventId: event.eventId, provider: 'wppconnect', status: event.status }],
      rejected: [],
    };
  }

  /** Sends a text through the channel's session. @throws ProviderError */
  async sendText(channel: string, to: Recipient, text: string, options?: SendOptions): Promise<SendResult> {
    return this.send(
      `${this.sessionPath(channel)}/send-message`,
      { to: this.address(to), text, ...(options?.replyTo ? { replyTo: options.replyTo } : {}) },
      options,
    );
  }

  /** Sends a file (multipart) through the channel's session. @throws ProviderError */
  async sendMedia(
    channel: string,
    to: Recipient,
    media: OutboundMedia,
    options?: SendOptions,
  ): Promise<SendResult> {
    // Node's FormData with a file-backed Blob: axios streams the file from disk, Content-Length known.
    const form = new FormData();
    form.set('to', this.address(to));
    form.set('type', SIDECAR_MEDIA_TYPE[media.type]);
    if (media.caption) form.set('caption', media.caption);
    if (media.filename) form.set('filename', media.filename);
    if (options?.replyTo) form.set('replyTo', options.replyTo);
    const blob = await openAsBlob(media.path, { type: media.mimeType });
    form.set('file', blob, media.filename ?? 'file');
    return this.send(`${this.sessionPath(channel)}/send-media`, form, options);
  }

  /**
   * A message template as its rendered text: WhatsApp Web has no template rule (issue 17, "On
   * WPPConnect the same flow sends text").
   */
  async sendTemplate(
    channel: string,
    to: Recipient,
    template: OutboundTemplate,
    options?: SendOptions,
  ): Promise<SendResult> {
    return this.sendText(channel, to, template.text, options);
  }

  /** The menu as numbered text ("1. …"); the customer answers with the number. */
  async sendMenu(channel: string, to: Recipient, menu: Menu, options?: SendOptions): Promise<SendResult> {
    return this.sendText(
      channel,
      to,
      renderMenuAsText(menu),
      options?.requestId ? { requestId: options.requestId } : undefined,
    );
  }

  /**
   * Fetches an inbound media item through the channel's session,
   * `GET /api/sessions/:channel/media/:id`, and only from the sidecar: the event's `media.url` (the
   * sidecar names its `/api/media/:id`, shared by every session) must be on SIDECAR_URL's origin
   * under its `/api/media/` path (the API key goes to no other host), else the media is refused for
   * good; its id is then fetched through the session. Redirects are not followed.
   * @param channel the session the message came in on (the event's `channel`).
   * @returns the bytes as a stream (see `guardDownload`: it fails, not retryable, past
   *   `mediaMaxBytes`; retryable when the connection fails, pauses for `timeoutMs` or the body
   *   takes longer than `mediaDownloadTimeoutMs`).
   * @throws ProviderError: not retryable for a refused URL, a redirect, 404 and 410 (the media or
   *   the session is gone) and a Content-Length over `mediaMaxBytes`; retryable for other statuses
   *   and network failures.
   */
  async downloadMedia(channel: string, media: InboundMedia): Promise<DownloadedMedia> {
    const url = this.mediaUrl(channel, media);
    const response = await this.request<Readable>({
      method: 'GET',
      url,
      responseType: 'stream',
      // The bytes as stored: Content-Length is then their size, checked against the cap.
      headers: { 'accept-encoding': 'identity' },
    });
    const status = response.status;
    if (status < 200 || status >= 300) {
      response.data.destroy();
      const permanent = status === 404 || status === 410 || (status >= 300 && status < 400);
      throw new ProviderError(`sidecar media ${media.id}: HTTP ${status}`, !permanent, status);
    }
    const stream = guardDownload(response, {
      what: `sidecar media ${media.id}`,
      maxBytes: this.options.mediaMaxBytes ?? Number.POSITIVE_INFINITY,
      idleMs: this.options.timeoutMs,
      totalMs: this.options.mediaDownloadTimeoutMs,
    });
    const contentType = response.headers['content-type'];
    return {
      stream,
      mimeType: typeof contentType === 'string' && contentType ? contentType : media.mimeType,
    };
  }

  /**
   * The URL to fetch a media item from: `<SIDECAR_URL>/api/sessions/<channel>/media/<id>`, the id
   * being what follows `/api/media/` in the event's `media.url` when that URL is on the sidecar's
   * origin under `<SIDECAR_URL path>/api/media/` (compared after URL parsing, so `..`, case and
   * default ports cannot sneak past), else `media.id`.
   * @throws ProviderError (not retryable) when `media.url` points anywhere else.
   */
  private mediaUrl(channel: string, media: InboundMedia): string {
    const base = new URL(this.options.sidecarUrl);
    const basePath = base.pathname.replace(/\/+$/, '');
    const prefix = `${basePath}/api/media/`;
    const through = `${base.origin}${basePath}${this.sessionPath(channel)}/media/`;
    if (!media.url) return `${through}${encodeURIComponent(media.id)}`;
    let url: URL | null = null;
    try {
      url = new URL(media.url);
    } catch {
      url = null;
    }
    if (
      !url ||
      url.origin !== base.origin ||
      url.username !== '' ||
      url.password !== '' ||
      !url.pathname.startsWith(prefix) ||
      url.pathname.length === prefix.length
    ) {
      throw new ProviderError(
        `sidecar media ${media.id}: refused media.url ${JSON.stringify(media.url.slice(0, 200))}, which is not under SIDECAR_URL's /api/media/`,
        false,
      );
    }
    // Already percent-encoded as parsed; the sidecar's media ids are `<sha256>.<ext>`.
    return `${through}${url.pathname.slice(prefix.length)}`;
  }

  /**
   * The state of the channel's session (`GET /api/sessions/:channel`); a session the sidecar does
   * not have, or a sidecar out of reach, is `unknown` with the reason in `detail`. Never throws.
   */
  async getStatus(channel: string): Promise<ConnectionStatus> {
    const unknown = (detail: string): ConnectionStatus => ({
      provider: 'wppconnect',
      channel,
      state: 'unknown',
      phone: null,
      detail,
    });
    try {
      const response = await this.request<string>({ method: 'GET', url: this.sessionPath(channel) });
      if (response.status < 200 || response.status >= 300) {
        return unknown(
          `sidecar session "${channel}": HTTP ${response.status} ${response.data.slice(0, 300)}`,
        );
      }
      const body = JSON.parse(response.data) as {
        state?: string;
        phone?: string | null;
        detail?: string | null;
      };
      const state = (body.state ?? 'unknown') as ConnectionStatus['state'];
      return {
        provider: 'wppconnect',
        channel,
        state,
        phone: body.phone ?? null,
        ...(body.detail ? { detail: body.detail } : {}),
      };
    } catch (error) {
      return unknown((error as Error).message);
    }
  }

  normalisePhone(input: string | null | undefined): string | null {
    return normalisePhone(input, this.options.defaultCountry);
  }

  /**
   * `/api/sessions/<channel>`: where the calls for the channel's session go (relative to SIDECAR_URL).
   * @throws ProviderError (not retryable) when the channel is empty: no session to send through.
   */
  private sessionPath(channel: string): string {
    if (!channel)
      throw new ProviderError('the ticket has no channel (sidecar session) to send through', false);
    return `/api/sessions/${encodeURIComponent(channel)}`;
  }

  /** The sidecar accepts E.164 and `@lid` ids; a phone is preferred when known. */
  private address(to: Recipient): string {
    if (to.phone) return to.phone;
    if (to.lid) return to.lid;
    throw new ProviderError('the customer has neither a phone number nor a WhatsApp lid', false);
  }

  /**
   * One HTTP request to the sidecar (its API key, the driver's timeout, no redirect followed).
   * @returns the answer, whatever its status.
   * @throws ProviderError (retryable) when the sidecar cannot be reached or does not answer in time.
   */
  private async request<T>(config: AxiosRequestConfig): Promise<AxiosResponse<T>> {
    try {
      return await this.http.request<T>(config);
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      throw new ProviderError(`sidecar unreachable: ${transportFailure(error)}`, true);
    }
  }

  /**
   * Posts a send (a JSON object, or a multipart form) and reads the message id from the answer.
   * @throws ProviderError: retryable for 429, 5xx, no answer, or an answer without an id;
   *   not retryable for other statuses.
   */
  private async send(path: string, data: object, options?: SendOptions): Promise<SendResult> {
    const response = await this.request<string>({
      method: 'POST',
      url: path,
      data,
      headers: requestIdHeader(options),
    });
    const text = response.data;
    const status = response.status;
    if (status < 200 || status >= 300) {
      // 429, 5xx and 503 (session not connected) may pass; anything else will not.
      const retryable = status === 429 || status >= 500;
      throw new ProviderError(`sidecar ${path}: HTTP ${status} ${text.slice(0, 300)}`, retryable, status);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    const parsed = sendAnswerSchema.safeParse(body);
    if (!parsed.success) throw new ProviderError(`sidecar ${path}: answer without a message id`, true);
    return { providerMessageId: parsed.data.id };
  }
}
