/**
 * `GET /health` (open), `GET /api/status`, `GET /api/qr-code`.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors';
import type { SessionManager } from '../../session/session-manager';

export function registerStatusRoutes(app: FastifyInstance, session: SessionManager): void {
  app.get('/health', async () => {
    const s = session.status();
    return {
      status: 'ok',
      uptimeSeconds: Math.round(process.uptime()),
      session: { state: s.state, since: s.since },
    };
  });

  app.get('/api/status', async () => {
    const { state, phone, session: name, since, lastError } = session.status();
    return { state, phone, session: name, since, lastError };
  });

  app.get('/api/qr-code', async () => {
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
