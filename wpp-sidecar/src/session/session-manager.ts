/**
 * The WhatsApp session state machine (SPEC section 4):
 *
 *   starting --qr--> qr --scan--> starting --logged in--> connected
 *   any --launch/navigation failure--> error --backoff--> starting
 *   connected --browser closed / phone gone--> disconnected --backoff--> starting
 *   any --logout / unpaired--> logged_out (profile cleared) --> starting (new QR)
 *
 * Guarantees: one initialisation at a time (a shared promise, so no concurrent `create()`); reconnects use
 * exponential backoff capped at `reconnect.maxMs` (never a crash loop); every teardown closes the client, whose
 * `close()` leaves no browser process; `stop()` keeps the profile (tokens) for the next start; `logout()` unlinks
 * the phone and pairs again; `destroy()` unlinks it and removes the profile for good.
 * One SessionManager per session (sessions.ts holds them): each has its own profile, browser, state and
 * reconnect timer, so one session's browser crash never touches another.
 * WPPConnect inputs: `statusFind` strings and `onStateChange` `SocketState` values.
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/model/enum/socket-state.d.ts (`SocketState`)
 */
import { EventEmitter } from 'node:events';
import { mkdir, rm } from 'node:fs/promises';
import type { Logger } from '../logger';
import type { SidecarMetrics } from '../metrics';
import type { ClientFactory, QrCodeEvent, WppClient } from './client';
import { phoneFromUserId } from './recipient';
import type { SessionState } from './session-state';

/** `GET /api/status` body (+ `lastError` for humans). `since` is ISO 8601. */
export interface SessionStatus {
  state: SessionState;
  /** E.164 while connected, else null. */
  phone: string | null;
  session: string;
  since: string;
  lastError: string | null;
  /** For people: why the session is in this state (the last error, or the QR attempt), or null. */
  detail: string | null;
}

/** The latest QR while pairing. `expiresAt` is ISO 8601. */
export interface QrSnapshot {
  qr: string;
  attempt: number;
  expiresAt: string;
}

export interface SessionManagerOptions {
  session: string;
  profileDir: string;
  factory: ClientFactory;
  reconnect: { baseMs: number; maxMs: number };
  /** Upper bound to wait for a pending `create()` to settle after abort (ms). */
  settleTimeoutMs: number;
  logger: Logger;
  /** Called with every new connected client (attach onMessage/onAck here). */
  onClient(client: WppClient): void;
  /** Renders a QR for the terminal (the session's name is printed with it). */
  printQr?(urlCode: string, attempt: number, session: string): void;
  /** Counts state changes. */
  metrics?: SidecarMetrics;
}

/** WhatsApp rotates the QR reference about every 20 s. */
const QR_TTL_MS = 20_000;
const LOST = new Set([
  'browserClose',
  'serverClose',
  'autocloseCalled',
  'phoneNotConnected',
  'qrReadFail',
  'qrReadError',
]);
const LOGGED_OUT = new Set(['desconnectedMobile', 'disconnectedMobile', 'deleteToken']);
const UNPAIRED = new Set(['UNPAIRED', 'UNPAIRED_IDLE']);

/** Owns the WPPConnect client lifecycle. Emits `state` (SessionStatus) on every change. */
export class SessionManager extends EventEmitter {
  private state: SessionState = 'disconnected';
  private since = new Date();
  private phone: string | null = null;
  private lastError: string | null = null;
  private qr: QrSnapshot | null = null;
  private client: WppClient | null = null;
  private initPromise: Promise<void> | null = null;
  private transition: Promise<void> = Promise.resolve();
  private abortController: AbortController | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private generation = 0;
  private failures = 0;
  private stopped = true;

  constructor(private readonly options: SessionManagerOptions) {
    super();
  }

  /** The session's name (also the `channel` of its events). */
  get name(): string {
    return this.options.session;
  }

  /** The session's Chromium profile directory. */
  get profileDir(): string {
    return this.options.profileDir;
  }

  /** Current status snapshot. */
  status(): SessionStatus {
    const qr = this.state === 'qr' ? this.qr : null;
    return {
      state: this.state,
      phone: this.state === 'connected' ? this.phone : null,
      session: this.options.session,
      since: this.since.toISOString(),
      lastError: this.lastError,
      detail: this.lastError ?? (qr ? `waiting for a scan (QR attempt ${qr.attempt})` : null),
    };
  }

  /** Latest QR while in state `qr`, else null. */
  currentQr(): QrSnapshot | null {
    return this.state === 'qr' ? this.qr : null;
  }

  /** The client when connected, else null (callers answer 503). */
  connectedClient(): WppClient | null {
    return this.state === 'connected' ? this.client : null;
  }

  /**
   * Start (or join) the initialisation. Resolves when this attempt settled (connected, or failed with a
   * reconnect scheduled); never rejects.
   */
  start(): Promise<void> {
    this.stopped = false;
    return this.initialise();
  }

  /** Stop: cancel reconnects, abort a pending start, close the browser. Keeps the profile/tokens. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearReconnect();
    await this.teardown();
    this.qr = null;
    this.setState('disconnected');
  }

  /** Stop then start again (e.g. an operator's restart). */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /**
   * An operator's logout: unlinks the phone (WPPConnect `logout()`, bounded by `settleTimeoutMs`) when
   * connected, closes the browser, clears the profile and starts pairing again (state `logged_out`,
   * then a new QR). Resolves once the profile is cleared; never rejects on WhatsApp's errors.
   */
  async logout(): Promise<void> {
    this.stopped = false;
    await this.unlinkPhone();
    await this.loggedOut('logout requested');
  }

  /**
   * Removes the session for good: unlinks the phone when connected, stops everything (no reconnect) and
   * deletes the profile directory. The last state reported is `logged_out` (detail `session deleted`).
   */
  async destroy(): Promise<void> {
    this.stopped = true;
    this.clearReconnect();
    await this.unlinkPhone();
    await this.teardown();
    await rm(this.options.profileDir, { recursive: true, force: true });
    this.qr = null;
    this.phone = null;
    this.lastError = 'session deleted';
    this.setState('logged_out');
  }

  /** `client.logout()` on the connected client, late callbacks ignored; failures only logged. */
  private async unlinkPhone(): Promise<void> {
    const client = this.connectedClient();
    if (!client?.logout) return;
    this.generation++; // its own `desconnectedMobile` / UNPAIRED callbacks are this logout's
    try {
      await settleWithin(client.logout(), this.options.settleTimeoutMs, true);
    } catch (error) {
      this.options.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'session: WhatsApp logout failed; clearing the profile anyway',
      );
    }
  }

  private initialise(): Promise<void> {
    if (!this.initPromise) {
      this.initPromise = (async () => {
        await this.transition;
        if (!this.stopped) await this.runInit();
      })().finally(() => {
        this.initPromise = null;
      });
    }
    return this.initPromise;
  }

  private async runInit(): Promise<void> {
    const gen = ++this.generation;
    const abort = new AbortController();
    this.abortController = abort;
    this.qr = null;
    this.setState('starting');
    const current = () => gen === this.generation && !this.stopped;
    try {
      const client = await this.options.factory({
        session: this.options.session,
        profileDir: this.options.profileDir,
        signal: abort.signal,
        onQr: (qr) => current() && this.handleQr(qr),
        onStatus: (status) => current() && this.handleStatus(status),
      });
      if (!current()) {
        await client.close().catch(() => undefined);
        return;
      }
      this.client = client;
      this.failures = 0;
      this.lastError = null;
      this.qr = null;
      this.options.onClient(client);
      client.onStateChange?.((socketState) => current() && this.handleSocketState(socketState));
      this.phone = await readPhone(client);
      if (current()) this.setState('connected');
    } catch (error) {
      if (!current()) return;
      this.generation++; // late callbacks of the failed attempt (e.g. its `browserClose`) are ignored
      this.lastError = error instanceof Error ? error.message : String(error);
      this.options.logger.error({ err: this.lastError }, 'session: start failed');
      this.setState('error');
      this.scheduleReconnect();
    } finally {
      if (this.abortController === abort) this.abortController = null;
    }
  }

  private handleQr(qr: QrCodeEvent): void {
    this.qr = {
      qr: qr.dataUrl,
      attempt: qr.attempt,
      expiresAt: new Date(Date.now() + QR_TTL_MS).toISOString(),
    };
    this.options.logger.info({ attempt: qr.attempt }, 'session: QR code ready, waiting for scan');
    if (qr.urlCode) this.options.printQr?.(qr.urlCode, qr.attempt, this.options.session);
    this.setState('qr');
  }

  private handleStatus(status: string): void {
    this.options.logger.info({ status }, 'session: WPPConnect status');
    if (status === 'notLogged') this.setState('qr');
    else if (status === 'qrReadSuccess' || status === 'isLogged') this.setState('starting');
    else if (status === 'inChat' && this.client) this.setState('connected');
    else if (LOGGED_OUT.has(status)) void this.loggedOut(status);
    else if (LOST.has(status)) void this.connectionLost(status);
  }

  private handleSocketState(socketState: string): void {
    this.options.logger.info({ socketState }, 'session: socket state');
    if (UNPAIRED.has(socketState)) void this.loggedOut(socketState);
    else if (socketState === 'CONNECTED') this.setState('connected');
    else if (socketState === 'TIMEOUT' || socketState === 'OPENING') this.setState('disconnected');
  }

  private async connectionLost(reason: string): Promise<void> {
    if (this.stopped) return;
    this.lastError = `connection lost: ${reason}`;
    await this.teardown();
    if (this.stopped) return;
    this.setState('disconnected');
    this.scheduleReconnect();
  }

  private async loggedOut(reason: string): Promise<void> {
    if (this.stopped) return;
    this.options.logger.warn({ reason }, 'session: logged out; clearing the profile and pairing again');
    await this.teardown();
    await rm(this.options.profileDir, { recursive: true, force: true }).catch(() => undefined);
    await mkdir(this.options.profileDir, { recursive: true }).catch(() => undefined);
    if (this.stopped) return;
    this.phone = null;
    this.lastError = `logged out: ${reason}`;
    this.setState('logged_out');
    this.failures = 0;
    this.scheduleReconnect();
  }

  /** Invalidate the current attempt, abort a pending create(), close the client; serialised. */
  private teardown(): Promise<void> {
    this.generation++;
    this.abortController?.abort();
    this.abortController = null;
    const client = this.client;
    this.client = null;
    const pendingInit = this.initPromise;
    this.transition = this.transition.then(async () => {
      if (client) await client.close().catch(() => undefined);
      if (pendingInit) await settleWithin(pendingInit, this.options.settleTimeoutMs);
    });
    return this.transition;
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const { baseMs, maxMs } = this.options.reconnect;
    const delay = Math.min(maxMs, baseMs * 2 ** this.failures);
    this.failures++;
    this.options.logger.info({ delayMs: delay, failures: this.failures }, 'session: reconnect scheduled');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped) void this.initialise();
    }, delay);
  }

  private clearReconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  private setState(state: SessionState): void {
    if (state === this.state) return;
    this.state = state;
    this.since = new Date();
    this.options.metrics?.sessionTransitions.inc({ session: this.options.session, state });
    this.options.logger.info({ state, lastError: this.lastError }, 'session: state changed');
    this.emit('state', this.status());
  }
}

async function readPhone(client: WppClient): Promise<string | null> {
  try {
    const wid = await client.getWid?.();
    const serialized =
      typeof wid === 'string' ? wid : (wid as { _serialized?: string } | undefined)?._serialized;
    return phoneFromUserId(serialized);
  } catch {
    return null;
  }
}

/** Waits for `promise` at most `ms`; its rejection is swallowed unless `rethrow`. */
function settleWithin(promise: Promise<unknown>, ms: number, rethrow = false): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(
      () => undefined,
      (error: unknown) => {
        if (rethrow) throw error;
      },
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
