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
 * - the sessions admin routes (wpp-sidecar src/http/routes/sessions.ts): `POST /api/sessions {name}`
 *   (201 the session, in `qr`; 400 for a name outside `a-z 0-9 _ -` (1–32); 409 when it exists),
 *   `GET /api/sessions/:name/qr-code` (200 `{ qr: "data:image/png;base64,…", attempt, expiresAt }`
 *   while the session is in `qr`, else 409), `POST /api/sessions/:name/logout` (200, back to `qr`),
 *   `POST /api/sessions/:name/restart` (200, `starting`), `DELETE /api/sessions/:name` (204; 409
 *   for the default session). A session's state is `connected` unless `sessionStates` says otherwise.
 * A session it does not hold answers 404 `not_found` "no session named …", as the sidecar does.
 * Every route checks `X-API-Key`. Calls are recorded, with the session they went through.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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
  /** The quoted message's WhatsApp id the helpdesk sent (`replyTo`), if any. */
  replyTo?: string;
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
  /** Media ids answered only after this many ms (a large file on a slow phone). */
  slowMedia: Map<string, number>;
  /** Media ids whose body trickles in without end (`trickleBody`). */
  tricklingMedia: Set<string>;
  /** Set to make sends answer this HTTP status. */
  failSendsWith: number | null;
  /**
   * Text sends to these numbers (`to`) answer as the sidecar does when WPPConnect refuses a message
   * (wpp-sidecar src/send/message-sender.ts): 502 `{ error: "send_failed", message: "WhatsApp did
   * not accept the message: <the value>" }`.
   */
  refusedRecipients: Map<string, string>;
  /**
   * Sends to these numbers (`to`) answer this HTTP status, as an error inside the sidecar does
   * (500 `{ error: "internal" }`: the helpdesk retries it), while sends to others go out.
   */
  failingRecipients: Map<string, number>;
  /** A session's state other than `connected` (e.g. `qr` while waiting for a scan); absent: connected. */
  sessionStates: Map<string, { state: string; phone?: string | null; detail?: string | null }>;
  /** Calls of the sessions admin routes, in order, e.g. `{ action: 'restart', session: 'branch-2' }`. */
  sessionCalls: Array<{ action: string; session: string }>;
  /**
   * Sessions whose `GET /api/sessions/:name` answer is held: the state is read when the request
   * comes and sent only once the promise settles (an answer overtaken on its way, as a slow network
   * does). The entry is used once.
   */
  heldSessionAnswers: Map<string, Promise<void>>;
  /** The sessions `GET /api/sessions/:name` was asked for, in order. */
  sessionReads: string[];
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
  /**
   * `send-message`, `send-media`, `media`, `status`, `session`, `sessions`, or an admin action:
   * `create-session`, `delete-session`, `qr-code`, `logout`, `restart`.
   */
  action: string;
  /** The media id, for `media`. */
  mediaId?: string;
}

/** Reads a path the way the sidecar's router does; null when no route matches. */
function routeOf(method: string, pathname: string, defaultSession: string | null): Route | null {
  const perSession =
    /^\/api\/sessions\/([^/]+)(?:\/(send-message|send-media|qr-code|logout|restart|media\/([^/]+)))?$/.exec(
      pathname,
    );
  if (perSession) {
    const session = decodeURIComponent(perSession[1]!);
    if (!perSession[2]) {
      if (method === 'GET') return { session, action: 'session' };
      return method === 'DELETE' ? { session, action: 'delete-session' } : null;
    }
    if (perSession[2] === 'qr-code') return method === 'GET' ? { session, action: 'qr-code' } : null;
    if (perSession[3]) {
      return method === 'GET'
        ? { session, action: 'media', mediaId: decodeURIComponent(perSession[3]) }
        : null;
    }
    return method === 'POST' ? { session, action: perSession[2] } : null;
  }
  if (method === 'GET' && pathname === '/api/sessions') return { session: null, action: 'sessions' };
  if (method === 'POST' && pathname === '/api/sessions') return { session: null, action: 'create-session' };
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

/**
 * Answers 200 with an image body that comes a byte every 100 ms and never ends: a connection that
 * never pauses long enough to time out, until the client closes it.
 * @returns when the client closed it.
 */
export function trickleBody(response: ServerResponse): Promise<unknown> {
  response.writeHead(200, { 'content-type': 'image/png' });
  const timer = setInterval(() => response.write(Buffer.alloc(1, 7)), 100);
  const closed = once(response, 'close');
  void closed.then(() => clearInterval(timer));
  return closed;
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
    slowMedia: new Map(),
    tricklingMedia: new Set(),
    failSendsWith: null,
    refusedRecipients: new Map(),
    failingRecipients: new Map(),
    sessionStates: new Map(),
    sessionCalls: [],
    heldSessionAnswers: new Map(),
    sessionReads: [],
  };
  const summary = (name: string) => {
    const set = state.sessionStates.get(name);
    const connected = !set || set.state === 'connected';
    return {
      name,
      state: set?.state ?? 'connected',
      phone:
        set?.phone !== undefined
          ? set.phone
          : connected
            ? `+2010000000${String(state.sessions.indexOf(name)).padStart(2, '0')}`
            : null,
      since,
      detail: set?.detail ?? null,
    };
  };
  /** A 1×1 PNG: what matters to the helpdesk is the data URL's form. */
  const QR_PNG =
    'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
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
    if (route.action === 'create-session') {
      let name: unknown;
      try {
        name = (JSON.parse((await readBody(request)).toString('utf8') || '{}') as { name?: unknown }).name;
      } catch {
        return reply(400, { error: 'invalid_request', message: 'body is not JSON' });
      }
      if (typeof name !== 'string' || !/^[a-z0-9_-]{1,32}$/.test(name)) {
        return reply(400, {
          error: 'invalid_request',
          message: '"name" must be 1-32 characters: lowercase letters a-z, digits, "_" or "-"',
        });
      }
      state.sessionCalls.push({ action: 'create', session: name });
      if (state.sessions.includes(name)) {
        return reply(409, { error: 'conflict', message: `a session named "${name}" exists already` });
      }
      state.sessions.push(name);
      state.sessionStates.set(name, { state: 'qr', phone: null, detail: null });
      return reply(201, summary(name));
    }
    if (session === null || !state.sessions.includes(session)) {
      return reply(404, {
        error: 'not_found',
        message: `no session named "${session}"; see GET /api/sessions`,
      });
    }
    if (route.action === 'session') {
      const answer = summary(session);
      state.sessionReads.push(session);
      const held = state.heldSessionAnswers.get(session);
      state.heldSessionAnswers.delete(session);
      if (held) await held;
      return reply(200, answer);
    }
    if (route.action === 'qr-code') {
      state.sessionCalls.push({ action: 'qr-code', session });
      const current = summary(session);
      if (current.state !== 'qr') {
        return reply(409, {
          error: 'conflict',
          message: `no QR code: session "${session}" is not waiting for a scan (state: ${current.state})`,
        });
      }
      return reply(200, { qr: QR_PNG, attempt: 1, expiresAt: new Date(Date.now() + 20_000).toISOString() });
    }
    if (route.action === 'logout' || route.action === 'restart') {
      await readBody(request);
      state.sessionCalls.push({ action: route.action, session });
      state.sessionStates.set(session, {
        state: route.action === 'logout' ? 'qr' : 'starting',
        phone: null,
        detail: null,
      });
      return reply(200, summary(session));
    }
    if (route.action === 'delete-session') {
      state.sessionCalls.push({ action: 'delete', session });
      if (session === state.sessions[0]) {
        return reply(409, {
          error: 'conflict',
          message: `the default session "${session}" cannot be deleted`,
        });
      }
      state.sessions.splice(state.sessions.indexOf(session), 1);
      state.sessionStates.delete(session);
      response.writeHead(204);
      return response.end();
    }
    if (route.action === 'status') {
      const { state: sessionState, phone } = summary(session);
      return reply(200, { state: sessionState, phone, session, since, lastError: null });
    }
    if (route.action === 'media') {
      const id = route.mediaId!;
      state.mediaRequests.push(id);
      state.mediaFetches.push({ id, session, route: url.pathname });
      if (state.hangingMedia.has(id)) return; // never answers
      if (state.tricklingMedia.has(id)) {
        void trickleBody(response); // until the client closes it
        return;
      }
      const delayMs = state.slowMedia.get(id);
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
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
      const json = JSON.parse(body.toString('utf8')) as { to?: string; text?: string; replyTo?: unknown };
      if (!json.to || typeof json.text !== 'string')
        return reply(400, { error: 'bad_request', message: 'to and text' });
      const failing = state.failingRecipients.get(json.to);
      if (failing !== undefined) return reply(failing, { error: 'internal', message: 'stand-in failure' });
      const refusal = state.refusedRecipients.get(json.to);
      if (refusal !== undefined)
        return reply(502, {
          error: 'send_failed',
          message: `WhatsApp did not accept the message: ${refusal}`,
        });
      if (json.replyTo !== undefined && typeof json.replyTo !== 'string')
        return reply(400, { error: 'bad_request', message: 'replyTo must be a message id' });
      state.sends.push({
        ...recorded,
        to: json.to,
        text: json.text,
        ...(json.replyTo ? { replyTo: json.replyTo } : {}),
      });
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
        ...(form.get('replyTo') ? { replyTo: String(form.get('replyTo')) } : {}),
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
