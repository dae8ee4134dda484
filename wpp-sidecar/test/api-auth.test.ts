/**
 * The API key guards every `/api/*` route however its path is spelled: percent-encoded letters
 * (`/%61pi`), double encoding, doubled slashes, case changes, dot segments, trailing dots and slashes.
 * A spelling is either the route itself (then 401 without the key) or no route (404 from the router);
 * it never reaches a handler. Requests go over real HTTP with the path sent byte for byte (node:http;
 * fetch would normalise `.` segments), to a real sidecar on the fake WhatsApp client.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { createServer, startServer, type ServerDeps } from '../src/http/server';
import { createLogger } from '../src/logger';
import type { FakeWppClient } from './fake-wppconnect-client';
import { API_KEY } from './helpers';
import { startTestSidecar, type TestSidecar } from './test-sidecar';

interface Answer {
  status: number;
  body: { error?: string; message?: string } | null;
}

interface Route {
  method: 'GET' | 'POST';
  /** Canonical path; every handler answers 2xx to it with the key (checked below). */
  path: string;
  body?: { contentType: string; bytes: Buffer };
}

/** Send `method path` exactly as given (no URL normalisation), with an optional key and body. */
function send(base: string, method: string, path: string, key: string | null, body?: Route['body']) {
  const url = new URL(base);
  const headers: Record<string, string> = {};
  if (key !== null) headers['x-api-key'] = key;
  if (body) {
    headers['content-type'] = body.contentType;
    headers['content-length'] = String(body.bytes.length);
  }
  return new Promise<Answer>((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Answer['body'] = null;
          try {
            parsed = text ? (JSON.parse(text) as Answer['body']) : null;
          } catch {
            parsed = null;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(body?.bytes);
  });
}

/** True when the answer can only have come from the key check or the router's "no route". */
function stoppedBeforeHandler(answer: Answer, method: string): boolean {
  if (method === 'HEAD') return [400, 401, 404].includes(answer.status);
  if (answer.status === 401) return answer.body?.error === 'unauthorized';
  if (answer.status === 404) return answer.body?.message?.startsWith('no route ') === true;
  // A path the URL parser refuses (e.g. a lone "%") before any route is chosen.
  if (answer.status === 400) return answer.body?.error === 'invalid_request';
  return false;
}

/** Percent-encodes one character (`a` -> `%61`), hex case as asked. */
function pct(ch: string, upper: boolean): string {
  const hex = ch.charCodeAt(0).toString(16).padStart(2, '0');
  return `%${upper ? hex.toUpperCase() : hex.toLowerCase()}`;
}

/** Hand-picked spellings of `path` (a route path such as `/api/send-message`). */
function variants(path: string): string[] {
  const rest = path.slice('/api'.length);
  return [
    `/%61pi${rest}`,
    `/%61%70%69${rest}`,
    `/%41PI${rest}`,
    `/%2561pi${rest}`,
    `//api${rest}`,
    `///api${rest}`,
    `/API${rest}`,
    `/Api${rest}`,
    `/api.${rest}`,
    `/api%2E${rest}`,
    `/api/${rest}`,
    `/./api${rest}`,
    `/x/../api${rest}`,
    `/%2e/api${rest}`,
    `/api%2F${rest.slice(1)}`,
    `/api%2f${rest.slice(1)}`,
    `${path}.`,
    `${path}..`,
    `${path}/`,
    `${path}//`,
    `${path}/.`,
    `${path}%2F`,
    `${path}%2e`,
    `${path}%20`,
    `/%61pi${rest}/`,
    `/%61pi${rest}.`,
    `/%61pi/${rest.slice(1).replace(/[a-z]/, (c) => pct(c, false))}`,
    path.replace(/[a-z]/g, (c) => pct(c, true)),
    path.toUpperCase(),
  ];
}

describe('API key on every /api route, however the path is spelled', () => {
  let running: TestSidecar;
  let fake: FakeWppClient;
  let base = '';
  let routes: Route[] = [];

  before(async () => {
    running = await startTestSidecar({ waitFor: 'connected' });
    fake = running.fake;
    base = running.sidecar.url;
    const stored = await running.sidecar.mediaStore.save(
      Buffer.from('%PDF-1.4 a stored file'),
      'application/pdf',
    );
    const form = new FormData();
    form.set('to', '01001234567');
    form.set('type', 'document');
    form.set('file', new Blob([Buffer.from('%PDF-1.4 outbound')], { type: 'application/pdf' }), 'a.pdf');
    const multipart = new Request('http://localhost/', { method: 'POST', body: form });
    routes = [
      {
        method: 'POST',
        path: '/api/send-message',
        body: {
          contentType: 'application/json',
          bytes: Buffer.from(JSON.stringify({ to: '01001234567', text: 'must not be sent' })),
        },
      },
      {
        method: 'POST',
        path: '/api/send-media',
        body: {
          contentType: multipart.headers.get('content-type')!,
          bytes: Buffer.from(await multipart.arrayBuffer()),
        },
      },
      { method: 'GET', path: `/api/media/${stored.id}` },
      { method: 'GET', path: '/api/outbox' },
      { method: 'GET', path: '/api/status' },
      { method: 'GET', path: '/api/sessions' },
      { method: 'GET', path: '/api/sessions/test' },
      {
        method: 'POST',
        path: '/api/sessions/test/send-message',
        body: {
          contentType: 'application/json',
          bytes: Buffer.from(JSON.stringify({ to: '01001234567', text: 'must not be sent either' })),
        },
      },
      { method: 'GET', path: `/api/sessions/test/media/${stored.id}` },
    ];
  });

  after(async () => {
    await running?.stop();
  });

  it('when each route is called with the key at its own path, then its handler answers 2xx (the control)', async () => {
    for (const route of routes) {
      const answer = await send(base, route.method, route.path, API_KEY, route.body);
      assert.ok(
        answer.status >= 200 && answer.status < 300,
        `${route.method} ${route.path}: ${answer.status}`,
      );
    }
    const qr = await send(base, 'GET', '/api/qr-code', API_KEY);
    assert.equal(qr.body?.error, 'qr_not_available', 'the qr-code handler answers with its own error');
    fake.sent.length = 0;
  });

  it('when encoded, doubled, dotted or re-cased spellings are sent without the key, then 401 or 404 and nothing is sent', async () => {
    const all: Route[] = [...routes, { method: 'GET', path: '/api/qr-code' }];
    fake.sent.length = 0;
    for (const route of all) {
      for (const path of [route.path, ...variants(route.path)]) {
        const methods = route.method === 'GET' ? ['GET', 'HEAD'] : ['POST'];
        for (const method of methods) {
          const answer = await send(base, method, path, null, route.body);
          assert.ok(
            stoppedBeforeHandler(answer, method),
            `${method} ${path} reached a handler: ${answer.status} ${JSON.stringify(answer.body)}`,
          );
          const wrong = await send(base, method, path, 'wrong-key-0123456789abcdef', route.body);
          assert.ok(
            stoppedBeforeHandler(wrong, method),
            `${method} ${path} with a wrong key: ${wrong.status}`,
          );
        }
      }
    }
    assert.deepEqual(fake.sent, [], 'no WhatsApp message was sent');
    const outbox = await send(base, 'GET', '/api/outbox', API_KEY);
    assert.equal(outbox.status, 200);
  });

  it('property: no generated spelling of any route reaches a handler without the key', async () => {
    const all: Route[] = [...routes, { method: 'GET', path: '/api/qr-code' }];
    fake.sent.length = 0;
    // A spelling is the canonical path with 1-4 mutations, so most are near misses of a real route:
    // percent-encode one character (either hex case; twice = double encoding), flip its case,
    // double or encode a slash, add dots or dot segments, or append a suffix.
    const mutation = fc.record({
      kind: fc.constantFrom('pct', 'PCT', 'case', 'slash', 'encoded-slash', 'dot', 'dot-segment', 'suffix'),
      at: fc.nat(),
      suffix: fc.constantFrom('.', '/', '//', '%2F', '%2e', '/.', '..', '%00', '%20', '%2E%2E'),
    });
    const spelling = fc.record({
      route: fc.integer({ min: 0, max: all.length - 1 }),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
      method: fc.constantFrom('canonical', 'HEAD'),
    });
    await fc.assert(
      fc.asyncProperty(spelling, async (s) => {
        const route = all[s.route]!;
        const tokens = [...route.path];
        for (const m of s.mutations) {
          const i = m.at % tokens.length;
          const token = tokens[i]!;
          if ((m.kind === 'pct' || m.kind === 'PCT') && i > 0) {
            tokens[i] = [...token].map((ch) => pct(ch, m.kind === 'PCT')).join('');
          } else if (m.kind === 'case') {
            tokens[i] = token === token.toLowerCase() ? token.toUpperCase() : token.toLowerCase();
          } else if (m.kind === 'slash') {
            tokens[i] = token === '/' ? '//' : `/${token}`;
          } else if (m.kind === 'encoded-slash') {
            tokens[i] = token === '/' && i > 0 ? '%2F' : token;
          } else if (m.kind === 'dot') {
            tokens[i] = `${token}.`;
          } else if (m.kind === 'dot-segment') {
            tokens[i] = `${token}/.`;
          } else if (m.kind === 'suffix') {
            tokens.push(m.suffix);
          }
        }
        const path = tokens.join('');
        const method = s.method === 'HEAD' && route.method === 'GET' ? 'HEAD' : route.method;
        const sentBefore = fake.sent.length;
        const answer = await send(base, method, path, null, route.body);
        assert.ok(
          stoppedBeforeHandler(answer, method),
          `${method} ${path} reached a handler: ${answer.status} ${JSON.stringify(answer.body)}`,
        );
        assert.equal(fake.sent.length, sentBefore, `${method} ${path} sent a WhatsApp message`);
      }),
      { numRuns: 300 },
    );
  });

  it('when an /api route is declared outside the authenticated scope, then the server refuses it at start-up', async () => {
    const deps = {
      apiKey: API_KEY,
      sessions: running.sidecar.sessions,
      mediaStore: running.sidecar.mediaStore,
      outboxStats: () => running.sidecar.outbox.stats(),
      logger: createLogger('silent'),
    } as unknown as ServerDeps;
    for (const path of ['/api/extra', '/API/extra', '/api']) {
      const server = createServer(deps);
      server.app.get(path, (_req, res) => void res.send('open'));
      await assert.rejects(startServer(server, '127.0.0.1', 0), /must be declared in the \/api scope/, path);
      assert.equal(server.server, null, `${path}: not listening`);
    }
  });
});
