/**
 * `GET /health` and `GET /ready` (open, on the root), `GET /api/status` and `GET /api/qr-code` (declared in
 * the authenticated `/api` router of server.ts, so their paths here are relative to it). The two `/api`
 * routes are the default session's (SESSION_NAME); `/api/sessions/...` (sessions.ts) serve every session.
 *
 * - `/health` is about the process: 200 while it can serve (HTTP up, not stopping, the outbox's Redis
 *   answering), else 503 naming each problem. A session that cannot reach WhatsApp does not make it 503:
 *   the process still serves (and says why in `/ready` and `/api/status`). Compose's healthcheck uses it.
 * - `/ready` is about WhatsApp: 200 only while the session (the default one, or `?session=<name>`) is
 *   connected; else 503 with its state and `detail` (why, and what to do). 404 for an unknown session.
 * Neither shows phone numbers: they are unauthenticated.
 */
import type { Express, Request, Router } from 'express';
import { AppError } from '../../errors';
import type { RedisHealth } from '../../redis-probe';
import type { SessionManager, SessionStatus } from '../../session/session-manager';
import type { Sessions } from '../../session/sessions';

/** What `/health` checks besides answering at all. */
export interface HealthChecks {
  /** The outbox's Redis (see redis-probe.ts). */
  redis(): Promise<RedisHealth>;
  /** True once the sidecar is stopping (it answers 503 from then on). */
  stopping(): boolean;
}

/**
 * Registers the open `GET /health` and `GET /ready` on the root instance.
 *
 * `GET /health` → 200 `{ status: "ok", uptimeSeconds, redis: { ok, detail }, problems: [], session: { state,
 * since, detail }, sessions: [{ name, state, since }] }`; 503 with `status: "unavailable"` and `problems`
 * (one sentence each) when Redis does not answer or the sidecar is stopping.
 *
 * `GET /ready[?session=<name>]` → 200 `{ ready: true, session, state: "connected", since, detail: null,
 * attempt: 0, nextAttemptAt: null }`; 503 `{ ready: false, … }` with the state (`starting`, `qr`, `error`,
 * …), `detail` (in `error`: the cause and what to do), `attempt` and `nextAttemptAt`; 404 `not_found` for an
 * unknown session; 400 when `session` is given twice.
 * @param checks - without it, `/health` only says the process answers.
 */
export function registerHealthRoute(app: Express, sessions: Sessions, checks?: HealthChecks): void {
  app.get('/health', async (_req, res) => {
    const s = sessions.default.manager.status();
    const redis: RedisHealth = checks ? await checks.redis() : { ok: true, detail: null };
    const problems: string[] = [];
    if (checks?.stopping()) problems.push('the sidecar is stopping');
    if (!redis.ok) problems.push(redis.detail ?? 'Redis (REDIS_URL) does not answer');
    res.status(problems.length ? 503 : 200).json({
      status: problems.length ? 'unavailable' : 'ok',
      uptimeSeconds: Math.round(process.uptime()),
      redis,
      problems,
      session: { state: s.state, since: s.since, detail: s.detail },
      sessions: sessions.list().map(({ name, manager }) => {
        const { state, since } = manager.status();
        return { name, state, since };
      }),
    });
  });

  app.get('/ready', (req, res) => {
    const name = sessionParameter(req) ?? sessions.default.name;
    const status = sessions.require(name).manager.status();
    const stopping = checks?.stopping() ?? false;
    const ready = status.state === 'connected' && !stopping;
    res.status(ready ? 200 : 503).json({
      ready,
      session: status.session,
      state: status.state,
      since: status.since,
      detail: stopping ? 'the sidecar is stopping' : status.detail,
      attempt: status.attempt,
      nextAttemptAt: status.nextAttemptAt,
    });
  });
}

/** `?session=<name>`, or undefined. @throws AppError `invalid_request` when given more than once. */
function sessionParameter(req: Request): string | undefined {
  const value = req.query.session;
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new AppError('invalid_request', '"session" must be given once');
  return value;
}

/**
 * Why there is no QR to show, in words: the state, and in `error` the cause and what to do.
 * @param which - how the session is named in the sentence, e.g. `session "default"`.
 */
export function noQrMessage(which: string, status: SessionStatus): string {
  switch (status.state) {
    case 'connected':
      return `no QR code: ${which} is already connected`;
    case 'error':
      return `no QR code: ${which} cannot start (state error since ${status.since}): ${status.detail ?? 'see the sidecar logs'}`;
    case 'starting':
      return `no QR code yet: ${which} is starting (attempt ${status.attempt}); a QR code follows when WhatsApp Web asks for a scan${status.detail ? `. ${status.detail}` : ''}`;
    case 'disconnected':
      return `no QR code: ${which} is disconnected${status.detail ? ` (${status.detail})` : ''}${status.nextAttemptAt ? `; next attempt at ${status.nextAttemptAt}` : ''}`;
    case 'logged_out':
      return `no QR code yet: ${which} was logged out and is pairing again; a new QR code follows`;
    default:
      return `no QR code: ${which} is not waiting for a scan (state: ${status.state})`;
  }
}

/** Registers `GET /status` and `GET /qr-code` (the default session's) on the `/api` router. */
export function registerStatusRoutes(api: Router, defaultSession: () => SessionManager): void {
  /**
   * `GET /api/status` → `{ state, phone, session, since, lastError, detail, attempt, nextAttemptAt }`:
   * `lastError` the raw cause of the last failure, `detail` it explained with what to do.
   */
  api.get('/status', (_req, res) => {
    const {
      state,
      phone,
      session: name,
      since,
      lastError,
      detail,
      attempt,
      nextAttemptAt,
    } = defaultSession().status();
    res.json({ state, phone, session: name, since, lastError, detail, attempt, nextAttemptAt });
  });

  /** `GET /api/qr-code` → the QR; 404 `qr_not_available` saying the real state when there is none. */
  api.get('/qr-code', (_req, res) => {
    const session = defaultSession();
    const qr = session.currentQr();
    if (!qr)
      throw new AppError('qr_not_available', noQrMessage(`session "${session.name}"`, session.status()));
    res.json(qr);
  });
}
