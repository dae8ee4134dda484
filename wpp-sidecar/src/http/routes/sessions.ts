/**
 * The sessions API: several WhatsApp numbers in one sidecar (src/session/sessions.ts). A session is
 * `{ name, state, phone, since, detail, attempt, nextAttemptAt }`: `state` one of
 * starting|qr|connected|disconnected|logged_out|error, `phone` E.164 while connected (else null), `since`
 * ISO 8601 (when the state was entered), `detail` why, or null (in `error`: the cause, e.g.
 * `net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com`, explained, and what to do), `attempt` the start
 * attempt since the last connection (0 once connected), `nextAttemptAt` when the next one starts, or null.
 * - `GET /api/sessions` -> 200, an array of sessions (the default one first).
 * - `POST /api/sessions { name }` -> 201 the session, started (its QR follows); 400 naming `name` (1-32 of
 *   `a-z 0-9 _ -`); 409 when it exists.
 * - `GET /api/sessions/:name` -> 200 the session; 404 when there is none (as for every route below).
 * - `GET /api/sessions/:name/qr-code` -> 200 `{ qr: "data:image/png;base64,…", attempt, expiresAt }`; 409
 *   when the session is not waiting for a scan, the message saying its state (and in `error`, why).
 * - `POST /api/sessions/:name/restart` -> 200 the session (state `starting`): its browser closed and started
 *   again at once, the profile kept (no new scan when it was paired), the retry backoff reset.
 * - `POST /api/sessions/:name/logout` -> 200 the session: phone unlinked, profile cleared, pairing again.
 * - `DELETE /api/sessions/:name` -> 204: phone unlinked, browser closed, profile directory removed; 409 for
 *   the default session (SESSION_NAME).
 * - `POST /api/sessions/:name/send-message`, `…/send-media`, `GET …/media/:id`: as the single-session
 *   routes, through that session; 503 `not_connected` names the session, its state and
 *   `GET /api/sessions/<name>`.
 * Declared in the authenticated `/api` router (server.ts): the paths here are relative to it.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../errors';
import type { MediaStore } from '../../media/media-store';
import type { Session, Sessions } from '../../session/sessions';
import { parseInput } from '../validation';
import { registerMediaRoutes } from './media';
import { registerSendRoutes } from './send';
import { noQrMessage } from './status';

const createBody = z.object({ name: z.string('is required (a string)') });

/** What the per-session send and media routes need besides the sessions. */
export interface SessionRouteOptions {
  uploadDir: string;
  mediaStore: MediaStore;
}

/** Registers the sessions API on the `/api` router. */
export function registerSessionRoutes(api: Router, sessions: Sessions, options: SessionRouteOptions): void {
  api.get('/sessions', (_req, res) => {
    res.json(sessions.list().map((session) => sessions.summary(session)));
  });

  api.post('/sessions', async (req, res) => {
    const body = parseInput(createBody, req.body);
    const session = await sessions.create(body.name);
    req.log.info({ session: session.name }, 'sessions: created');
    res.status(201).json(sessions.summary(session));
  });

  api.get('/sessions/:name', (req, res) => {
    res.json(sessions.summary(sessions.require(req.params.name)));
  });

  api.get('/sessions/:name/qr-code', (req, res) => {
    const session = sessions.require(req.params.name);
    const qr = session.manager.currentQr();
    if (!qr)
      throw new AppError('conflict', noQrMessage(`session "${session.name}"`, session.manager.status()));
    res.json(qr);
  });

  api.post('/sessions/:name/restart', async (req, res) => {
    const session = await sessions.restart(req.params.name);
    req.log.info({ session: session.name }, 'sessions: restarted');
    res.json(sessions.summary(session));
  });

  api.post('/sessions/:name/logout', async (req, res) => {
    const session = await sessions.logout(req.params.name);
    req.log.info({ session: session.name }, 'sessions: logged out');
    res.json(sessions.summary(session));
  });

  api.delete('/sessions/:name', async (req, res) => {
    await sessions.remove(req.params.name);
    req.log.info({ session: req.params.name }, 'sessions: deleted');
    res.status(204).end();
  });

  registerSendRoutes(api, (req) => sessions.require(String(req.params.name)).sender, {
    uploadDir: options.uploadDir,
    prefix: '/sessions/:name',
    notConnected: (req) => notConnectedMessage(sessions.require(String(req.params.name))),
  });
  registerMediaRoutes(api, options.mediaStore, {
    prefix: '/sessions/:name',
    check: (req) => void sessions.require(String(req.params.name)),
  });
}

/**
 * The 503 `not_connected` message of a per-session route: the session, its state and why, and where to
 * look (`GET /api/sessions/<name>`, whichever session it is, the default one included).
 */
export function notConnectedMessage(session: Session): string {
  const { state, detail } = session.manager.status();
  const why = detail ? ` (state ${state}: ${detail})` : ` (state ${state})`;
  return `WhatsApp session "${session.name}" is not connected${why}; see GET /api/sessions/${encodeURIComponent(session.name)}`;
}
