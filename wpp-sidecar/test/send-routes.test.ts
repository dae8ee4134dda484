/**
 * Send routes over real HTTP with the fake client: recipients in every form, media by multipart (a URL
 * is refused and never fetched), auth, bad input, size caps, and a disconnected session.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { RunningSidecar } from '../src/app';
import type { FakeWppClient } from './fake-wppconnect-client';
import { API_KEY } from './helpers';
import { startTestSidecar, type TestSidecar } from './test-sidecar';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]),
  Buffer.alloc(64, 1),
]);

describe('send routes', () => {
  let running: TestSidecar;
  let fake: FakeWppClient;
  let sidecar: RunningSidecar;
  let files: Server;
  let filesUrl = '';
  /** Requests the loopback file server received (a URL given to send-media must never be fetched). */
  const fileRequests: string[] = [];

  before(async () => {
    running = await startTestSidecar({ waitFor: 'connected' });
    ({ fake, sidecar } = running);
    files = createServer((req, res) => {
      fileRequests.push(req.url ?? '');
      if (req.url === '/rx.png') res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    const address = files.address();
    filesUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  after(async () => {
    await running?.stop();
    files?.closeAllConnections();
    await new Promise<void>((resolve) => files?.close(() => resolve()));
  });

  function post(path: string, body: unknown, key: string | null = API_KEY): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key !== null) headers['x-api-key'] = key;
    return fetch(`${sidecar.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  }

  function postForm(form: FormData, key = API_KEY): Promise<Response> {
    return fetch(`${sidecar.url}/api/send-media`, {
      method: 'POST',
      headers: { 'x-api-key': key },
      body: form,
    });
  }

  for (const [to, chatId] of [
    ['+201001234567', '201001234567@c.us'],
    ['01001234567', '201001234567@c.us'],
    ['201001234567', '201001234567@c.us'],
    ['201001234567@c.us', '201001234567@c.us'],
    ['187654321098765@lid', '187654321098765@lid'],
  ] as const) {
    it(`when text is sent to "${to}", then sendText gets ${chatId} and the answer carries the id`, async () => {
      const res = await post('/api/send-message', { to, text: 'Welcome!' });
      assert.equal(res.status, 201);
      const { id } = (await res.json()) as { id: string };
      const call = fake.sent.at(-1)!;
      assert.deepEqual([call.method, call.to, call.content, call.id], ['sendText', chatId, 'Welcome!', id]);
      assert.ok(!fake.calls.some((c) => c.method === 'checkNumberStatus'));
    });
  }

  it('when replyTo is given, then sendText gets quotedMsg', async () => {
    const res = await post('/api/send-message', {
      to: '01001234567',
      text: 'yes',
      replyTo: 'false_x@c.us_ABC',
    });
    assert.equal(res.status, 201);
    assert.deepEqual(fake.sent.at(-1)!.options, { quotedMsg: 'false_x@c.us_ABC' });
  });

  it('when the API key is missing or wrong, then 401 with the same message', async () => {
    const missing = await post('/api/send-message', { to: '01001234567', text: 'x' }, null);
    const wrong = await post('/api/send-message', { to: '01001234567', text: 'x' }, 'nope');
    assert.equal(missing.status, 401);
    assert.equal(wrong.status, 401);
    assert.deepEqual(await missing.json(), await wrong.json());
    const status = await fetch(`${sidecar.url}/api/status`);
    assert.equal(status.status, 401);
    const health = await fetch(`${sidecar.url}/health`);
    assert.equal(health.status, 200);
  });

  it('when "to" is not a valid phone nor a WhatsApp id, then 400 naming "to"', async () => {
    for (const to of ['12345', 'abc', '0100', 'someone@example.com', '+999123']) {
      const res = await post('/api/send-message', { to, text: 'x' });
      assert.equal(res.status, 400, to);
      const body = (await res.json()) as { error: string; message: string };
      assert.equal(body.error, 'invalid_recipient');
      assert.match(body.message, /"to"/);
    }
  });

  it('when text is missing, then 400 naming "text"', async () => {
    const res = await post('/api/send-message', { to: '01001234567' });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { message: string }).message, /"text"/);
  });

  it('when malformed JSON is posted, then 400', async () => {
    const res = await fetch(`${sidecar.url}/api/send-message`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: '{"to":',
    });
    assert.equal(res.status, 400);
  });

  it('when an image is uploaded as multipart, then sendFile gets a data URL, type and caption', async () => {
    const form = new FormData();
    form.set('to', '+201001234567');
    form.set('type', 'image');
    form.set('caption', 'your invoice');
    form.set('file', new Blob([PNG], { type: 'image/png' }), 'invoice.png');
    const res = await postForm(form);
    assert.equal(res.status, 201);
    const { id } = (await res.json()) as { id: string };
    const call = fake.sent.at(-1)!;
    assert.equal(call.id, id);
    assert.equal(call.to, '201001234567@c.us');
    assert.equal(call.content, `data:image/png;base64,${PNG.toString('base64')}`);
    assert.deepEqual(call.options, {
      type: 'image',
      filename: 'invoice.png',
      mimetype: 'image/png',
      caption: 'your invoice',
    });
  });

  it('when a voice note (ptt) is uploaded, then sendFile gets type audio with isPtt', async () => {
    const form = new FormData();
    form.set('to', '187654321098765@lid');
    form.set('type', 'ptt');
    form.set('file', new Blob([Buffer.from('OggS-voice')], { type: 'audio/ogg' }), 'note.ogg');
    const res = await postForm(form);
    assert.equal(res.status, 201);
    const call = fake.sent.at(-1)!;
    assert.equal(call.to, '187654321098765@lid');
    assert.deepEqual(call.options, {
      type: 'audio',
      isPtt: true,
      filename: 'note.ogg',
      mimetype: 'audio/ogg',
    });
  });

  it('when send-media names a url, then 400 naming "url", the URL is never fetched and nothing is sent', async () => {
    const before = fake.sent.length;
    const json = await post('/api/send-media', {
      to: '01001234567',
      type: 'document',
      url: `${filesUrl}/rx.png`,
    });
    assert.equal(json.status, 400);
    const body = (await json.json()) as { error: string; message: string };
    assert.equal(body.error, 'invalid_request');
    assert.match(body.message, /"url"/);
    const form = new FormData();
    form.set('to', '01001234567');
    form.set('type', 'image');
    form.set('url', `${filesUrl}/rx.png`);
    const multipart = await postForm(form);
    assert.equal(multipart.status, 400);
    assert.match(((await multipart.json()) as { message: string }).message, /"url"/);
    assert.deepEqual(fileRequests, [], 'the sidecar made no request to the URL');
    assert.equal(fake.sent.length, before);
  });

  it('when the media type is unknown, then 400 naming "type"', async () => {
    for (const type of ['gif', 'hologram']) {
      const form = new FormData();
      form.set('to', '01001234567');
      form.set('type', type);
      form.set('file', new Blob([PNG]), 'x.png');
      const res = await postForm(form);
      assert.equal(res.status, 400);
      const body = (await res.json()) as { error: string; message: string };
      assert.equal(body.error, 'unknown_media_type');
      assert.match(body.message, /"type"/);
    }
  });

  it('when an uploaded image is over 5 MB, then 413 and nothing is sent', async () => {
    const before = fake.sent.length;
    const form = new FormData();
    form.set('to', '01001234567');
    form.set('type', 'image');
    form.set('file', new Blob([Buffer.alloc(5 * 1024 * 1024 + 1)], { type: 'image/jpeg' }), 'huge.jpg');
    const res = await postForm(form);
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { error: string }).error, 'payload_too_large');
    assert.equal(fake.sent.length, before);
  });

  it('when sendFile resolves with nothing, then 502 with a clear message; an id in another shape is found', async () => {
    fake.sendFileResult = () => undefined;
    const form = () => {
      const f = new FormData();
      f.set('to', '01001234567');
      f.set('type', 'document');
      f.set('file', new Blob([Buffer.from('%PDF-1.4')], { type: 'application/pdf' }), 'a.pdf');
      return f;
    };
    const res = await postForm(form());
    assert.equal(res.status, 502);
    assert.match(((await res.json()) as { message: string }).message, /no message id/);
    fake.sendFileResult = () => ({
      ack: 1,
      id: { fromMe: true, _serialized: 'true_201001234567@c.us_3EB0SHAPE' },
    });
    const ok = await postForm(form());
    assert.equal(ok.status, 201);
    assert.deepEqual(await ok.json(), { id: 'true_201001234567@c.us_3EB0SHAPE' });
    fake.sendFileResult = null;
  });

  it('when status and qr-code are asked while connected, then state connected and qr 404', async () => {
    const res = await fetch(`${sidecar.url}/api/status`, { headers: { 'x-api-key': API_KEY } });
    const body = (await res.json()) as { state: string; phone: string; session: string; since: string };
    assert.equal(body.state, 'connected');
    assert.equal(body.phone, '+201000000000');
    assert.equal(body.session, 'test');
    assert.ok(!Number.isNaN(Date.parse(body.since)));
    const qr = await fetch(`${sidecar.url}/api/qr-code`, { headers: { 'x-api-key': API_KEY } });
    assert.equal(qr.status, 404);
    assert.match(((await qr.json()) as { message: string }).message, /already connected/);
  });

  it('when the session is not connected, then sends answer 503', async () => {
    await sidecar.session.stop();
    const res = await post('/api/send-message', { to: '01001234567', text: 'x' });
    assert.equal(res.status, 503);
    assert.equal(((await res.json()) as { error: string }).error, 'not_connected');
    const form = new FormData();
    form.set('to', '01001234567');
    form.set('type', 'image');
    form.set('file', new Blob([PNG], { type: 'image/png' }), 'x.png');
    assert.equal((await postForm(form)).status, 503);
  });
});

describe('pairing', () => {
  it('when the session needs a scan, then state qr with a PNG data URL; after the scan, connected', async () => {
    const running = await startTestSidecar({ client: { pairing: true } });
    const { fake, sidecar } = running;
    try {
      await sidecar.waitForState('qr');
      const res = await fetch(`${sidecar.url}/api/qr-code`, { headers: { 'x-api-key': API_KEY } });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { qr: string; attempt: number; expiresAt: string };
      assert.match(body.qr, /^data:image\/png;base64,/);
      assert.equal(body.attempt, 1);
      assert.ok(Date.parse(body.expiresAt) > Date.now());
      fake.scan();
      await sidecar.waitForState('connected');
      // A logout (UNPAIRED) clears the profile and goes back to pairing.
      fake.emitStateChange('UNPAIRED');
      await sidecar.waitForState('qr');
      assert.ok(fake.closed >= 1);
      assert.equal(fake.creates, 2);
    } finally {
      await running.stop();
    }
  });

  it('when create() fails, then state error and it retries with backoff until connected', async () => {
    const running = await startTestSidecar({
      client: { failFirst: { times: 3, message: 'net::ERR_NAME_NOT_RESOLVED' } },
    });
    const { fake, sidecar } = running;
    try {
      await sidecar.waitForState('connected', 5000);
      assert.equal(fake.creates, 4);
      fake.emitStatus('browserClose');
      await sidecar.waitForState('disconnected');
      await sidecar.waitForState('connected', 5000);
      assert.equal(fake.creates, 5);
    } finally {
      await running.stop();
    }
  });
});
