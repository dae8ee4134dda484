/**
 * The WhatsApp Cloud API driver: talks to Meta's Graph API directly (no sidecar) and reads Meta's
 * signed webhooks. A channel is a phone number id (`metadata.phone_number_id`); this deployment
 * serves the one in CLOUD_API_PHONE_NUMBER_ID.
 *
 * - Webhooks: `X-Hub-Signature-256` (HMAC-SHA256 of the raw body, app secret) — see
 *   cloud/webhook-verification.ts; the body is read by cloud/parse-webhook.ts.
 * - Sending: `POST /<version>/<phone number id>/messages` (Meta, "Messages" reference); text with
 *   `preview_url: false`, media uploaded first (`POST /<phone number id>/media`) then sent by id, the
 *   menu as an interactive list (cloud/outbound-messages.ts). The answer's `messages[0].id` is the
 *   wamid recorded as the provider message id.
 * - Templates: `type: "template"` with the name, language code and text parameters (Meta, "Send
 *   message templates"), the one message allowed outside the 24-hour window.
 * - Errors: cloud/graph-errors.ts maps Meta's codes to retryable or final ProviderErrors.
 * - Media download: cloud/media.ts, the two-step flow.
 */
import { z } from 'zod';
import { renderMenuAsText, type Menu } from '../../domain/menu';
import { normalisePhone } from '../../domain/phone';
import { ProviderError } from '../../errors';
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
import type { InboundMedia } from '../inbound-event';
import { GraphClient, UNREACHABLE } from '../cloud/graph-client';
import { downloadCloudMedia, uploadCloudMedia } from '../cloud/media';
import { listMessage, mediaMessage, templateMessage, textMessage } from '../cloud/outbound-messages';
import { parseCloudWebhook } from '../cloud/parse-webhook';
import { verifyHubSignature } from '../cloud/webhook-verification';

export interface CloudApiDriverOptions {
  /** CLOUD_API_BASE_URL, e.g. https://graph.facebook.com. */
  baseUrl: string;
  /** CLOUD_API_VERSION, e.g. v23.0. */
  version: string;
  /** CLOUD_API_TOKEN: access token with whatsapp_business_messaging. */
  token: string;
  /** CLOUD_API_PHONE_NUMBER_ID: the business phone number id (the channel). */
  phoneNumberId: string;
  /** CLOUD_API_APP_SECRET: signs the webhooks. */
  appSecret: string;
  /**
   * The phone number ids whose webhook changes this driver accepts (several channels of one Meta
   * app share its app secret); default `phoneNumberId` alone.
   */
  webhookPhoneNumberIds?: ReadonlySet<string>;
  /** Wait for Meta's answer (and between chunks of a download), ms. */
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

/** The answer of `POST /messages` (Meta, "Messages" reference): `messages[0].id` is the wamid. */
const sendAnswerSchema = z.object({
  messages: z.array(z.object({ id: z.string().min(1) })).min(1),
});

const phoneNumberSchema = z.object({
  display_phone_number: z.string().optional(),
  verified_name: z.string().optional(),
  quality_rating: z.string().optional(),
});

export class CloudApiDriver implements WhatsAppDriver {
  readonly provider = 'cloud' as const;
  private readonly graph: GraphClient;

  constructor(private readonly options: CloudApiDriverOptions) {
    this.graph = new GraphClient({
      baseUrl: options.baseUrl,
      version: options.version,
      token: options.token,
      timeoutMs: options.timeoutMs,
    });
  }

  /**
   * Checks `X-Hub-Signature-256` against the raw body (Meta, "Webhooks — Validating payloads").
   * @throws AppError unauthorized (401).
   */
  verifyWebhook(request: WebhookRequest): void {
    verifyHubSignature(request.headers, request.rawBody, this.options.appSecret);
  }

  /**
   * Reads every entry, change, message and status of a notification.
   * @throws AppError validation_failed (400) when the body is not a WhatsApp notification.
   */
  parseWebhook(body: unknown): ParsedWebhook {
    return parseCloudWebhook(body, {
      phoneNumberId: this.options.webhookPhoneNumberIds ?? this.options.phoneNumberId,
      graphUrl: this.graph.graphUrl,
    });
  }

  /** Sends a text (link previews off). @throws ProviderError */
  async sendText(channel: string, to: Recipient, text: string, options?: SendOptions): Promise<SendResult> {
    return this.send(channel, textMessage(to, text, options?.replyTo));
  }

  /** Uploads the file, then sends it by media id. @throws ProviderError */
  async sendMedia(
    channel: string,
    to: Recipient,
    media: OutboundMedia,
    options?: SendOptions,
  ): Promise<SendResult> {
    const mediaId = await uploadCloudMedia(this.graph, channel, media);
    return this.send(
      channel,
      mediaMessage(
        to,
        { type: media.type, mediaId, caption: media.caption, filename: media.filename },
        options?.replyTo,
      ),
    );
  }

  /**
   * Sends a message template (Meta, "Send message templates"); allowed outside the 24-hour window.
   * @throws ProviderError (132000 parameter count, 132001 template missing… see graph-errors.ts)
   */
  async sendTemplate(
    channel: string,
    to: Recipient,
    template: OutboundTemplate,
    options?: SendOptions,
  ): Promise<SendResult> {
    return this.send(channel, templateMessage(to, template, options?.replyTo));
  }

  /**
   * Sends the menu as an interactive list message; a menu a list cannot hold (more than 10
   * options) goes as the numbered text instead. @throws ProviderError
   */
  async sendMenu(channel: string, to: Recipient, menu: Menu): Promise<SendResult> {
    const list = listMessage(to, menu);
    return list ? this.send(channel, list) : this.sendText(channel, to, renderMenuAsText(menu));
  }

  /** The two-step media download (cloud/media.ts). @throws ProviderError */
  async downloadMedia(channel: string, media: InboundMedia): Promise<DownloadedMedia> {
    return downloadCloudMedia(this.graph, media.id, channel, {
      maxBytes: this.options.mediaMaxBytes,
      totalMs: this.options.mediaDownloadTimeoutMs,
    });
  }

  /**
   * Reads the phone number's display number, verified name and quality rating
   * (`GET /<phone number id>?fields=…`, Meta, "Phone numbers" reference). `connected` when Meta
   * answers; `error` with the reason when it refuses (e.g. an expired token); `unknown` when
   * unreachable. Never throws.
   */
  async getStatus(channel: string): Promise<ConnectionStatus> {
    const base = { provider: 'cloud' as const, channel };
    try {
      const answer = await this.graph.json(
        'GET',
        `/${encodeURIComponent(channel)}?fields=display_phone_number,verified_name,quality_rating`,
      );
      const phone = phoneNumberSchema.safeParse(answer);
      const data = phone.success ? phone.data : {};
      return {
        ...base,
        state: 'connected',
        phone: this.normalisePhone(data.display_phone_number),
        ...(data.verified_name
          ? { detail: `${data.verified_name} (quality ${data.quality_rating ?? 'unknown'})` }
          : {}),
      };
    } catch (error) {
      const unreachable = error instanceof ProviderError && error.providerCode === UNREACHABLE;
      return {
        ...base,
        state: unreachable ? 'unknown' : 'error',
        phone: null,
        detail: (error as Error).message,
      };
    }
  }

  /**
   * A wa_id (digits of an international number without "+", as Meta gives it) or any common phone
   * form as E.164. Bare digits are read as international first, since that is what a wa_id is.
   */
  normalisePhone(input: string | null | undefined): string | null {
    if (!input) return null;
    const digits = input.trim();
    if (/^\d{6,15}$/.test(digits)) {
      return (
        normalisePhone(`+${digits}`, this.options.defaultCountry) ??
        normalisePhone(digits, this.options.defaultCountry)
      );
    }
    return normalisePhone(input, this.options.defaultCountry);
  }

  private async send(channel: string, body: Record<string, unknown>): Promise<SendResult> {
    const answer = await this.graph.json('POST', `/${encodeURIComponent(channel)}/messages`, body);
    const parsed = sendAnswerSchema.safeParse(answer);
    // Not retried: Meta may have accepted the message, and a retry could send it twice.
    if (!parsed.success) throw new ProviderError('Cloud API POST /messages: the answer has no wamid', false);
    return { providerMessageId: parsed.data.messages[0]!.id };
  }
}
