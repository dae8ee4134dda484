/**
 * `GET /health` (open, on the root), `GET /api/status` and `GET /api/qr-code` (declared in the
 * authenticated `/api` router of server.ts, so their paths here are relative to it).
 */
import type { Express, Router } from 'express';
import { AppError } from '../../errors';
import type { SessionManager } from '../../session/session-manager';

/** Registers the open `GET /health` on the root instance. */
export function registerHealthRoute(app: Express, session: SessionManager): void {
  app.get('/health', (_req, res) => {
    const s = session.status();
    res.json({
      status: 'ok',
      uptimeSeconds: Math.round(process.uptime()),
      session: { state: s.state, since: s.since },
    });
  });
}

/** Registers `GET /status` and `GET /qr-code` on the `/api` router. */
export function registerStatusRoutes(api: Router, session: SessionManager): void {
  api.get('/status', (_req, res) => {
    const { state, phone, session: name, since, lastError } = session.status();
    res.json({ state, phone, session: name, since, lastError });
  });

  api.get('/qr-code', (_req, res) => {
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
