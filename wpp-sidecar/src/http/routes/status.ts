/**
 * `GET /health` (open, on the root), `GET /api/status` and `GET /api/qr-code` (declared in the
 * authenticated `/api` router of server.ts, so their paths here are relative to it). The two `/api` routes
 * are the default session's (SESSION_NAME); `/api/sessions/...` (sessions.ts) serve every session.
 */
import type { Express, Router } from 'express';
import { AppError } from '../../errors';
import type { SessionManager } from '../../session/session-manager';
import type { Sessions } from '../../session/sessions';

/**
 * Registers the open `GET /health` on the root instance: the process is up, the default session's state
 * (`session`) and each session's state and since (`sessions`). No phone numbers: it is unauthenticated.
 */
export function registerHealthRoute(app: Express, sessions: Sessions): void {
  app.get('/health', (_req, res) => {
    const s = sessions.default.manager.status();
    res.json({
      status: 'ok',
      uptimeSeconds: Math.round(process.uptime()),
      session: { state: s.state, since: s.since },
      sessions: sessions.list().map(({ name, manager }) => {
        const { state, since } = manager.status();
        return { name, state, since };
      }),
    });
  });
}

/** Registers `GET /status` and `GET /qr-code` (the default session's) on the `/api` router. */
export function registerStatusRoutes(api: Router, defaultSession: () => SessionManager): void {
  api.get('/status', (_req, res) => {
    const { state, phone, session: name, since, lastError } = defaultSession().status();
    res.json({ state, phone, session: name, since, lastError });
  });

  api.get('/qr-code', (_req, res) => {
    const session = defaultSession();
    const qr = session.currentQr();
    if (!qr) {
      const { state } = session.status();
      throw new AppError(
        'qr_not_available',
        state === 'connected'
          ? 'no QR code: the session is already connected'
          : `no QR code available right now (session state: ${state}); retry in a few seconds`,
      );
    }
    res.json(qr);
  });
}
