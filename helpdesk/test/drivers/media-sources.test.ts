/**
 * Where the drivers fetch inbound media from, and which failures are final (issue 11): the
 * WPPConnect driver only from SIDECAR_URL (a `media.url` under its `/api/media/`, fetched through
 * the channel's session), the Cloud driver only from Meta's media host or CLOUD_API_BASE_URL's
 * origin; neither follows a redirect nor sends its credential to another host; a gone media item
 * (404, 410) is final, a busy sidecar (503) is not. Against small HTTP servers on loopback speaking
 * the sidecar's and the Graph API's wire format.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ProviderError } from '../../src/errors';
import { GraphClient } from '../../src/whatsapp/cloud/graph-client';
import { downloadCloudMedia } from '../../src/whatsapp/cloud/media';
import { WppConnectDriver } from '../../src/whatsapp/drivers/wppconnect';
import type { InboundMedia } from '../../src/whatsapp/inbound-event';

interface Recorded {
  path: string;
  headers: IncomingHttpHeaders;
}

/** A loopback server answering by path; records every request. */
async function startServer(handle: (path: string, response: ServerResponse) => void) {
  const requests: Recorded[] = [];
  const server = createServer((request, response) => {
    requests.push({ path: request.url ?? '', headers: request.headers });
    handle(request.url ?? '', response);
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

async function refusal(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ProviderError, `a ProviderError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the download to fail');
}

describe('inbound media sources', () => {
  let elsewhere: TestServer;
  before(async () => {
    elsewhere = await startServer((_path, response) => {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end('bytes');
    });
  });
  after(() => elsewhere.close());

  describe('WPPConnect driver', () => {
    let sidecar: TestServer;
    let driver: WppConnectDriver;
    const media = (id: string, url: string | null): InboundMedia => ({
      id,
      mimeType: 'image/png',
      filename: null,
      size: null,
      sha256: null,
      url,
    });
    before(async () => {
      sidecar = await startServer((path, response) => {
        const status: Record<string, number> = {
          '/api/sessions/pharmacy/media/gone': 410,
          '/api/sessions/pharmacy/media/missing': 404,
          '/api/sessions/pharmacy/media/busy': 503,
        };
        if (path === '/api/sessions/pharmacy/media/moved') {
          response.writeHead(302, { location: `${elsewhere.url}/api/media/moved` });
          return response.end();
        }
        response.writeHead(status[path] ?? 200, { 'content-type': 'image/png' });
        response.end('png');
      });
      driver = new WppConnectDriver({
        sidecarUrl: sidecar.url,
        apiKey: 'sidecar-key-0123456789abcdef',
        webhookSecret: 'secret-0123456789abcdef',
        toleranceSeconds: 300,
        timeoutMs: 5000,
        defaultCountry: 'EG',
      });
    });
    after(() => sidecar.close());

    it('when media.url is on the sidecar under /api/media/, then it is fetched through the channel’s session with the API key', async () => {
      const download = await driver.downloadMedia('pharmacy', media('ok', `${sidecar.url}/api/media/ok`));
      assert.equal(Buffer.concat(await download.stream.toArray()).toString(), 'png');
      assert.equal(sidecar.requests.at(-1)!.path, '/api/sessions/pharmacy/media/ok');
      assert.equal(sidecar.requests.at(-1)!.headers['x-api-key'], 'sidecar-key-0123456789abcdef');
    });

    for (const [name, url] of [
      ['another host', () => `${elsewhere.url}/api/media/x`],
      [
        'the sidecar’s host by another name',
        () => sidecar.url.replace('127.0.0.1', 'localhost') + '/api/media/x',
      ],
      ['another path on the sidecar', () => `${sidecar.url}/api/status`],
      ['a path climbing out of /api/media/', () => `${sidecar.url}/api/media/%2e%2e/send-message`],
      ['credentials in the URL', () => sidecar.url.replace('http://', 'http://user:pw@') + '/api/media/x'],
      ['not a URL', () => 'api/media/x'],
    ] as const) {
      it(`when media.url points at ${name}, then nothing is fetched and the refusal is final`, async () => {
        const before = { sidecar: sidecar.requests.length, elsewhere: elsewhere.requests.length };
        const error = await refusal(driver.downloadMedia('pharmacy', media('x', url())));
        assert.equal(error.retryable, false);
        assert.match(error.message, /refused media\.url/);
        assert.equal(sidecar.requests.length, before.sidecar);
        assert.equal(elsewhere.requests.length, before.elsewhere);
      });
    }

    it('when the sidecar redirects, then the redirect is not followed and the failure is final', async () => {
      const before = elsewhere.requests.length;
      const error = await refusal(driver.downloadMedia('pharmacy', media('moved', null)));
      assert.equal(error.retryable, false);
      assert.equal(elsewhere.requests.length, before);
    });

    for (const [id, retryable] of [
      ['gone', false],
      ['missing', false],
      ['busy', true],
    ] as const) {
      it(`when the sidecar answers ${id === 'gone' ? 410 : id === 'missing' ? 404 : 503}, then the failure is ${retryable ? 'retried' : 'final'}`, async () => {
        const error = await refusal(
          driver.downloadMedia('pharmacy', media(id, `${sidecar.url}/api/media/${id}`)),
        );
        assert.equal(error.retryable, retryable);
      });
    }
  });

  describe('Cloud API driver', () => {
    let graph: TestServer;
    let client: GraphClient;
    /** Where `GET /<version>/<media id>` says the bytes are, by media id. */
    const locations = new Map<string, () => string>();
    before(async () => {
      graph = await startServer((path, response) => {
        const id = path.split('?')[0]!.split('/').pop()!;
        if (path.startsWith('/v23.0/')) {
          response.writeHead(200, { 'content-type': 'application/json' });
          return response.end(
            JSON.stringify({
              messaging_product: 'whatsapp',
              url: locations.get(id)!(),
              mime_type: 'image/png',
              id,
            }),
          );
        }
        if (path === '/download/moved') {
          response.writeHead(302, { location: `${elsewhere.url}/download/moved` });
          return response.end();
        }
        response.writeHead(200, { 'content-type': 'image/png' });
        response.end('png');
      });
      client = new GraphClient({
        baseUrl: graph.url,
        version: 'v23.0',
        token: 'graph-token-0123456789',
        timeoutMs: 5000,
      });
      locations.set('own', () => `${graph.url}/download/own`);
      locations.set('foreign', () => `${elsewhere.url}/download/foreign`);
      locations.set('moved', () => `${graph.url}/download/moved`);
    });
    after(() => graph.close());

    it('when Meta’s media URL is on the configured Graph origin, then it is fetched with the token', async () => {
      const download = await downloadCloudMedia(client, 'own', '106540352242922');
      assert.equal(Buffer.concat(await download.stream.toArray()).toString(), 'png');
      assert.equal(graph.requests.at(-1)!.headers.authorization, 'Bearer graph-token-0123456789');
    });

    it('when the media URL names another host, then the token goes nowhere and the refusal is final', async () => {
      const before = elsewhere.requests.length;
      const error = await refusal(downloadCloudMedia(client, 'foreign', '106540352242922'));
      assert.equal(error.retryable, false);
      assert.match(error.message, /refused media URL/);
      assert.equal(elsewhere.requests.length, before);
    });

    it('when the media URL redirects, then the redirect is not followed and the failure is final', async () => {
      const before = elsewhere.requests.length;
      const error = await refusal(downloadCloudMedia(client, 'moved', '106540352242922'));
      assert.equal(error.retryable, false);
      assert.equal(elsewhere.requests.length, before);
    });
  });
});
