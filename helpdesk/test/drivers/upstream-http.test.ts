/**
 * The drivers' outbound HTTP (issue 13, axios): each upstream's client keeps its connections,
 * follows no redirect, ignores a proxy named in the environment (the credential goes to the
 * upstream only), and hands media on as a stream that is cut, for good, past MEDIA_MAX_BYTES and
 * fails as a retryable ProviderError when the connection drops or the body takes longer than
 * MEDIA_DOWNLOAD_TIMEOUT_MS. Against small HTTP servers on loopback speaking the sidecar's and the
 * Graph API's wire format.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { ProviderError } from '../../src/errors';
import { CloudApiDriver } from '../../src/whatsapp/drivers/cloud-api';
import { WppConnectDriver } from '../../src/whatsapp/drivers/wppconnect';
import type { InboundMedia } from '../../src/whatsapp/inbound-event';
import { createUpstreamClient, MEDIA_TOO_LARGE } from '../../src/whatsapp/upstream';
import { trickleBody } from '../support/stand-in-sidecar';

const PHONE = { phone: '+201001234567', lid: null, userId: null };
const API_KEY = 'sidecar-key-0123456789abcdef';
const TOKEN = 'graph-token-0123456789';
const PHONE_NUMBER_ID = '106540352242922';

interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** Which connection carried it (1, 2, … in order of connection). */
  connection: number;
}

type Handler = (request: Recorded, response: ServerResponse) => void;

/** A loopback server that records every request (body read) and answers through `handle`. */
async function startServer(handle: Handler) {
  const requests: Recorded[] = [];
  let connections = 0;
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const socket = request.socket as typeof request.socket & { number?: number };
    socket.number ??= ++connections;
    const recorded = {
      method: request.method ?? '',
      path: request.url ?? '',
      headers: request.headers,
      body: Buffer.concat(chunks),
      connection: socket.number,
    };
    requests.push(recorded);
    handle(recorded, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
type TestServer = Awaited<ReturnType<typeof startServer>>;

/** MEDIA_DOWNLOAD_TIMEOUT_MS in these tests, ms. */
const DOWNLOAD_TIMEOUT_MS = 800;

const json = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

/** What a promise (or a stream read to its end) fails with; it must fail with a ProviderError. */
async function failure(work: Promise<unknown>): Promise<ProviderError> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof ProviderError, `a ProviderError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a failure');
}

const read = async (stream: Readable) => Buffer.concat(await stream.toArray());

/** Runs `work` with HTTP_PROXY (and its lower-case twin) naming `proxy`, and no NO_PROXY. */
async function withProxyEnvironment<T>(proxy: string, work: () => Promise<T>): Promise<T> {
  const names = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'];
  const saved = new Map(names.map((name) => [name, process.env[name]]));
  for (const name of names) delete process.env[name];
  process.env.HTTP_PROXY = proxy;
  process.env.http_proxy = proxy;
  try {
    return await work();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('the drivers’ outbound HTTP', () => {
  let elsewhere: TestServer;
  let folder: string;
  /** Responses the servers leave open, closed by the client or at the end. */
  const hanging = new Set<ServerResponse>();
  before(async () => {
    elsewhere = await startServer((_request, response) => json(response, 201, { id: 'elsewhere' }));
    folder = await mkdtemp(join(tmpdir(), 'upstream-http-'));
  });
  after(async () => {
    for (const response of hanging) response.destroy();
    await elsewhere.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('when an upstream client is asked for a URL outside its origins, then it refuses before sending anything', async () => {
    const client = createUpstreamClient({
      origins: ['http://127.0.0.1:1'],
      baseURL: 'http://127.0.0.1:1',
      timeoutMs: 1000,
      headers: { 'x-api-key': API_KEY },
    });
    const before = elsewhere.requests.length;
    for (const url of [`${elsewhere.url}/api/send-message`, 'http://user:pw@127.0.0.1:1/x']) {
      const error = await failure(client.post(url, { text: 'hi' }));
      assert.equal(error.retryable, false);
      assert.match(error.message, /refused a request to 127\.0\.0\.1/);
    }
    assert.equal(elsewhere.requests.length, before);
  });

  describe('WPPConnect driver and the sidecar', () => {
    let sidecar: TestServer;
    let driver: WppConnectDriver;
    /** Resolves when the client closes the connection of a hanging media answer. */
    let closedByClient: Promise<unknown> = Promise.resolve();
    const media = (id: string): InboundMedia => ({
      id,
      mimeType: 'image/png',
      filename: null,
      size: null,
      sha256: null,
      url: null,
    });
    before(async () => {
      sidecar = await startServer((request, response) => {
        if (
          request.path === '/api/sessions/pharmacy/send-message' &&
          request.body.includes('"redirect me"')
        ) {
          response.writeHead(307, { location: `${elsewhere.url}/api/send-message` });
          return response.end();
        }
        if (request.path.startsWith('/api/sessions/pharmacy/send-'))
          return json(response, 201, { id: `true_${request.path}` });
        if (request.path === '/api/sessions/pharmacy/media/declared-big') {
          response.writeHead(200, { 'content-type': 'image/png', 'content-length': 2000 });
          return response.end(Buffer.alloc(2000, 1));
        }
        if (request.path === '/api/sessions/pharmacy/media/growing') {
          // No Content-Length; 1,600 bytes then nothing: only the client can end this answer.
          response.writeHead(200, { 'content-type': 'image/png' });
          response.write(Buffer.alloc(800, 1));
          response.write(Buffer.alloc(800, 2));
          hanging.add(response);
          closedByClient = once(response, 'close');
          return;
        }
        if (request.path === '/api/sessions/pharmacy/media/trickling') {
          hanging.add(response);
          closedByClient = trickleBody(response);
          return;
        }
        if (request.path === '/api/sessions/pharmacy/media/cut') {
          response.writeHead(200, { 'content-type': 'image/png', 'content-length': 1000 });
          response.write(Buffer.alloc(10, 1), () => response.socket?.destroy());
          return;
        }
        response.writeHead(200, { 'content-type': 'image/png' });
        response.end('png');
      });
      driver = new WppConnectDriver({
        sidecarUrl: sidecar.url,
        apiKey: API_KEY,
        webhookSecret: 'secret-0123456789abcdef',
        toleranceSeconds: 300,
        timeoutMs: 5000,
        defaultCountry: 'EG',
        mediaMaxBytes: 1000,
        mediaDownloadTimeoutMs: DOWNLOAD_TIMEOUT_MS,
      });
    });
    after(() => sidecar.close());

    it('when several sends go out one after another, then they share one kept-alive connection', async () => {
      const before = sidecar.requests.length;
      for (const text of ['one', 'two', 'three']) await driver.sendText('pharmacy', PHONE, text);
      const used = new Set(sidecar.requests.slice(before).map((request) => request.connection));
      assert.equal(used.size, 1);
    });

    it('when the sidecar answers a send with a redirect, then it is not followed and the send fails for good', async () => {
      const before = elsewhere.requests.length;
      const error = await failure(driver.sendText('pharmacy', PHONE, 'redirect me'));
      assert.equal(error.retryable, false);
      assert.equal(error.providerCode, 307);
      assert.equal(elsewhere.requests.length, before, 'the API key went nowhere else');
    });

    it('when the environment names an HTTP proxy, then the request still goes straight to the sidecar', async () => {
      const before = { sidecar: sidecar.requests.length, elsewhere: elsewhere.requests.length };
      const result = await withProxyEnvironment(elsewhere.url, () =>
        driver.sendText('pharmacy', PHONE, 'no proxy'),
      );
      assert.equal(result.providerMessageId, 'true_/api/sessions/pharmacy/send-message');
      assert.equal(elsewhere.requests.length, before.elsewhere, 'the proxy saw no API key');
      assert.equal(sidecar.requests.length, before.sidecar + 1);
      assert.equal(sidecar.requests.at(-1)!.headers['x-api-key'], API_KEY);
    });

    it('when a file is sent, then it goes as multipart with its length, the request id and the API key', async () => {
      const path = join(folder, 'leaflet.pdf');
      const bytes = Buffer.alloc(70_000, 5);
      await writeFile(path, bytes);
      const result = await driver.sendMedia(
        'pharmacy',
        PHONE,
        { type: 'document', path, mimeType: 'application/pdf', filename: 'leaflet.pdf', caption: 'read me' },
        { requestId: 'req-42' },
      );
      assert.equal(result.providerMessageId, 'true_/api/sessions/pharmacy/send-media');
      const sent = sidecar.requests.at(-1)!;
      assert.equal(sent.headers['x-request-id'], 'req-42');
      assert.equal(sent.headers['x-api-key'], API_KEY);
      assert.equal(Number(sent.headers['content-length']), sent.body.length);
      const form = await new Response(sent.body, {
        headers: { 'content-type': String(sent.headers['content-type']) },
      }).formData();
      assert.equal(form.get('to'), PHONE.phone);
      assert.equal(form.get('type'), 'document');
      assert.equal(form.get('caption'), 'read me');
      const file = form.get('file') as File;
      assert.equal(file.name, 'leaflet.pdf');
      assert.deepEqual(Buffer.from(await file.arrayBuffer()), bytes);
    });

    it('when a media item declares more than MEDIA_MAX_BYTES, then it is refused for good before its body is read', async () => {
      const error = await failure(driver.downloadMedia('pharmacy', media('declared-big')));
      assert.equal(error.retryable, false);
      assert.equal(error.providerCode, MEDIA_TOO_LARGE);
      assert.match(error.message, /^media is larger than 1000 bytes$/);
    });

    it('when a media body grows past MEDIA_MAX_BYTES, then the stream fails for good and the connection is closed', async () => {
      const download = await driver.downloadMedia('pharmacy', media('growing'));
      const error = await failure(read(download.stream));
      assert.equal(error.retryable, false);
      assert.equal(error.providerCode, MEDIA_TOO_LARGE);
      assert.match(error.message, /^media is larger than 1000 bytes$/);
      await closedByClient;
    });

    it('when the connection drops in the middle of a media body, then the stream fails with a retryable ProviderError', async () => {
      const download = await driver.downloadMedia('pharmacy', media('cut'));
      const error = await failure(read(download.stream));
      assert.equal(error.retryable, true);
      assert.match(error.message, /^sidecar media cut: /);
    });

    it('when a media body keeps trickling past MEDIA_DOWNLOAD_TIMEOUT_MS, then the stream fails with a retryable ProviderError and the connection is closed', async () => {
      const started = Date.now();
      const download = await driver.downloadMedia('pharmacy', media('trickling'));
      const error = await failure(read(download.stream));
      const took = Date.now() - started;
      assert.equal(error.retryable, true);
      assert.equal(error.message, `sidecar media trickling: not downloaded within ${DOWNLOAD_TIMEOUT_MS} ms`);
      assert.ok(took >= DOWNLOAD_TIMEOUT_MS, `failed after ${took} ms`);
      await closedByClient;
    });
  });

  describe('Cloud API driver and the Graph API', () => {
    let graph: TestServer;
    let driver: CloudApiDriver;
    /** The bytes served at /download/<id>, and how. */
    const served = new Map<string, { bytes: Buffer; cut?: boolean }>();
    /** Resolves when the client closes the connection of a trickling download. */
    let trickleClosed: Promise<unknown> = Promise.resolve();
    before(async () => {
      graph = await startServer((request, response) => {
        const path = request.path.split('?')[0]!;
        const id = path.split('/').pop()!;
        if (path === `/v23.0/${PHONE_NUMBER_ID}/messages`) {
          if (request.body.includes('redirect me')) {
            response.writeHead(302, { location: `${elsewhere.url}/v23.0/${PHONE_NUMBER_ID}/messages` });
            return response.end();
          }
          return json(response, 200, { messaging_product: 'whatsapp', messages: [{ id: 'wamid.OK' }] });
        }
        if (path.startsWith('/v23.0/')) {
          return json(response, 200, {
            messaging_product: 'whatsapp',
            url: `${graph.url}/download/${id}`,
            mime_type: 'image/png',
            id,
          });
        }
        if (id === 'trickling') {
          hanging.add(response);
          trickleClosed = trickleBody(response);
          return;
        }
        const item = served.get(id)!;
        if (item.cut) {
          response.writeHead(200, { 'content-type': 'image/png', 'content-length': item.bytes.length });
          response.write(item.bytes.subarray(0, 10), () => response.socket?.destroy());
          return;
        }
        response.writeHead(200, { 'content-type': 'image/png', 'content-length': item.bytes.length });
        response.end(item.bytes);
      });
      driver = new CloudApiDriver({
        baseUrl: graph.url,
        version: 'v23.0',
        token: TOKEN,
        phoneNumberId: PHONE_NUMBER_ID,
        appSecret: 'app-secret-0123456789',
        timeoutMs: 5000,
        defaultCountry: 'EG',
        mediaMaxBytes: 1000,
        mediaDownloadTimeoutMs: DOWNLOAD_TIMEOUT_MS,
      });
    });
    after(() => graph.close());

    it('when the Graph API answers a send with a redirect, then it is not followed and the send fails for good', async () => {
      const before = elsewhere.requests.length;
      const error = await failure(driver.sendText(PHONE_NUMBER_ID, PHONE, 'redirect me'));
      assert.equal(error.retryable, false);
      assert.equal(error.providerCode, 302);
      assert.equal(elsewhere.requests.length, before, 'the token went nowhere else');
    });

    it('when the environment names an HTTP proxy, then the token still goes only to the Graph API', async () => {
      const before = elsewhere.requests.length;
      const result = await withProxyEnvironment(elsewhere.url, () =>
        driver.sendText(PHONE_NUMBER_ID, PHONE, 'no proxy'),
      );
      assert.equal(result.providerMessageId, 'wamid.OK');
      assert.equal(elsewhere.requests.length, before);
      assert.equal(graph.requests.at(-1)!.headers.authorization, `Bearer ${TOKEN}`);
    });

    it('when an image is larger than MEDIA_MAX_BYTES, then the download is refused for good', async () => {
      served.set('big', { bytes: Buffer.alloc(2000, 1) });
      const error = await failure(
        driver.downloadMedia(PHONE_NUMBER_ID, { id: 'big', mimeType: 'image/png' }),
      );
      assert.equal(error.retryable, false);
      assert.equal(error.providerCode, MEDIA_TOO_LARGE);
      assert.match(error.message, /^media is larger than 1000 bytes$/);
    });

    it('when the connection drops in the middle of a media body, then the stream fails with a retryable ProviderError', async () => {
      served.set('cut', { bytes: Buffer.alloc(500, 1), cut: true });
      const download = await driver.downloadMedia(PHONE_NUMBER_ID, { id: 'cut', mimeType: 'image/png' });
      const error = await failure(read(download.stream));
      assert.equal(error.retryable, true);
      assert.match(error.message, /^Cloud API media cut: /);
    });

    it('when a media body keeps trickling past MEDIA_DOWNLOAD_TIMEOUT_MS, then the stream fails with a retryable ProviderError and the connection is closed', async () => {
      const download = await driver.downloadMedia(PHONE_NUMBER_ID, {
        id: 'trickling',
        mimeType: 'image/png',
      });
      const error = await failure(read(download.stream));
      assert.equal(error.retryable, true);
      assert.equal(
        error.message,
        `Cloud API media trickling: not downloaded within ${DOWNLOAD_TIMEOUT_MS} ms`,
      );
      await trickleClosed;
    });
  });
});
