/**
 * A stand-in for the wpp-sidecar's HTTP API, on loopback, speaking its wire format:
 * `POST /api/send-message {to, text, replyTo?}` and `POST /api/send-media` (multipart) answer
 * `{ id }`; `GET /api/media/:id` serves bytes; `GET /api/status` answers the session state. Every
 * route checks `X-API-Key`. Calls are recorded for assertions.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedSend {
  path: string;
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

export interface StandInSidecar {
  url: string;
  apiKey: string;
  sends: RecordedSend[];
  /** Media the stand-in serves at /api/media/:id. */
  media: Map<string, { body: Buffer; mimeType: string }>;
  /** Media ids requested, in order. */
  mediaRequests: string[];
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

export async function startStandInSidecar(
  apiKey = 'sidecar-test-api-key-0123456789',
): Promise<StandInSidecar> {
  let counter = 0;
  const state: Omit<StandInSidecar, 'url' | 'close'> = {
    apiKey,
    sends: [],
    media: new Map(),
    mediaRequests: [],
    hangingMedia: new Set(),
    failSendsWith: null,
  };
  const server: Server = createServer(async (request, response) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.headers['x-api-key'] !== apiKey)
      return reply(401, { error: 'unauthorized', message: 'invalid API key' });
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method === 'GET' && url.pathname === '/api/status') {
      return reply(200, {
        state: 'connected',
        phone: '+201000000000',
        session: 'pharmacy',
        since: new Date().toISOString(),
      });
    }
    if (request.method === 'GET' && url.pathname.startsWith('/api/media/')) {
      const id = decodeURIComponent(url.pathname.slice('/api/media/'.length));
      state.mediaRequests.push(id);
      if (state.hangingMedia.has(id)) return; // never answers
      const item = state.media.get(id);
      if (!item) return reply(404, { error: 'not_found', message: `no media ${id}` });
      response.writeHead(200, { 'content-type': item.mimeType, 'content-length': item.body.length });
      return response.end(item.body);
    }
    if (
      request.method === 'POST' &&
      (url.pathname === '/api/send-message' || url.pathname === '/api/send-media')
    ) {
      const body = await readBody(request);
      if (state.failSendsWith)
        return reply(state.failSendsWith, { error: 'failed', message: 'stand-in failure' });
      const id = `true_${Date.now()}_${++counter}`;
      const requestIdHeader = request.headers['x-request-id'];
      const requestId = typeof requestIdHeader === 'string' ? requestIdHeader : undefined;
      if (url.pathname === '/api/send-message') {
        const json = JSON.parse(body.toString('utf8')) as { to?: string; text?: string };
        if (!json.to || typeof json.text !== 'string')
          return reply(400, { error: 'bad_request', message: 'to and text' });
        state.sends.push({ path: url.pathname, to: json.to, text: json.text, id, requestId });
      } else {
        const form = await new Response(body, {
          headers: { 'content-type': request.headers['content-type'] ?? '' },
        }).formData();
        const file = form.get('file');
        state.sends.push({
          path: url.pathname,
          to: String(form.get('to')),
          type: String(form.get('type')),
          caption: form.get('caption') ? String(form.get('caption')) : undefined,
          filename: form.get('filename') ? String(form.get('filename')) : undefined,
          bytes: file instanceof Blob ? file.size : 0,
          id,
          requestId,
        });
      }
      return reply(201, { id });
    }
    return reply(404, { error: 'not_found', message: 'no such route' });
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
