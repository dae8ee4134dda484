/**
 * The seam around WPPConnect: the sidecar only talks to this interface, so tests inject a fake client and
 * production injects `createWppconnectFactory()` (which calls WPPConnect's `create()`).
 *
 * Method names and shapes follow `Whatsapp` of @wppconnect-team/wppconnect 2.3.x:
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/layers/listener.layer.d.ts (`onMessage`, `onAck`, `onStateChange`,
 *   `onMessageEdit`, `onRevokedMessage`, `onReactionMessage`)
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/whatsapp.d.ts (`getMessageById`)
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/layers/sender.layer.d.ts (`sendText`, `sendFile`)
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/model/initializer.d.ts (`catchQR`, `statusFind`)
 */
import type { MediaDownloader } from '../media/fetch-message-media';
import type { LidLookup } from './lid-resolver';
import type { WppAck, WppEdit, WppMessage, WppReaction, WppRevoke } from '../events/wpp-types';

/** Options of `sendFile` (wa-js `FileMessageOptions` subset). */
export interface SendFileOptions {
  type: 'image' | 'video' | 'audio' | 'document' | 'sticker' | 'auto-detect';
  isPtt?: boolean;
  caption?: string;
  filename?: string;
  mimetype?: string;
  quotedMsg?: string;
}

/** What the sidecar uses of a connected WPPConnect client. */
export interface WppClient extends LidLookup, MediaDownloader {
  onMessage(callback: (message: WppMessage) => void): unknown;
  onAck(callback: (ack: WppAck) => void): unknown;
  /** A message was edited (wa-js `chat.msg_edited`). Optional: a client without it forwards no edits. */
  onMessageEdit?(callback: (data: WppEdit) => void): unknown;
  /** A message was deleted for everyone (wa-js `chat.msg_revoke`). */
  onRevokedMessage?(callback: (data: WppRevoke) => void): unknown;
  /** A reaction was added, changed or removed (wa-js `chat.new_reaction`). */
  onReactionMessage?(callback: (data: WppReaction) => void): unknown;
  /** The message with this serialized id, as `onMessage` serializes it (re-read of a `ciphertext` placeholder). */
  getMessageById?(messageId: string): Promise<WppMessage>;
  onStateChange?(callback: (state: string) => void): unknown;
  /** Resolves with the sent `Message` (its `id` is the WhatsApp message id). */
  sendText(to: string, text: string, options?: { quotedMsg?: string }): Promise<unknown>;
  /** `pathOrBase64` is a `data:<mime>;base64,…` URL here. Resolves `{ ack, id }` or, in some versions, nothing. */
  sendFile(to: string, pathOrBase64: string, options: SendFileOptions): Promise<unknown>;
  /** Own WhatsApp id (`<digits>@c.us` string or a Wid object). */
  getWid?(): Promise<unknown>;
  logout?(): Promise<unknown>;
  /** Closes the page and browser; the real adapter also kills any Chromium process left on the profile. */
  close(): Promise<unknown>;
}

/** A QR code to scan, as WPPConnect's `catchQR(base64Qr, asciiQR, attempt, urlCode)` reports it. */
export interface QrCodeEvent {
  /** `data:image/png;base64,…` */
  dataUrl: string;
  ascii: string;
  attempt: number;
  /** The raw text encoded in the QR. */
  urlCode: string;
}

export interface ClientFactoryOptions {
  session: string;
  /** Chromium profile dir (`<TOKENS_DIR>/<SESSION_NAME>`), stable across restarts. */
  profileDir: string;
  onQr(qr: QrCodeEvent): void;
  /** WPPConnect `statusFind` values: `notLogged`, `qrReadSuccess`, `isLogged`, `inChat`, `browserClose`, … */
  onStatus(status: string): void;
  /** Aborted when the session is stopped/restarted while `create()` is pending: the factory must reject soon. */
  signal: AbortSignal;
  /**
   * Told of what went wrong in the browser as it happens, in one line (a failed navigation of the WhatsApp
   * Web page such as `net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com`, a page crash, Chromium
   * exiting, a WPPConnect error line): the session reports it when the attempt fails or the connection is
   * lost without a better reason. Optional: fakes need not call it.
   */
  onCause?(cause: string): void;
}

/**
 * Creates a connected client. Resolves once logged in (WPPConnect `waitForLogin`); stays pending while the QR
 * waits to be scanned (reporting QRs through `onQr`); rejects on launch/navigation failure or abort.
 */
export type ClientFactory = (options: ClientFactoryOptions) => Promise<WppClient>;
