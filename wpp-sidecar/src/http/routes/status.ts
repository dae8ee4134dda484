/**
 * `GET /health` (open, on the root), `GET /api/status` and `GET /api/qr-code` (declared in the
 * authenticated `/api` scope of server.ts, so their paths here are relative to it).
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors';
import type { SessionManager } from '../../session/session-manager';

/** Registers the open `GET /health` on the root instance. */
export function registerHealthRoute(app: FastifyInstance, session: SessionManager): void {
  app.get('/health', async () => {
    const s = session.status();
    return {
      status: 'ok',
      uptimeSeconds: Math.round(process.uptime()),
      session: { state: s.state, since: s.since },
    };
  });
}

/** Registers `GET /status` and `GET /qr-code` on the `/api` scope. */
export function registerStatusRoutes(api: FastifyInstance, session: SessionManager): void {
  api.get('/status', async () => {
    const { state, phone, session: name, since, lastError } = session.status();
    return { state, phone, session: name, since, lastError };
  });

  api.get('/qr-code', async () => {
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
    return qr;
  });
}
