/**
 * The HTTP stack itself (Express, pino-http, helmet, multer; axios for webhooks), over real HTTP to a
 * real sidecar on the fake WhatsApp client: request ids on every answer, security headers, body
 * limits and malformed uploads as clean 4xx, uploads streamed to disk and always deleted, a stop that
 * waits for in-flight requests and closes kept-alive connections, and webhook posts on kept-alive
 * connections.
 */
import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import { Agent, createServer as createHttpServer, request as httpRequest } from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createServer, startServer, stopServer, type ServerDeps } from '../src/http/server';
import { createLogger } from '../src/logger';
import { createWebhookHttp, postWebhook } from '../src/outbox/post-webhook';
import type { FakeWppClient } from './fake-wppconnect-client';
import { API_KEY, WEBHOOK_SECRET, waitFor } from './helpers';
import { startTestSidecar, type TestSidecar } from './test-sidecar';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PDF = Buffer.from('%PDF-1.4 a small document');

/** A multipart body with the given text fields and optional file, as raw bytes. */
function multipartBody(
  fields: Array<[string, string]>,
  file?: { field: string; name: string; type: string; bytes: Buffer },
): { contentType: string; bytes: Buffer } {
  const boundary = 'test-boundary-7f3a';
  const parts: Buffer[] = fields.map(([name, value]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
  );
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\n` +
          `Content-Type: ${file.type}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, bytes: Buffer.concat(parts) };
}

describe('the HTTP stack', () => {
  let running: TestSidecar;
  let fake: FakeWppClient;
  let base = '';
  let uploadDir = '';

  before(async () => {
    running = await startTestSidecar({ waitFor: 'connected' });
    fake = running.fake;
    base = running.sidecar.url;
    uploadDir = running.env.config.uploadTmpDir;
  });

  after(async () => {
    await running?.stop();
  });

  function sendMedia(body: { contentType: string; bytes: Buffer }): Promise<Response> {
    return fetch(`${base}/api/send-media`, {
      method: 'POST',
      headers: { 'x-api-key': API_KEY, 'content-type': body.contentType },
      body: body.bytes,
    });
  }

  it('when a request carries a sane X-Request-Id, then every answer echoes it (401 and 404 too); an odd one is replaced by a UUID', async () => {
    const unauthorized = await fetch(`${base}/api/status`, { headers: { 'x-request-id': 'trace-abc.1:2' } });
    assert.equal(unauthorized.status, 401);
    assert.equal(unauthorized.headers.get('x-request-id'), 'trace-abc.1:2');
    const missing = await fetch(`${base}/nowhere?x=1`, { headers: { 'x-request-id': 'has spaces' } });
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: 'not_found', message: 'no route GET /nowhere?x=1' });
    assert.match(missing.headers.get('x-request-id') ?? '', UUID);
    const health = await fetch(`${base}/health`, { headers: { 'x-request-id': 'x'.repeat(129) } });
    assert.match(health.headers.get('x-request-id') ?? '', UUID);
  });

  it('when a path percent-encodes unreserved characters, then it routes as those characters (the key still asked); a malformed escape is 400', async () => {
    const encoded = await fetch(`${base}/%61pi/st%61tus`);
    assert.equal(encoded.status, 401, 'the /api router, so its key check');
    const withKey = await fetch(`${base}/%61pi/st%61tus`, { headers: { 'x-api-key': API_KEY } });
    assert.equal(withKey.status, 200);
    const slash = await fetch(`${base}/api%2Fstatus`, { headers: { 'x-api-key': API_KEY } });
    assert.equal(slash.status, 404, 'a reserved character stays encoded: no route');
    const malformed = await fetch(`${base}/api/media/%C0`, { headers: { 'x-api-key': API_KEY } });
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { error: string }).error, 'invalid_request');
  });

  it('when any answer is sent, then it says nosniff and names no framework', async () => {
    for (const res of [await fetch(`${base}/health`), await fetch(`${base}/api/status`)]) {
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('x-powered-by'), null);
    }
  });

  it('when a JSON body is over 1 MiB, then 413 payload_too_large; when it is not JSON, 415; nothing is sent', async () => {
    const before = fake.sent.length;
    const res = await fetch(`${base}/api/send-message`, {
      method: 'POST',
      headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ to: '01001234567', text: 'x'.repeat(1024 * 1024) }),
    });
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { error: string }).error, 'payload_too_large');
    const text = await fetch(`${base}/api/send-message`, {
      method: 'POST',
      headers: { 'x-api-key': API_KEY, 'content-type': 'text/plain' },
      body: JSON.stringify({ to: '01001234567', text: 'x' }),
    });
    assert.equal(text.status, 415);
    const answer = (await text.json()) as { error: string; message: string };
    assert.equal(answer.error, 'invalid_request');
    assert.match(answer.message, /text\/plain/);
    assert.equal(fake.sent.length, before);
  });

  it('when a multipart body is malformed or breaks a limit, then 400 or 413 saying what, nothing sent, no file left', async () => {
    const before = fake.sent.length;
    const cases: Array<{ body: { contentType: string; bytes: Buffer }; status: number; message: RegExp }> = [
      {
        body: multipartBody(
          [
            ['to', '01001234567'],
            ['type', 'document'],
          ],
          {
            field: 'attachment',
            name: 'a.pdf',
            type: 'application/pdf',
            bytes: PDF,
          },
        ),
        status: 400,
        message: /unexpected file field "attachment"; use "file"/,
      },
      {
        body: multipartBody([
          ['to', '01001234567'],
          ['caption', 'x'.repeat(64 * 1024 + 1)],
        ]),
        status: 413,
        message: /caption/,
      },
      {
        body: multipartBody(Array.from({ length: 11 }, (_, i): [string, string] => [`f${i}`, 'v'])),
        status: 413,
        message: /field/i,
      },
      {
        body: multipartBody([['to[x]', '01001234567']]),
        status: 400,
        message: /to\[x\]/,
      },
      {
        body: { contentType: 'multipart/form-data', bytes: Buffer.from('no boundary') },
        status: 400,
        message: /multipart/,
      },
    ];
    const cut = multipartBody([['to', '01001234567']], {
      field: 'file',
      name: 'a.pdf',
      type: 'application/pdf',
      bytes: PDF,
    });
    cases.push({
      body: { contentType: cut.contentType, bytes: cut.bytes.subarray(0, cut.bytes.length - 30) },
      status: 400,
      message: /multipart/,
    });
    for (const { body, status, message } of cases) {
      const res = await sendMedia(body);
      const answer = (await res.json()) as { error: string; message: string };
      assert.equal(res.status, status, answer.message);
      assert.equal(answer.error, status === 413 ? 'payload_too_large' : 'invalid_request');
      assert.match(answer.message, message);
      assert.deepEqual(await readdir(uploadDir), [], `no upload left after: ${answer.message}`);
    }
    assert.equal(fake.sent.length, before);
  });

  it('when a send-media request ends (sent, refused by a rule, or a failed send), then its uploaded file is gone before the answer', async () => {
    const file = { field: 'file', name: 'a.pdf', type: 'application/pdf', bytes: PDF };
    const answers: number[] = [];
    const sent = await sendMedia(
      multipartBody(
        [
          ['to', '01001234567'],
          ['type', 'document'],
        ],
        file,
      ),
    );
    answers.push(sent.status);
    assert.deepEqual(await readdir(uploadDir), []);
    const badType = await sendMedia(
      multipartBody(
        [
          ['to', '01001234567'],
          ['type', 'gif'],
        ],
        file,
      ),
    );
    answers.push(badType.status);
    assert.deepEqual(await readdir(uploadDir), []);
    const tooBig = await sendMedia(
      multipartBody(
        [
          ['to', '01001234567'],
          ['type', 'image'],
        ],
        { ...file, type: 'image/jpeg', bytes: Buffer.alloc(5 * 1024 * 1024 + 1) },
      ),
    );
    answers.push(tooBig.status);
    assert.deepEqual(await readdir(uploadDir), []);
    fake.sendFileResult = () => undefined;
    try {
      const failed = await sendMedia(
        multipartBody(
          [
            ['to', '01001234567'],
            ['type', 'document'],
          ],
          file,
        ),
      );
      answers.push(failed.status);
    } finally {
      fake.sendFileResult = null;
    }
    assert.deepEqual(await readdir(uploadDir), []);
    assert.deepEqual(answers, [201, 400, 413, 502]);
  });

  it('when an upload is under way, then its bytes are on disk (not in memory); when the caller goes away, the file is deleted', async () => {
    const body = multipartBody(
      [
        ['to', '01001234567'],
        ['type', 'document'],
      ],
      {
        field: 'file',
        name: 'big.pdf',
        type: 'application/pdf',
        bytes: Buffer.alloc(8 * 1024 * 1024, 7),
      },
    );
    const url = new URL(base);
    const req: ClientRequest = httpRequest({
      host: url.hostname,
      port: url.port,
      method: 'POST',
      path: '/api/send-media',
      headers: {
        'x-api-key': API_KEY,
        'content-type': body.contentType,
        'content-length': String(body.bytes.length),
      },
      agent: false,
    });
    req.on('error', () => undefined);
    const half = 4 * 1024 * 1024;
    req.write(body.bytes.subarray(0, half));
    await waitFor(async () => {
      const names = await readdir(uploadDir);
      if (names.length !== 1) return false;
      return (await stat(path.join(uploadDir, names[0]!))).size > 1024 * 1024;
    }, 'the partial upload on disk');
    req.destroy();
    await waitFor(async () => (await readdir(uploadDir)).length === 0, 'the partial upload deleted');
  });
});

describe('start and stop', () => {
  /** A second HTTP server's dependencies over a running sidecar's parts, its uploads in `uploads`. */
  function ownServerDeps(running: TestSidecar, uploads: string): ServerDeps {
    return {
      apiKey: API_KEY,
      sessions: running.sidecar.sessions,
      mediaStore: running.sidecar.mediaStore,
      outboxStats: () => running.sidecar.outbox.stats(),
      outboxRetry: () => Promise.resolve({ retried: [] }),
      logger: createLogger('silent'),
      uploadDir: path.join(running.env.tmp, uploads),
    };
  }

  it('when a request arrives, then it reaches Express as an Express request and response already (no per-request prototype change)', async () => {
    const running = await startTestSidecar();
    const server = createServer(ownServerDeps(running, 'prototype-uploads'));
    try {
      const base = await startServer(server, '127.0.0.1', 0);
      // Read before Express runs: what Node's server constructed.
      const seen = new Promise<[object | null, object | null]>((resolve) =>
        server.server!.prependOnceListener('request', (request: object, response: object) =>
          resolve([Object.getPrototypeOf(request), Object.getPrototypeOf(response)]),
        ),
      );
      assert.equal((await fetch(`${base}/health`)).status, 200);
      const [request, response] = await seen;
      assert.equal(request, server.app.request, 'born an Express request');
      assert.equal(response, server.app.response, 'born an Express response');
    } finally {
      await stopServer(server);
      await running.stop();
    }
  });

  it(
    'when the server stops during a request and with an idle kept-alive connection, then the request is answered, the connections close and stop resolves',
    { timeout: 60_000 },
    async () => {
      const running = await startTestSidecar({ waitFor: 'connected' });
      const server = createServer(ownServerDeps(running, 'own-uploads'));
      const base = await startServer(server, '127.0.0.1', 0);
      const url = new URL(base);
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        // An idle kept-alive connection.
        const idle = await new Promise<IncomingMessage>((resolve, reject) =>
          httpRequest({ host: url.hostname, port: url.port, path: '/health', agent }, resolve)
            .on('error', reject)
            .end(),
        );
        idle.resume();
        await new Promise((resolve) => idle.on('end', resolve));
        const idleSocket = await waitFor(() => Object.values(agent.freeSockets).flat()[0], 'an idle socket');
        const idleClosed = new Promise((resolve) => idleSocket.on('close', resolve));
        // An in-flight request: a JSON body sent in two parts, the stop in between.
        const arrived = new Promise((resolve) => server.server!.once('request', resolve));
        const json = Buffer.from(JSON.stringify({ all: true }));
        const inFlight = httpRequest({
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: '/api/outbox/retry',
          headers: {
            'x-api-key': API_KEY,
            'content-type': 'application/json',
            'content-length': String(json.length),
          },
          agent: new Agent({ keepAlive: true }),
        });
        const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
          inFlight.on('response', (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
            );
          });
          inFlight.on('error', reject);
        });
        inFlight.write(json.subarray(0, 3));
        await arrived;
        const stopped = stopServer(server);
        inFlight.end(json.subarray(3));
        assert.deepEqual(await answer, { status: 200, body: '{"retried":[]}' });
        await stopped;
        await idleClosed;
        assert.equal(server.server, null);
      } finally {
        agent.destroy();
        await running.stop();
      }
    },
  );
});

describe('webhook posts (axios)', () => {
  it('when two events are posted, then they share one kept-alive connection; a redirect is an answer, not followed', async () => {
    const seen: Array<{ path: string; port: number }> = [];
    const helpdesk = createHttpServer((req, res) => {
      seen.push({ path: req.url ?? '', port: req.socket.remotePort ?? 0 });
      req.resume();
      req.on('end', () => {
        if (req.url === '/moved') res.writeHead(307, { location: '/webhooks/wppconnect' }).end();
        else res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => helpdesk.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(helpdesk.address() as AddressInfo).port}`;
    const http = createWebhookHttp(2000);
    try {
      const first = await postWebhook(`${base}/webhooks/wppconnect`, WEBHOOK_SECRET, '{}', 2000, 'r1', http);
      const second = await postWebhook(`${base}/webhooks/wppconnect`, WEBHOOK_SECRET, '{}', 2000, 'r2', http);
      assert.deepEqual([first.ok, second.ok], [true, true]);
      assert.equal(seen[0]!.port, seen[1]!.port, 'the second POST reused the connection');
      const moved = await postWebhook(`${base}/moved`, WEBHOOK_SECRET, '{}', 2000, 'r3', http);
      assert.ok(!moved.ok && !moved.transient && moved.status === 307);
      assert.deepEqual(
        seen.map((s) => s.path),
        ['/webhooks/wppconnect', '/webhooks/wppconnect', '/moved'],
      );
    } finally {
      http.close();
      helpdesk.closeAllConnections();
      await new Promise<void>((resolve) => helpdesk.close(() => resolve()));
    }
  });
});
