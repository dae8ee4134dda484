/**
 * Outbound sends through the connected WPPConnect client: normalise `to`, check the session and size caps,
 * call `sendText`/`sendFile`, and return the WhatsApp message id.
 * `@lid` recipients go straight to WPPConnect: no number-exists check (it cannot handle lids).
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/layers/sender.layer.d.ts (`sendText`, `sendFile`)
 */
import { readFile } from 'node:fs/promises';
import { fileTypeFromBuffer } from 'file-type';
import mime from 'mime-types';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { mediaSizeLimit } from '../media/size-limits';
import type { MediaKind } from '../media/size-limits';
import type { SidecarMetrics } from '../metrics';
import type { SendFileOptions, WppClient } from '../session/client';
import { InvalidRecipientError, toChatId } from '../session/recipient';
import { extractMessageId } from './extract-message-id';

export interface SendMediaInput {
  to: string;
  kind: MediaKind;
  /** The file to send, on disk (read only once the send is checked); `size` in bytes. */
  file: { path: string; size: number };
  /** Declared MIME type, if any; otherwise sniffed (file-type) or guessed from the filename. */
  mimeType: string | null;
  filename: string | null;
  caption: string | null;
  replyTo?: string | null;
}

export interface MessageSenderOptions {
  defaultCountry: string;
  /** The connected client, or null when the session is not connected. */
  client(): WppClient | null;
  /** Where the caller reads the session's state, named in the `not_connected` error (default `GET /api/status`). */
  statusRoute?: string;
  logger: Logger;
  /** Counts sends by type and result. */
  metrics?: SidecarMetrics;
}

/** Sends text and media; every method resolves with the WhatsApp message id. */
export class MessageSender {
  constructor(private readonly options: MessageSenderOptions) {}

  /**
   * @param to - any accepted recipient form (see `toChatId`).
   * @returns the chat id WPPConnect gets. @throws AppError `invalid_recipient`.
   */
  recipient(to: string): string {
    try {
      return toChatId(to, this.options.defaultCountry);
    } catch (error) {
      if (error instanceof InvalidRecipientError) throw new AppError('invalid_recipient', error.message);
      throw error;
    }
  }

  /**
   * @returns `{ id }`. @throws AppError `invalid_recipient`, `not_connected`, `send_failed`.
   */
  async sendText(to: string, text: string, replyTo?: string | null): Promise<{ id: string; chatId: string }> {
    return this.counted('text', () => this.sendTextNow(to, text, replyTo));
  }

  /**
   * @returns `{ id }`. @throws AppError `invalid_recipient`, `payload_too_large`, `not_connected`, `send_failed`.
   */
  async sendMedia(input: SendMediaInput): Promise<{ id: string; chatId: string }> {
    return this.counted(input.kind, () => this.sendMediaNow(input));
  }

  /** Runs a send and counts it in `wpp_sidecar_sends_total` under its result. */
  private async counted<T>(type: string, send: () => Promise<T>): Promise<T> {
    try {
      const result = await send();
      this.options.metrics?.sends.inc({ type, result: 'sent' });
      return result;
    } catch (error) {
      const result = error instanceof AppError ? error.code : 'error';
      this.options.metrics?.sends.inc({ type, result });
      throw error;
    }
  }

  private async sendTextNow(
    to: string,
    text: string,
    replyTo?: string | null,
  ): Promise<{ id: string; chatId: string }> {
    const chatId = this.recipient(to);
    const client = this.requireClient();
    const result = await this.call(() =>
      client.sendText(chatId, text, replyTo ? { quotedMsg: replyTo } : undefined),
    );
    return { id: this.idOf(result, 'sendText'), chatId };
  }

  private async sendMediaNow(input: SendMediaInput): Promise<{ id: string; chatId: string }> {
    const chatId = this.recipient(input.to);
    const limit = mediaSizeLimit(input.kind);
    if (input.file.size > limit) {
      throw new AppError(
        'payload_too_large',
        `"file" is ${input.file.size} bytes; WhatsApp allows at most ${limit} bytes for ${input.kind}`,
      );
    }
    if (input.file.size === 0) throw new AppError('invalid_request', '"file" is empty');
    const client = this.requireClient();
    // WPPConnect's sendFile takes the whole file as a base64 data URL (it hands it to the browser page).
    const bytes = await readFile(input.file.path);
    const mimeType =
      input.mimeType && input.mimeType !== 'application/octet-stream'
        ? input.mimeType
        : ((await fileTypeFromBuffer(bytes))?.mime ??
          (input.filename ? mime.lookup(input.filename) : false) ??
          'application/octet-stream');
    const resolvedMime = mimeType || 'application/octet-stream';
    const filename = input.filename ?? `${input.kind}.${mime.extension(resolvedMime) || 'bin'}`;
    const options: SendFileOptions = {
      type: input.kind === 'ptt' ? 'audio' : input.kind,
      filename,
      mimetype: resolvedMime,
    };
    if (input.kind === 'ptt') options.isPtt = true;
    if (input.caption) options.caption = input.caption;
    if (input.replyTo) options.quotedMsg = input.replyTo;
    const dataUrl = `data:${resolvedMime};base64,${bytes.toString('base64')}`;
    const result = await this.call(() => client.sendFile(chatId, dataUrl, options));
    return { id: this.idOf(result, 'sendFile'), chatId };
  }

  private requireClient(): WppClient {
    const client = this.options.client();
    if (!client)
      throw new AppError(
        'not_connected',
        `the WhatsApp session is not connected; see ${this.options.statusRoute ?? 'GET /api/status'}`,
      );
    return client;
  }

  private async call(send: () => Promise<unknown>): Promise<unknown> {
    try {
      return await send();
    } catch (error) {
      const text = error instanceof Error ? error.message : JSON.stringify(error);
      this.options.logger.error({ err: text }, 'send: WPPConnect rejected the message');
      throw new AppError('send_failed', `WhatsApp did not accept the message: ${text}`);
    }
  }

  private idOf(result: unknown, method: string): string {
    const id = extractMessageId(result);
    if (!id) {
      throw new AppError(
        'send_failed',
        `${method} returned no message id; the message may or may not have been sent (check the chat before retrying)`,
      );
    }
    return id;
  }
}
