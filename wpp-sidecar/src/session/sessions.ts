/**
 * Several WhatsApp sessions (numbers) in one sidecar: one SessionManager and one MessageSender per session,
 * each with its own Chromium profile `<TOKENS_DIR>/<name>/`, browser, state machine, reconnect and QR, so
 * one session's browser crash never touches the others. The configured session (SESSION_NAME) is the
 * default one, served by the single-session routes (`/api/status`, `/api/send-message`, …) and always
 * present; others are added through the sessions API and restored at start from the profile directories
 * found under TOKENS_DIR.
 */
import { EventEmitter } from 'node:events';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { SidecarMetrics } from '../metrics';
import { MessageSender } from '../send/message-sender';
import type { ClientFactory, WppClient } from './client';
import { SessionManager, type SessionStatus } from './session-manager';

/** Names of sessions added through the API (and restored from TOKENS_DIR): 1-32 of `a-z 0-9 _ -`. */
export const SESSION_NAME_PATTERN = /^[a-z0-9_-]{1,32}$/;

/** The problem with a session name, or null when it is valid. */
export function sessionNameProblem(name: unknown): string | null {
  if (typeof name !== 'string') return 'is required (a string)';
  if (!SESSION_NAME_PATTERN.test(name)) {
    return 'must be 1-32 characters: lowercase letters a-z, digits, "_" or "-"';
  }
  return null;
}

/** One session: its state machine and its sender. */
export interface Session {
  readonly name: string;
  readonly manager: SessionManager;
  readonly sender: MessageSender;
}

/**
 * A session as `GET /api/sessions` lists it. `since` ISO 8601; `phone` E.164 while connected; `detail` why
 * (in state `error`: the cause and what to do); `attempt` the start attempt since the last connection (0
 * once connected); `nextAttemptAt` when the next one starts (ISO 8601), or null.
 */
export interface SessionSummary {
  name: string;
  state: SessionStatus['state'];
  phone: string | null;
  since: string;
  detail: string | null;
  attempt: number;
  nextAttemptAt: string | null;
}

export interface SessionsOptions {
  /** Parent of the profile directories. */
  tokensDir: string;
  /** SESSION_NAME: the default session, always present. */
  defaultSession: string;
  factory: ClientFactory;
  reconnect: { baseMs: number; maxMs: number };
  /** Upper bound to wait for a pending `create()` or a logout (ms). */
  settleTimeoutMs: number;
  defaultCountry: string;
  logger: Logger;
  metrics?: SidecarMetrics;
  /** Renders a QR for the terminal, with the session's name. */
  printQr?(urlCode: string, attempt: number, session: string): void;
  /** Shows people why a session cannot start and what to do (the terminal). */
  printProblem?(text: string, session: string): void;
  /** Called with every new connected client of a session (attach onMessage/onAck here). */
  onClient(session: string, client: WppClient): void;
}

/**
 * The sessions of this sidecar. Emits `state` (SessionStatus, `session` naming it) on every state change of
 * any session.
 */
export class Sessions extends EventEmitter {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly options: SessionsOptions) {
    super();
  }

  /** The default session (SESSION_NAME). */
  get default(): Session {
    return this.sessions.get(this.options.defaultSession) ?? this.add(this.options.defaultSession);
  }

  /** @returns the session named `name`, or null. */
  get(name: string): Session | null {
    return this.sessions.get(name) ?? null;
  }

  /** @returns the session named `name`. @throws AppError `not_found`. */
  require(name: string): Session {
    const session = this.get(name);
    if (!session) throw new AppError('not_found', `no session named "${name}"; see GET /api/sessions`);
    return session;
  }

  /** Every session, the default one first, then by name. */
  list(): Session[] {
    const others = [...this.sessions.values()]
      .filter((s) => s.name !== this.options.defaultSession)
      .sort((a, b) => a.name.localeCompare(b.name));
    return [this.default, ...others];
  }

  /** A session's summary (the shape of `GET /api/sessions/:name`). */
  summary(session: Session): SessionSummary {
    const { state, phone, since, detail, attempt, nextAttemptAt } = session.manager.status();
    return { name: session.name, state, phone, since, detail, attempt, nextAttemptAt };
  }

  /**
   * Start the default session and every session whose profile directory is under TOKENS_DIR (names that fit
   * SESSION_NAME_PATTERN; other entries are left alone). Each starts on its own: this resolves at once.
   * @returns the names started, the default first.
   */
  async restore(): Promise<string[]> {
    const entries = await readdir(this.options.tokensDir, { withFileTypes: true }).catch(() => []);
    const found = entries
      .filter((entry) => entry.isDirectory() && SESSION_NAME_PATTERN.test(entry.name))
      .map((entry) => entry.name);
    this.add(this.options.defaultSession);
    for (const name of found) if (!this.sessions.has(name)) this.add(name);
    const started = this.list();
    for (const session of started) void session.manager.start();
    if (found.some((name) => name !== this.options.defaultSession)) {
      this.options.logger.info({ sessions: started.map((s) => s.name) }, 'sessions restored from TOKENS_DIR');
    }
    return started.map((s) => s.name);
  }

  /**
   * Add a session and start it (pairing: its QR follows).
   * @param name - 1-32 of `a-z 0-9 _ -`.
   * @returns the session. @throws AppError `invalid_request` (bad name), `conflict` (it exists).
   */
  async create(name: unknown): Promise<Session> {
    const problem = sessionNameProblem(name);
    if (problem) throw new AppError('invalid_request', `"name" ${problem}`);
    const valid = name as string;
    if (this.sessions.has(valid)) throw new AppError('conflict', `a session named "${valid}" exists already`);
    const session = this.add(valid);
    await mkdir(session.manager.profileDir, { recursive: true });
    void session.manager.start();
    this.options.logger.info({ session: valid }, 'session added');
    return session;
  }

  /**
   * Restart a session: close its browser and start again at once, profile kept (no new scan when it was
   * paired), failures forgotten. Resolves once the new attempt has begun (state `starting`).
   * @throws AppError `not_found`.
   */
  async restart(name: string): Promise<Session> {
    const session = this.require(name);
    await session.manager.restart();
    return session;
  }

  /**
   * Log a session out: unlink the phone, clear its profile, pair again (a new QR).
   * @throws AppError `not_found`.
   */
  async logout(name: string): Promise<Session> {
    const session = this.require(name);
    await session.manager.logout();
    return session;
  }

  /**
   * Remove a session: unlink the phone, close its browser and delete its profile directory.
   * @throws AppError `not_found`; `conflict` for the default session (SESSION_NAME), which always exists
   *   (log it out instead).
   */
  async remove(name: string): Promise<void> {
    const session = this.require(name);
    if (name === this.options.defaultSession) {
      throw new AppError(
        'conflict',
        `"${name}" is the default session (SESSION_NAME) and cannot be deleted; log it out instead`,
      );
    }
    this.sessions.delete(name);
    await session.manager.destroy();
    session.manager.removeAllListeners('state');
    this.options.logger.info({ session: name }, 'session deleted');
  }

  /** Stop every session (browsers closed, profiles kept for the next start). */
  async stop(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.manager.stop()));
  }

  /** Creates (not starts) the session, or returns the existing one. */
  private add(name: string): Session {
    const existing = this.sessions.get(name);
    if (existing) return existing;
    const o = this.options;
    const manager = new SessionManager({
      session: name,
      profileDir: path.join(o.tokensDir, name),
      factory: o.factory,
      reconnect: o.reconnect,
      settleTimeoutMs: o.settleTimeoutMs,
      logger: o.logger.child({ session: name }),
      onClient: (client) => o.onClient(name, client),
      printQr: o.printQr,
      printProblem: o.printProblem,
      metrics: o.metrics,
    });
    const sender = new MessageSender({
      defaultCountry: o.defaultCountry,
      client: () => manager.connectedClient(),
      statusRoute:
        name === o.defaultSession ? 'GET /api/status' : `GET /api/sessions/${encodeURIComponent(name)}`,
      logger: o.logger.child({ component: 'send', session: name }),
      metrics: o.metrics,
    });
    manager.on('state', (status: SessionStatus) => this.emit('state', status));
    const session: Session = { name, manager, sender };
    this.sessions.set(name, session);
    return session;
  }
}
