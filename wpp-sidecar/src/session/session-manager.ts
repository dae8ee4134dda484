/**
 * The WhatsApp session state machine (SPEC section 4):
 *
 *   starting --qr--> qr --scan--> starting --logged in--> connected
 *   any --launch/navigation failure--> error --backoff--> starting
 *   connected --browser closed / phone gone--> disconnected --backoff--> starting
 *   any --logout / unpaired--> logged_out (profile cleared) --> starting (new QR)
 *
 * What went wrong is said, not swallowed: a failed start reports the factory's cause (e.g.
 * `net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com`) explained in words (start-failure.ts) as
 * state `error` with that `detail`, in ONE log line per attempt (attempt number, cause, what to do,
 * next attempt's delay), and in words on the terminal when the cause is new. A `browserClose` that
 * WPPConnect reports while `create()` is still pending belongs to that attempt: the attempt's own
 * rejection (which carries the real cause) is waited for, briefly, instead of reporting a bare
 * "connection lost" and looping on it.
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
import { combineCauses, describeFailure, explainFailure, firstLine, formatDelay } from './start-failure';

/** `GET /api/status` body (+ `lastError` for humans). `since` is ISO 8601. */
export interface SessionStatus {
  state: SessionState;
  /** E.164 while connected, else null. */
  phone: string | null;
  session: string;
  since: string;
  /** The raw cause of the last failure (`net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com`), or null. */
  lastError: string | null;
  /**
   * For people: why the session is in this state and what to do, or null. `error`: the cause explained
   * (`cannot reach web.whatsapp.com: its name does not resolve (DNS) (net::ERR_… at https://web.whatsapp.com):
   * check this machine's DNS …`); `starting` after a failure: the attempt and the previous failure; `qr`: the
   * QR attempt; `disconnected`/`logged_out`: the reason.
   */
  detail: string | null;
  /** Start attempts since the session was last connected: the running or last one (1 = first); 0 once connected. */
  attempt: number;
  /** When the next attempt starts (ISO 8601) while one is scheduled, else null. */
  nextAttemptAt: string | null;
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
  /**
   * Shows people, in words, why the session cannot start and what to do (the terminal). Called on the
   * first failure and whenever the kind of failure changes, not on every retry.
   */
  printProblem?(text: string, session: string): void;
  /**
   * How long a start attempt whose browser closed may take to report its own failure before it is failed
   * as "Chromium closed while starting" (ms; default min(settleTimeoutMs, 5000)).
   */
  lossGraceMs?: number;
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
  private attempt = 0;
  private nextAttemptAt: Date | null = null;
  /** What the browser reported going wrong in the running attempt (`onCause`), or null. */
  private observed: string | null = null;
  /** The kind of the last failure shown on the terminal (printed again only when it changes). */
  private printedKind: string | null = null;
  /** Fails a start attempt whose browser closed but whose `create()` did not settle. */
  private lossTimer: NodeJS.Timeout | null = null;

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
    return {
      state: this.state,
      phone: this.state === 'connected' ? this.phone : null,
      session: this.options.session,
      since: this.since.toISOString(),
      lastError: this.lastError,
      detail: this.detail(),
      attempt: this.state === 'connected' ? 0 : this.attempt,
      nextAttemptAt: this.nextAttemptAt && !this.stopped ? this.nextAttemptAt.toISOString() : null,
    };
  }

  /** The `detail` of `status()`: the state's reason in words. */
  private detail(): string | null {
    const failure = this.lastError ? describeFailure(this.lastError) : null;
    switch (this.state) {
      case 'connected':
        return null;
      case 'qr':
        return this.qr ? `waiting for a scan (QR attempt ${this.qr.attempt})` : 'waiting for a scan';
      case 'error':
        return failure;
      case 'starting':
        return failure ? `start attempt ${this.attempt}; the previous one failed: ${failure}` : null;
      case 'disconnected':
        return this.stopped ? 'stopped (the sidecar is stopping, or the session was stopped)' : failure;
      default:
        return this.lastError;
    }
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

  /**
   * An operator's restart (`POST /api/sessions/:name/restart`): close the browser (the profile is kept, so
   * no new scan), forget the failures (the next attempt is attempt 1, now) and start again. Resolves once
   * the new attempt has begun (state `starting`), not when it settles (a QR may wait for a scan).
   */
  async restart(): Promise<void> {
    this.stopped = true;
    this.clearReconnect();
    await this.teardown();
    this.qr = null;
    this.failures = 0;
    this.attempt = 0;
    this.lastError = null;
    this.printedKind = null;
    this.stopped = false;
    this.options.logger.info('session: restart requested');
    this.setState('starting');
    this.startAgain();
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
    this.attempt++;
    this.nextAttemptAt = null;
    this.observed = null;
    this.setState('starting', true);
    this.options.logger.debug({ attempt: this.attempt }, 'session: start attempt');
    const current = () => gen === this.generation && !this.stopped;
    try {
      const client = await this.options.factory({
        session: this.options.session,
        profileDir: this.options.profileDir,
        signal: abort.signal,
        onQr: (qr) => current() && this.handleQr(qr),
        onStatus: (status) => current() && this.handleStatus(status, gen),
        onCause: (cause) => {
          if (current()) this.observed ??= cause; // the first is the cause; what follows, its effects
        },
      });
      if (!current()) {
        await client.close().catch(() => undefined);
        return;
      }
      this.clearLossTimer();
      this.client = client;
      this.failures = 0;
      this.lastError = null;
      this.printedKind = null;
      this.observed = null;
      this.qr = null;
      this.options.onClient(client);
      client.onStateChange?.((socketState) => current() && this.handleSocketState(socketState));
      this.phone = await readPhone(client);
      if (current()) {
        this.attempt = 0;
        this.setState('connected');
      }
    } catch (error) {
      if (!current()) return;
      this.startFailed(error instanceof Error ? error.message : String(error));
    } finally {
      if (this.abortController === abort) this.abortController = null;
    }
  }

  /**
   * The running attempt failed: report it (state `error`, one log line, the terminal when the kind of failure
   * is new) and schedule the next one. Late callbacks of the failed attempt are ignored from here on.
   */
  private startFailed(error: string): void {
    this.generation++;
    this.clearLossTimer();
    const cause = combineCauses(error, this.observed);
    this.observed = null;
    this.lastError = cause;
    const explained = explainFailure(cause);
    const delay = this.nextDelay();
    this.nextAttemptAt = new Date(Date.now() + delay);
    this.options.logger.error(
      {
        attempt: this.attempt,
        cause,
        problem: explained.kind,
        action: explained.action,
        nextAttemptInMs: delay,
        nextAttemptAt: this.nextAttemptAt.toISOString(),
      },
      `session "${this.name}": start attempt ${this.attempt} failed: ${explained.summary} (${cause}); ` +
        `next attempt in ${formatDelay(delay)}. What to do: ${explained.action}`,
    );
    if (explained.kind !== this.printedKind) {
      this.printedKind = explained.kind;
      this.options.printProblem?.(
        `WhatsApp session "${this.name}" cannot start: ${explained.summary}.\n` +
          `  Cause: ${cause}\n` +
          `  What to do: ${explained.action}.\n` +
          `  The sidecar keeps trying (attempt ${this.attempt}, next in ${formatDelay(delay)}, then less often); ` +
          `GET /api/sessions/${this.name} shows the state.\n`,
        this.name,
      );
    }
    this.setState('error', true);
    this.armReconnect(delay);
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

  private handleStatus(status: string, gen: number): void {
    this.options.logger.debug({ status }, 'session: WPPConnect status');
    if (status === 'notLogged') this.setState('qr');
    else if (status === 'qrReadSuccess' || status === 'isLogged') this.setState('starting');
    else if (status === 'inChat' && this.client) this.setState('connected');
    else if (LOGGED_OUT.has(status)) void this.loggedOut(status);
    else if (LOST.has(status) && !this.client) this.lostWhileStarting(status, gen);
    else if (LOST.has(status)) void this.connectionLost(status);
  }

  /**
   * The browser closed while `create()` is pending: the attempt's own rejection follows and says why
   * (`net::ERR_NAME_NOT_RESOLVED …`). Wait for it, at most `lossGraceMs`, then fail the attempt here.
   */
  private lostWhileStarting(status: string, gen: number): void {
    this.observed ??= `Chromium closed while starting (${status})`;
    if (this.lossTimer) return;
    const grace = this.options.lossGraceMs ?? Math.min(this.options.settleTimeoutMs, 5000);
    this.lossTimer = setTimeout(() => {
      this.lossTimer = null;
      if (gen !== this.generation || this.stopped || this.client) return;
      this.startFailed(`Chromium closed while starting (${status})`);
      this.abortController?.abort();
    }, grace);
  }

  private clearLossTimer(): void {
    if (this.lossTimer) clearTimeout(this.lossTimer);
    this.lossTimer = null;
  }

  private handleSocketState(socketState: string): void {
    this.options.logger.info({ socketState }, 'session: socket state');
    if (UNPAIRED.has(socketState)) void this.loggedOut(socketState);
    else if (socketState === 'CONNECTED') this.setState('connected');
    else if (socketState === 'TIMEOUT' || socketState === 'OPENING') this.setState('disconnected');
  }

  private async connectionLost(reason: string): Promise<void> {
    if (this.stopped) return;
    const observed = this.observed;
    this.observed = null;
    this.lastError = observed
      ? firstLine(`connection lost: ${reason} (${observed})`, 600)
      : `connection lost: ${reason}`;
    await this.teardown();
    if (this.stopped) return;
    this.setState('disconnected');
    this.scheduleReconnect(`connection lost (${explainFailure(this.lastError).summary})`);
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
    this.attempt = 0;
    this.scheduleReconnect('logged out; pairing again');
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

  /** The backoff delay of the next attempt (doubling from `reconnect.baseMs` up to `maxMs`), ms. */
  private nextDelay(): number {
    const { baseMs, maxMs } = this.options.reconnect;
    const delay = Math.min(maxMs, baseMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return delay;
  }

  /** Schedule the next attempt after a loss or a logout, logging why (a failed start logs its own line). */
  private scheduleReconnect(why: string): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = this.nextDelay();
    this.nextAttemptAt = new Date(Date.now() + delay);
    this.options.logger.warn(
      { nextAttemptInMs: delay, nextAttemptAt: this.nextAttemptAt.toISOString(), cause: this.lastError },
      `session "${this.name}": ${why}; next attempt in ${formatDelay(delay)}`,
    );
    this.armReconnect(delay);
  }

  private armReconnect(delay: number): void {
    if (this.stopped || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.nextAttemptAt = null;
      if (!this.stopped) this.startAgain();
    }, delay);
  }

  /**
   * Start a new attempt; when an abandoned one is still settling (its browser being closed), after it, so
   * two browsers never share the profile and the new attempt is not mistaken for the old one.
   */
  private startAgain(): void {
    const pending = this.initPromise;
    if (!pending) {
      void this.initialise();
      return;
    }
    void pending.then(() => {
      if (!this.stopped && !this.initPromise && !this.client && !this.reconnectTimer) void this.initialise();
    });
  }

  private clearReconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.nextAttemptAt = null;
    this.clearLossTimer();
  }

  /**
   * @param quiet - a step of the retry loop (`starting`, `error`): logged at debug, since the attempt's
   *   own line says it; other changes are logged at info.
   */
  private setState(state: SessionState, quiet = false): void {
    if (state === this.state) return;
    this.state = state;
    // Strictly later than the last change: a session event's id is its session, `since` and state, so two
    // changes within one millisecond (starting, qr, starting on an instant scan) would share one and the
    // outbox would keep only the first.
    this.since = new Date(Math.max(Date.now(), this.since.getTime() + 1));
    this.options.metrics?.sessionTransitions.inc({ session: this.options.session, state });
    this.options.logger[quiet ? 'debug' : 'info'](
      { state, detail: this.detail() },
      `session "${this.name}": ${state}`,
    );
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
