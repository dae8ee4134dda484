/**
 * A stand-in for the wpp-sidecar's HTTP API, on loopback, speaking its wire format. It holds
 * `sessions` (WhatsApp numbers by name, the default one first; `['pharmacy']` unless a test sets
 * them), each served by the sidecar's per-session routes, while the single-session routes serve
 * the default session:
 * - `POST /api/sessions/:name/send-message {to, text, replyTo?}` and `POST /api/send-message`,
 *   `POST /api/sessions/:name/send-media` (multipart) and `POST /api/send-media`: 201 `{ id }`;
 * - `GET /api/sessions/:name/media/:id` and `GET /api/media/:id`: the bytes (one store for all
 *   sessions, as in the sidecar);
 * - `GET /api/sessions`, `GET /api/sessions/:name` (`{ name, state, phone, since, detail }`) and
 *   `GET /api/status` (the default session).
 * A session it does not hold answers 404 `not_found` "no session named …", as the sidecar does.
 * Every route checks `X-API-Key`. Calls are recorded, with the session they went through.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedSend {
  /** Which send: `/api/send-message` or `/api/send-media`, whichever session's route carried it. */
  path: string;
  /** The path requested, e.g. `/api/sessions/branch-2/send-message`. */
  route: string;
  /** The session (WhatsApp number) it went out through. */
  session: string;
  to: string;
  text?: string;
  type?: string;
  caption?: string;
  filename?: string;
  bytes?: number;
  id: string;
  /** The X-Request-Id header the helpdesk sent, if any. */
  requestId?: string;
}

/** A media download the stand-in answered (or left hanging). */
export interface RecordedMediaFetch {
  id: string;
  /** The session whose route was used (the default one for `GET /api/media/:id`). */
  session: string;
  /** The path requested. */
  route: string;
}

export interface StandInSidecar {
  url: string;
  apiKey: string;
  /** The sessions' names, the default one first; assign to change them (e.g. `['main', 'branch-2']`). */
  sessions: string[];
  sends: RecordedSend[];
  /** Media the stand-in serves at /api/media/:id and /api/sessions/:name/media/:id. */
  media: Map<string, { body: Buffer; mimeType: string }>;
  /** Media ids requested, in order. */
  mediaRequests: string[];
  /** Media requests with their session and route, in order. */
  mediaFetches: RecordedMediaFetch[];
  /** Media ids whose download hangs until the connection closes (to crash a worker mid-job). */
  hangingMedia: Set<string>;
  /** Set to make sends answer this HTTP status. */
  failSendsWith: number | null;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A route of the API: which session it addresses (null: none named) and what is asked. */
interface Route {
  /** The session named in the path, or the default one for the single-session routes. */
  session: string | null;
  /** `send-message`, `send-media`, `media`, `status`, `session` or `sessions`. */
  action: string;
  /** The media id, for `media`. */
  mediaId?: string;
}

/** Reads a path the way the sidecar's router does; null when no route matches. */
function routeOf(method: string, pathname: string, defaultSession: string | null): Route | null {
  const perSession = /^\/api\/sessions\/([^/]+)(?:\/(send-message|send-media|media\/([^/]+)))?$/.exec(
    pathname,
  );
  if (perSession) {
    const session = decodeURIComponent(perSession[1]!);
    if (!perSession[2]) return method === 'GET' ? { session, action: 'session' } : null;
    if (perSession[3]) {
      return method === 'GET'
        ? { session, action: 'media', mediaId: decodeURIComponent(perSession[3]) }
        : null;
    }
    return method === 'POST' ? { session, action: perSession[2] } : null;
  }
  if (method === 'GET' && pathname === '/api/sessions') return { session: null, action: 'sessions' };
  if (method === 'GET' && pathname === '/api/status') return { session: defaultSession, action: 'status' };
  if (method === 'GET' && pathname.startsWith('/api/media/')) {
    const mediaId = decodeURIComponent(pathname.slice('/api/media/'.length));
    return { session: defaultSession, action: 'media', mediaId };
  }
  if (method === 'POST' && (pathname === '/api/send-message' || pathname === '/api/send-media')) {
    return { session: defaultSession, action: pathname.slice('/api/'.length) };
  }
  return null;
}

/** Starts the stand-in on a loopback port; `close()` it in an `after` hook. */
export async function startStandInSidecar(
  apiKey = 'sidecar-test-api-key-0123456789',
): Promise<StandInSidecar> {
  let counter = 0;
  const since = new Date().toISOString();
  const state: Omit<StandInSidecar, 'url' | 'close'> = {
    apiKey,
    sessions: ['pharmacy'],
    sends: [],
    media: new Map(),
    mediaRequests: [],
    mediaFetches: [],
    hangingMedia: new Set(),
    failSendsWith: null,
  };
  const summary = (name: string) => ({
    name,
    state: 'connected',
    phone: `+2010000000${String(state.sessions.indexOf(name)).padStart(2, '0')}`,
    since,
    detail: null,
  });
  const server: Server = createServer(async (request, response) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.headers['x-api-key'] !== apiKey)
      return reply(401, { error: 'unauthorized', message: 'invalid API key' });
    const url = new URL(request.url ?? '/', 'http://localhost');
    const route = routeOf(request.method ?? '', url.pathname, state.sessions[0] ?? null);
    if (!route) return reply(404, { error: 'not_found', message: 'no such route' });
    const session = route.session;
    if (route.action === 'sessions') return reply(200, state.sessions.map(summary));
    if (session === null || !state.sessions.includes(session)) {
      return reply(404, {
        error: 'not_found',
        message: `no session named "${session}"; see GET /api/sessions`,
      });
    }
    if (route.action === 'session') return reply(200, summary(session));
    if (route.action === 'status') {
      const { state: sessionState, phone } = summary(session);
      return reply(200, { state: sessionState, phone, session, since, lastError: null });
    }
    if (route.action === 'media') {
      const id = route.mediaId!;
      state.mediaRequests.push(id);
      state.mediaFetches.push({ id, session, route: url.pathname });
      if (state.hangingMedia.has(id)) return; // never answers
      const item = state.media.get(id);
      if (!item) return reply(404, { error: 'not_found', message: `media "${id}" not found` });
      response.writeHead(200, { 'content-type': item.mimeType, 'content-length': item.body.length });
      return response.end(item.body);
    }
    const body = await readBody(request);
    if (state.failSendsWith)
      return reply(state.failSendsWith, { error: 'failed', message: 'stand-in failure' });
    const id = `true_${Date.now()}_${++counter}`;
    const requestIdHeader = request.headers['x-request-id'];
    const requestId = typeof requestIdHeader === 'string' ? requestIdHeader : undefined;
    const recorded = { path: `/api/${route.action}`, route: url.pathname, session, id, requestId };
    if (route.action === 'send-message') {
      const json = JSON.parse(body.toString('utf8')) as { to?: string; text?: string };
      if (!json.to || typeof json.text !== 'string')
        return reply(400, { error: 'bad_request', message: 'to and text' });
      state.sends.push({ ...recorded, to: json.to, text: json.text });
    } else {
      const form = await new Response(body, {
        headers: { 'content-type': request.headers['content-type'] ?? '' },
      }).formData();
      const file = form.get('file');
      state.sends.push({
        ...recorded,
        to: String(form.get('to')),
        type: String(form.get('type')),
        caption: form.get('caption') ? String(form.get('caption')) : undefined,
        filename: form.get('filename') ? String(form.get('filename')) : undefined,
        bytes: file instanceof Blob ? file.size : 0,
      });
    }
    return reply(201, { id });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
