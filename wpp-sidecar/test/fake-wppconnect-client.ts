/**
 * A fake WPPConnect client for tests: implements the sidecar's `WppClient` seam, records every call, and lets
 * the test play WhatsApp (emit messages, acks, QR codes, `statusFind` and socket states).
 *
 * ```ts
 * const fake = new FakeWppClient();
 * const sidecar = await startSidecar({ config, clientFactory: fake.factory() });
 * await sidecar.waitForState('connected');
 * fake.setLidPhone('123456789012345@lid', '201001234567');  // getPnLidEntry knows this lid
 * fake.setMedia(message.id, bytes);                          // decryptFile returns these bytes
 * fake.emitMessage(message);                                 // as client.onMessage would
 * fake.emitEdit(edit); fake.emitRevoke(revoke); fake.emitReaction(reaction); // onMessageEdit, onRevokedMessage, onReactionMessage
 * fake.setStoredMessage(message);                            // getMessageById returns it (a decrypted ciphertext)
 * fake.sent;                                                 // [{ method: 'sendText', to, content, options }]
 * ```
 * `factory({ pairing: true })` makes the session wait in state `qr` until `fake.scan()`.
 */
import type { ClientFactory, ClientFactoryOptions, SendFileOptions, WppClient } from '../src/session/client';
import type { WppAck, WppEdit, WppMessage, WppReaction, WppRevoke } from '../src/events/wpp-types';
import type { PnLidEntry } from '../src/session/wpp-types';

export interface SentCall {
  method: 'sendText' | 'sendFile';
  to: string;
  /** Text for sendText; the `data:` URL for sendFile. */
  content: string;
  options: unknown;
  /** The id the fake answered with (null when `sendFileResult` returned no id). */
  id: string | null;
}

export interface FactoryBehaviour {
  /** Emit a QR and stay pending until `scan()` (default false: connect at once). */
  pairing?: boolean;
  /** Reject the first N create() calls with this error message (then succeed). */
  failFirst?: { times: number; message: string };
}

export class FakeWppClient implements WppClient {
  /** Every sendText/sendFile call, in order. */
  readonly sent: SentCall[] = [];
  /** Every method call by name, in order (`getPnLidEntry`, `decryptFile`, `close`, ...). */
  readonly calls: Array<{ method: string; args: unknown[] }> = [];
  /** Own id reported by `getWid()`. */
  wid = '201000000000@c.us';
  /** How many times the factory created this client. */
  creates = 0;
  closed = 0;
  /** Override what `sendFile` resolves with, to exercise WPPConnect's result shapes. */
  sendFileResult: ((to: string) => unknown) | null = null;
  /** Make the next sends reject with this error. */
  sendError: Error | null = null;

  private readonly lids = new Map<string, string>();
  private readonly media = new Map<string, Buffer>();
  private readonly mediaFallback = new Map<string, string>();
  private messageListeners: Array<(m: WppMessage) => void> = [];
  private ackListeners: Array<(a: WppAck) => void> = [];
  private editListeners: Array<(e: WppEdit) => void> = [];
  private revokeListeners: Array<(r: WppRevoke) => void> = [];
  private reactionListeners: Array<(r: WppReaction) => void> = [];
  private readonly stored = new Map<string, WppMessage>();
  private stateListeners: Array<(s: string) => void> = [];
  private factoryOptions: ClientFactoryOptions | null = null;
  private pendingScan: (() => void) | null = null;
  private counter = 0;

  /** The seam: pass to `startSidecar({ clientFactory })`. */
  factory(behaviour: FactoryBehaviour = {}): ClientFactory {
    let failures = 0;
    return async (options) => {
      this.creates++;
      this.factoryOptions = options;
      this.messageListeners = [];
      this.ackListeners = [];
      this.editListeners = [];
      this.revokeListeners = [];
      this.reactionListeners = [];
      this.stateListeners = [];
      if (behaviour.failFirst && failures < behaviour.failFirst.times) {
        failures++;
        throw new Error(behaviour.failFirst.message);
      }
      if (behaviour.pairing) {
        options.onStatus('notLogged');
        options.onQr({
          dataUrl: 'data:image/png;base64,iVBORw0KGgo=',
          ascii: '##',
          attempt: 1,
          urlCode: '2@fake-ref,fake-key,fake-id',
        });
        await new Promise<void>((resolve, reject) => {
          this.pendingScan = resolve;
          options.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
        });
        options.onStatus('qrReadSuccess');
      }
      options.onStatus('inChat');
      return this;
    };
  }

  /** Complete a pending pairing (the phone scanned the QR). */
  scan(): void {
    this.pendingScan?.();
    this.pendingScan = null;
  }

  /** Report a WPPConnect `statusFind` value (e.g. `browserClose`). */
  emitStatus(status: string): void {
    this.factoryOptions?.onStatus(status);
  }

  /** Report a `SocketState` (e.g. `UNPAIRED`) through `onStateChange`. */
  emitStateChange(state: string): void {
    for (const listener of this.stateListeners) listener(state);
  }

  /** Deliver a message as `client.onMessage` would. */
  emitMessage(message: WppMessage): void {
    for (const listener of this.messageListeners) listener(message);
  }

  /** Deliver an ack as `client.onAck` would. */
  emitAck(ack: WppAck): void {
    for (const listener of this.ackListeners) listener(ack);
  }

  /** Deliver an edit as `client.onMessageEdit` would (`{ chat, id, msg }`). */
  emitEdit(edit: WppEdit): void {
    for (const listener of this.editListeners) listener(edit);
  }

  /** Deliver a deletion as `client.onRevokedMessage` would (`{ author?, from, to, id, refId }`). */
  emitRevoke(revoke: WppRevoke): void {
    for (const listener of this.revokeListeners) listener(revoke);
  }

  /** Deliver a reaction as `client.onReactionMessage` would. */
  emitReaction(reaction: WppReaction): void {
    for (const listener of this.reactionListeners) listener(reaction);
  }

  /** `getMessageById(message.id)` will return this message (e.g. a `ciphertext` one, decrypted). */
  setStoredMessage(message: WppMessage): void {
    this.stored.set(message.id, message);
  }

  /** `getPnLidEntry(lid)` will return this phone (digits, no '+'). */
  setLidPhone(lid: string, phoneDigits: string): void {
    this.lids.set(lid, phoneDigits);
  }

  /** `decryptFile(message)` will return these bytes for this message id. */
  setMedia(messageId: string, bytes: Buffer): void {
    this.media.set(messageId, bytes);
  }

  /** `downloadMedia(message)` will return this data URL (the fallback path). */
  setMediaFallback(messageId: string, dataUrl: string): void {
    this.mediaFallback.set(messageId, dataUrl);
  }

  onMessage(callback: (message: WppMessage) => void): { dispose(): void } {
    this.messageListeners.push(callback);
    return { dispose: () => (this.messageListeners = this.messageListeners.filter((l) => l !== callback)) };
  }

  onAck(callback: (ack: WppAck) => void): { dispose(): void } {
    this.ackListeners.push(callback);
    return { dispose: () => (this.ackListeners = this.ackListeners.filter((l) => l !== callback)) };
  }

  onMessageEdit(callback: (edit: WppEdit) => void): { dispose(): void } {
    this.editListeners.push(callback);
    return { dispose: () => (this.editListeners = this.editListeners.filter((l) => l !== callback)) };
  }

  onRevokedMessage(callback: (revoke: WppRevoke) => void): { dispose(): void } {
    this.revokeListeners.push(callback);
    return { dispose: () => (this.revokeListeners = this.revokeListeners.filter((l) => l !== callback)) };
  }

  onReactionMessage(callback: (reaction: WppReaction) => void): { dispose(): void } {
    this.reactionListeners.push(callback);
    return {
      dispose: () => (this.reactionListeners = this.reactionListeners.filter((l) => l !== callback)),
    };
  }

  /** WPPConnect's `getMessageById`: the stored message, else it rejects as WPPConnect does for an unknown id. */
  async getMessageById(messageId: string): Promise<WppMessage> {
    this.calls.push({ method: 'getMessageById', args: [messageId] });
    const message = this.stored.get(messageId);
    if (!message) throw new Error(`Message ${messageId} not found`);
    return message;
  }

  onStateChange(callback: (state: string) => void): { dispose(): void } {
    this.stateListeners.push(callback);
    return { dispose: () => (this.stateListeners = this.stateListeners.filter((l) => l !== callback)) };
  }

  async sendText(to: string, text: string, options?: { quotedMsg?: string }): Promise<unknown> {
    this.calls.push({ method: 'sendText', args: [to, text, options] });
    if (this.sendError) throw this.sendError;
    const id = this.nextId(to);
    this.sent.push({ method: 'sendText', to, content: text, options, id });
    // WPPConnect resolves with the sent Message object.
    return { id, body: text, type: 'chat', from: this.wid, to, fromMe: true, ack: 0 };
  }

  async sendFile(to: string, pathOrBase64: string, options: SendFileOptions): Promise<unknown> {
    this.calls.push({ method: 'sendFile', args: [to, '<data>', options] });
    if (this.sendError) throw this.sendError;
    if (this.sendFileResult) {
      const result = this.sendFileResult(to);
      this.sent.push({ method: 'sendFile', to, content: pathOrBase64, options, id: null });
      return result;
    }
    const id = this.nextId(to);
    this.sent.push({ method: 'sendFile', to, content: pathOrBase64, options, id });
    // WPPConnect 2.3's sendFile resolves `{ ack, id }`.
    return { ack: 0, id };
  }

  async getPnLidEntry(id: string): Promise<PnLidEntry> {
    this.calls.push({ method: 'getPnLidEntry', args: [id] });
    const phone = this.lids.get(id);
    return {
      lid: { _serialized: id },
      ...(phone ? { phoneNumber: { _serialized: `${phone}@c.us` } } : {}),
    };
  }

  async decryptFile(message: WppMessage): Promise<Buffer> {
    this.calls.push({ method: 'decryptFile', args: [message.id] });
    const bytes = this.media.get(message.id);
    if (!bytes) throw new Error('Error trying to download the file.');
    return bytes;
  }

  async downloadMedia(message: WppMessage | string): Promise<string> {
    const id = typeof message === 'string' ? message : message.id;
    this.calls.push({ method: 'downloadMedia', args: [id] });
    const dataUrl = this.mediaFallback.get(id);
    if (!dataUrl) throw new Error('media_not_found');
    return dataUrl;
  }

  async getWid(): Promise<unknown> {
    return this.wid;
  }

  async logout(): Promise<unknown> {
    this.calls.push({ method: 'logout', args: [] });
    return true;
  }

  async close(): Promise<unknown> {
    this.calls.push({ method: 'close', args: [] });
    this.closed++;
    return true;
  }

  private nextId(to: string): string {
    this.counter++;
    return `true_${to}_3EB0FAKE${String(this.counter).padStart(12, '0')}`;
  }
}

/**
 * Several fake phones, one `FakeWppClient` per session name, behind one factory: what a sidecar with several
 * sessions needs (each session's `create()` gets its own client, its own listeners and its own `sent`).
 *
 * ```ts
 * const phones = new FakeWhatsApp({ pairing: false });   // the behaviour of sessions not set otherwise
 * phones.behave('sales', { pairing: true });              // before the session starts
 * const sidecar = await startSidecar({ config, clientFactory: phones.factory() });
 * phones.client('sales').scan();
 * ```
 */
export class FakeWhatsApp {
  private readonly clients = new Map<string, FakeWppClient>();
  private readonly factories = new Map<string, ClientFactory>();
  private readonly behaviours = new Map<string, FactoryBehaviour>();
  private phones = 0;

  /** @param fallback - how sessions behave unless `behave` said otherwise. */
  constructor(private readonly fallback: FactoryBehaviour = {}) {}

  /** The fake client of session `name` (made on first use; each has its own own-number `wid`). */
  client(name: string): FakeWppClient {
    let client = this.clients.get(name);
    if (!client) {
      client = new FakeWppClient();
      this.phones++;
      if (this.phones > 1) client.wid = `20100000${String(this.phones).padStart(4, '0')}@c.us`;
      this.clients.set(name, client);
    }
    return client;
  }

  /** How session `name` behaves from its next `create()` on. */
  behave(name: string, behaviour: FactoryBehaviour): void {
    this.behaviours.set(name, behaviour);
    this.factories.delete(name);
  }

  /** The seam: pass to `startSidecar({ clientFactory })`. */
  factory(): ClientFactory {
    return (options) => {
      let factory = this.factories.get(options.session);
      if (!factory) {
        factory = this.client(options.session).factory(this.behaviours.get(options.session) ?? this.fallback);
        this.factories.set(options.session, factory);
      }
      return factory(options);
    };
  }
}
