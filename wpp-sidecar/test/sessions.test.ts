/**
 * Several WhatsApp sessions in one sidecar, over real HTTP with the fake WhatsApp (one fake client per
 * session) and a stand-in helpdesk: two sessions receive and send through their own clients, each event
 * naming its session as `channel`; the sessions API (create, list, QR then 409 once connected, logout,
 * delete removing tokens/<name>); sessions restored from TOKENS_DIR at start; one session's browser crash
 * leaving the other connected; and each state change reaching the helpdesk as a `session` event.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  sidecarWebhookEventSchema,
  webhookEventSchema,
  type SidecarInboundMessage,
  type SidecarSessionEvent,
} from '@whatsapp-helpdesk/contract/sidecar-events';
import type { SessionStatus } from '../src/session/session-manager';
import { API_KEY, HelpdeskStub, waitFor } from './helpers';
import { startTestSidecar, type TestSidecar } from './test-sidecar';
import { fixtures } from './wpp-fixtures';

interface SessionBody {
  name: string;
  state: string;
  phone: string | null;
  since: string;
  detail: string | null;
}

/** `fetch` of the sidecar's API with the key (or none), JSON in and out. */
async function call(
  base: string,
  method: string,
  route: string,
  body?: unknown,
  key: string | null = API_KEY,
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  if (key !== null) headers['x-api-key'] = key;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${route}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

function messagesOf(stub: HelpdeskStub): SidecarInboundMessage[] {
  return stub.received.flatMap((r) => (r.event.type === 'message' ? [r.event.message] : []));
}

function sessionEventsOf(stub: HelpdeskStub): SidecarSessionEvent[] {
  return stub.received.flatMap((r) => (r.event.type === 'session' ? [r.event] : []));
}

describe('two sessions in one sidecar', () => {
  let running: TestSidecar;
  let stub: HelpdeskStub;
  let base = '';

  before(async () => {
    stub = new HelpdeskStub();
    await stub.start();
    running = await startTestSidecar({ env: { HELPDESK_WEBHOOK_URL: stub.url }, waitFor: 'connected' });
    base = running.sidecar.url;
    const created = await call(base, 'POST', '/api/sessions', { name: 'sales' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await running.sidecar.waitForState('connected', 5000, 'sales');
  });

  after(async () => {
    await running?.stop();
    await stub?.stop();
  });

  it('when both sessions receive a message at once, then each arrives once with its own session as channel', async () => {
    const main = running.phones.client('test');
    const sales = running.phones.client('sales');
    const toMain = fixtures.text('201001110101@c.us', 'to the main number');
    const toSales = fixtures.text('201001110102@c.us', 'to the sales number');
    main.emitMessage(toMain);
    sales.emitMessage(toSales);
    await waitFor(() => messagesOf(stub).length >= 2, 'both messages');
    const byId = new Map(messagesOf(stub).map((m) => [m.providerMessageId, m]));
    assert.equal(byId.get(toMain.id)?.channel, 'test');
    assert.equal(byId.get(toSales.id)?.channel, 'sales');
    const ids = stub.received.map((r) => r.event.eventId);
    assert.ok(ids.includes(`wppconnect:test:${toMain.id}`));
    assert.ok(ids.includes(`wppconnect:sales:${toSales.id}`));
  });

  it('when sending through each session, then only that session’s client sends (text, media) and answers its id', async () => {
    const main = running.phones.client('test');
    const sales = running.phones.client('sales');
    const before = { main: main.sent.length, sales: sales.sent.length };

    const viaSales = await call(base, 'POST', '/api/sessions/sales/send-message', {
      to: '01001234567',
      text: 'from sales',
    });
    assert.equal(viaSales.status, 201);
    const viaDefault = await call(base, 'POST', '/api/send-message', {
      to: '01001234567',
      text: 'from main',
    });
    assert.equal(viaDefault.status, 201);

    const form = new FormData();
    form.set('to', '+201001234567');
    form.set('type', 'document');
    form.set(
      'file',
      new Blob([Buffer.from('%PDF-1.4 price list')], { type: 'application/pdf' }),
      'prices.pdf',
    );
    const media = await fetch(`${base}/api/sessions/sales/send-media`, {
      method: 'POST',
      headers: { 'x-api-key': API_KEY },
      body: form,
    });
    assert.equal(media.status, 201);

    const salesSent = sales.sent.slice(before.sales);
    const mainSent = main.sent.slice(before.main);
    assert.deepEqual(
      salesSent.map((s) => [s.method, s.to]),
      [
        ['sendText', '201001234567@c.us'],
        ['sendFile', '201001234567@c.us'],
      ],
    );
    assert.equal(salesSent[0]!.content, 'from sales');
    assert.deepEqual((viaSales.body as { id: string }).id, salesSent[0]!.id);
    assert.deepEqual(
      mainSent.map((s) => [s.method, s.content]),
      [['sendText', 'from main']],
    );
    assert.equal((viaDefault.body as { id: string }).id, mainSent[0]!.id);

    const nowhere = await call(base, 'POST', '/api/sessions/nobody/send-message', {
      to: '01001234567',
      text: 'x',
    });
    assert.equal(nowhere.status, 404);
    assert.match(String((nowhere.body as { message: string }).message), /no session named "nobody"/);
  });

  it('when a session receives media, then it is offered at /api/media/:id and at /api/sessions/:name/media/:id', async () => {
    const sales = running.phones.client('sales');
    const image = fixtures.image('201001110103@c.us');
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('sales-number-jpeg')]);
    sales.setMedia(image.id, bytes);
    sales.emitMessage(image);
    const message = await waitFor(
      () => messagesOf(stub).find((m) => m.providerMessageId === image.id),
      'the image event',
    );
    const sha = createHash('sha256').update(bytes).digest('hex');
    assert.equal(message.channel, 'sales');
    assert.equal(message.media?.id, `${sha}.jpg`);
    assert.equal(message.media?.url, `${base}/api/media/${sha}.jpg`, 'the route the helpdesk fetches from');
    for (const route of [`/api/media/${sha}.jpg`, `/api/sessions/sales/media/${sha}.jpg`]) {
      const res = await fetch(`${base}${route}`, { headers: { 'x-api-key': API_KEY } });
      assert.equal(res.status, 200, route);
      assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);
    }
    const unknown = await fetch(`${base}/api/sessions/nobody/media/${sha}.jpg`, {
      headers: { 'x-api-key': API_KEY },
    });
    assert.equal(unknown.status, 404);
  });

  it('when one session’s browser crashes, then it reconnects alone and the other stays connected and sends', async () => {
    const main = running.phones.client('test');
    const sales = running.phones.client('sales');
    const mainChanges: SessionStatus[] = [];
    const onMain = (status: SessionStatus) => mainChanges.push(status);
    running.sidecar.session.on('state', onMain);
    const mainCreates = main.creates;
    const salesCreates = sales.creates;
    const salesStates: string[] = [];
    const onSales = (status: SessionStatus) => salesStates.push(status.state);
    running.sidecar.sessions.require('sales').manager.on('state', onSales);
    try {
      sales.emitStatus('browserClose');
      await running.sidecar.waitForState('disconnected', 5000, 'sales');
      // The crashed session is down: its sends answer 503 naming its own status route; the other sends.
      const down = await call(base, 'POST', '/api/sessions/sales/send-message', {
        to: '01001234567',
        text: 'x',
      });
      assert.equal(down.status, 503);
      assert.match(String((down.body as { message: string }).message), /GET \/api\/sessions\/sales/);
      const up = await call(base, 'POST', '/api/send-message', { to: '01001234567', text: 'still here' });
      assert.equal(up.status, 201);

      await running.sidecar.waitForState('connected', 5000, 'sales');
      assert.deepEqual(salesStates.slice(0, 1), ['disconnected']);
      assert.equal(sales.creates, salesCreates + 1, 'the crashed session launched again');
      assert.ok(sales.closed >= 1, 'its old client was closed');
      assert.equal(main.creates, mainCreates, 'the other session was not restarted');
      assert.deepEqual(mainChanges, [], 'the other session never changed state');
      assert.equal(running.sidecar.session.status().state, 'connected');
    } finally {
      running.sidecar.session.off('state', onMain);
      running.sidecar.sessions.require('sales').manager.off('state', onSales);
    }
  });

  it('when /metrics is scraped, then each session has its own state series', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    assert.match(text, /wpp_sidecar_session_state\{session="test",state="connected"\} 1/);
    assert.match(text, /wpp_sidecar_session_state\{session="sales",state="connected"\} 1/);
    assert.match(text, /wpp_sidecar_session_state\{session="sales",state="qr"\} 0/);
    const health = (await (await fetch(`${base}/health`)).json()) as {
      session: { state: string };
      sessions: Array<{ name: string; state: string }>;
    };
    assert.equal(health.session.state, 'connected');
    assert.deepEqual(
      health.sessions.map((s) => [s.name, s.state]),
      [
        ['test', 'connected'],
        ['sales', 'connected'],
      ],
    );
  });
});

describe('the sessions API', () => {
  let running: TestSidecar;
  let base = '';

  before(async () => {
    running = await startTestSidecar({ waitFor: 'connected' });
    base = running.sidecar.url;
  });

  after(async () => {
    await running?.stop();
  });

  it('when a session is created with a bad name or twice, then 400 naming "name" or 409, and nothing is made', async () => {
    for (const body of [
      {},
      { name: '' },
      { name: 'Sales' },
      { name: 'a'.repeat(33) },
      { name: 'x/y' },
      { name: 7 },
    ]) {
      const answer = await call(base, 'POST', '/api/sessions', body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.match(String((answer.body as { message: string }).message), /^"name" /, JSON.stringify(body));
    }
    assert.equal(
      (await call(base, 'POST', '/api/sessions', { name: 'test' })).status,
      409,
      'the default one',
    );
    const list = (await call(base, 'GET', '/api/sessions')).body as SessionBody[];
    assert.deepEqual(
      list.map((s) => s.name),
      ['test'],
    );
    assert.deepEqual(
      (await call(base, 'POST', '/api/sessions', { name: 'x/y' })).status,
      400,
      'never a path outside TOKENS_DIR',
    );
    assert.equal(existsSync(path.join(running.env.config.tokensDir, 'Sales')), false);
  });

  it('when a session is created, then it pairs: QR 200 while waiting for the scan, 409 once connected, listed with its phone', async () => {
    running.phones.behave('pharmacy-2', { pairing: true });
    const created = await call(base, 'POST', '/api/sessions', { name: 'pharmacy-2' });
    assert.equal(created.status, 201);
    const body = created.body as SessionBody;
    assert.equal(body.name, 'pharmacy-2');
    assert.ok(['starting', 'qr'].includes(body.state), body.state);
    assert.ok(existsSync(path.join(running.env.config.tokensDir, 'pharmacy-2')), 'its own profile dir');
    assert.equal((await call(base, 'POST', '/api/sessions', { name: 'pharmacy-2' })).status, 409);

    await running.sidecar.waitForState('qr', 5000, 'pharmacy-2');
    const waiting = (await call(base, 'GET', '/api/sessions/pharmacy-2')).body as SessionBody;
    assert.equal(waiting.state, 'qr');
    assert.equal(waiting.phone, null);
    assert.match(String(waiting.detail), /waiting for a scan/);
    const qr = await call(base, 'GET', '/api/sessions/pharmacy-2/qr-code');
    assert.equal(qr.status, 200);
    const code = qr.body as { qr: string; expiresAt: string };
    assert.match(code.qr, /^data:image\/png;base64,/);
    assert.ok(Date.parse(code.expiresAt) > Date.now());
    // The default session's own QR route is unchanged: it is connected, so no QR there.
    assert.equal((await call(base, 'GET', '/api/qr-code')).status, 404);

    running.phones.client('pharmacy-2').scan();
    await running.sidecar.waitForState('connected', 5000, 'pharmacy-2');
    const after = await call(base, 'GET', '/api/sessions/pharmacy-2/qr-code');
    assert.equal(after.status, 409);
    assert.match(String((after.body as { message: string }).message), /already connected/);

    const list = (await call(base, 'GET', '/api/sessions')).body as SessionBody[];
    assert.deepEqual(
      list.map((s) => [s.name, s.state]),
      [
        ['test', 'connected'],
        ['pharmacy-2', 'connected'],
      ],
    );
    const paired = list[1]!;
    assert.equal(paired.phone, `+${running.phones.client('pharmacy-2').wid.replace('@c.us', '')}`);
    assert.notEqual(paired.phone, list[0]!.phone, 'each session has its own number');
    assert.ok(!Number.isNaN(Date.parse(paired.since)));
    assert.equal(paired.detail, null);
  });

  it('when a session is logged out, then the phone is unlinked, the profile cleared and it pairs again', async () => {
    const client = running.phones.client('pharmacy-2');
    const profile = path.join(running.env.config.tokensDir, 'pharmacy-2');
    await writeFile(path.join(profile, 'Local State'), '{}');
    const states: string[] = [];
    const onState = (status: SessionStatus) => states.push(status.state);
    running.sidecar.sessions.require('pharmacy-2').manager.on('state', onState);
    const answer = await call(base, 'POST', '/api/sessions/pharmacy-2/logout');
    assert.equal(answer.status, 200);
    assert.ok(
      client.calls.some((c) => c.method === 'logout'),
      'WhatsApp logout called',
    );
    assert.equal(existsSync(path.join(profile, 'Local State')), false, 'the profile was cleared');
    await running.sidecar.waitForState('qr', 5000, 'pharmacy-2');
    assert.equal(states[0], 'logged_out');
    assert.equal((await call(base, 'GET', '/api/sessions/pharmacy-2/qr-code')).status, 200, 'a new QR');
    running.sidecar.sessions.require('pharmacy-2').manager.off('state', onState);
    assert.equal(running.sidecar.session.status().state, 'connected', 'the default session is untouched');
  });

  it('when a session is deleted, then tokens/<name> is removed, it is gone from the list, and its routes answer 404', async () => {
    const profile = path.join(running.env.config.tokensDir, 'pharmacy-2');
    running.phones.client('pharmacy-2').scan();
    await running.sidecar.waitForState('connected', 5000, 'pharmacy-2');
    const closedBefore = running.phones.client('pharmacy-2').closed;
    const deleted = await call(base, 'DELETE', '/api/sessions/pharmacy-2');
    assert.equal(deleted.status, 204);
    assert.equal(existsSync(profile), false, 'tokens/pharmacy-2 removed');
    assert.ok(running.phones.client('pharmacy-2').closed > closedBefore, 'its browser closed');
    assert.deepEqual(
      ((await call(base, 'GET', '/api/sessions')).body as SessionBody[]).map((s) => s.name),
      ['test'],
    );
    for (const [method, route] of [
      ['GET', '/api/sessions/pharmacy-2'],
      ['GET', '/api/sessions/pharmacy-2/qr-code'],
      ['POST', '/api/sessions/pharmacy-2/logout'],
      ['DELETE', '/api/sessions/pharmacy-2'],
    ] as const) {
      assert.equal((await call(base, method, route)).status, 404, `${method} ${route}`);
    }
    const refused = await call(base, 'DELETE', '/api/sessions/test');
    assert.equal(refused.status, 409, 'the default session stays');
    assert.match(String((refused.body as { message: string }).message), /default session/);
    // The name is free again.
    assert.equal((await call(base, 'POST', '/api/sessions', { name: 'pharmacy-2' })).status, 201);
  });

  it('when the sessions routes are called without the API key, then 401 and nothing happens', async () => {
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/api/sessions'],
      ['POST', '/api/sessions', { name: 'intruder' }],
      ['GET', '/api/sessions/test'],
      ['GET', '/api/sessions/test/qr-code'],
      ['POST', '/api/sessions/test/logout'],
      ['DELETE', '/api/sessions/test'],
      ['POST', '/api/sessions/test/send-message', { to: '01001234567', text: 'x' }],
      ['GET', `/api/sessions/test/media/${'a'.repeat(64)}.jpg`],
      ['GET', '/%61pi/sessions'],
      ['DELETE', '/%61pi/sessions/test'],
    ];
    for (const [method, route, body] of routes) {
      for (const key of [null, 'wrong-key-0123456789abcdef']) {
        const answer = await call(base, method, route, body, key);
        assert.equal(answer.status, 401, `${method} ${route} with key ${key}`);
      }
    }
    assert.equal(running.sidecar.sessions.get('intruder'), null);
    assert.equal(running.sidecar.session.status().state, 'connected');
    assert.equal(running.fake.sent.length, 0);
  });
});

describe('sessions restored at start', () => {
  it('when TOKENS_DIR holds profiles, then each becomes a session again (other entries are left alone), also after a restart', async () => {
    const running = await startTestSidecar({
      beforeStart: async (env) => {
        await mkdir(path.join(env.config.tokensDir, 'branch-2'), { recursive: true });
        await writeFile(path.join(env.config.tokensDir, 'branch-2', 'Local State'), '{}');
        await mkdir(path.join(env.config.tokensDir, 'Not A Session'), { recursive: true });
        await writeFile(path.join(env.config.tokensDir, 'notes.txt'), 'not a profile');
      },
    });
    try {
      await running.sidecar.waitForState('connected', 5000, 'branch-2');
      await running.sidecar.waitForState('connected', 5000);
      const base = running.sidecar.url;
      const names = () =>
        call(base, 'GET', '/api/sessions').then((a) => (a.body as SessionBody[]).map((s) => s.name));
      assert.deepEqual(await names(), ['test', 'branch-2']);
      assert.equal(running.phones.client('branch-2').creates, 1);
      assert.equal(
        running.phones.client('branch-2').calls.filter((c) => c.method === 'logout').length,
        0,
        'restored, not paired again',
      );

      assert.equal((await call(base, 'POST', '/api/sessions', { name: 'added-later' })).status, 201);
      await running.sidecar.waitForState('connected', 5000, 'added-later');
      const restarted = await running.restart();
      await restarted.waitForState('connected', 5000, 'added-later');
      await restarted.waitForState('connected', 5000, 'branch-2');
      assert.deepEqual(
        await call(restarted.url, 'GET', '/api/sessions').then((a) =>
          (a.body as SessionBody[]).map((s) => s.name),
        ),
        ['test', 'added-later', 'branch-2'],
      );
      assert.ok(
        existsSync(path.join(running.env.config.tokensDir, 'branch-2', 'Local State')),
        'profile kept',
      );
    } finally {
      await running.stop();
    }
  });
});

describe('session events to the helpdesk', () => {
  /** Runs `test` against a sidecar (default session connected) whose helpdesk is a stub, then stops both. */
  const withHelpdeskStub = async (
    test: (stub: HelpdeskStub, running: TestSidecar) => Promise<void>,
  ): Promise<void> => {
    const stub = new HelpdeskStub();
    await stub.start();
    const running = await startTestSidecar({
      env: { HELPDESK_WEBHOOK_URL: stub.url },
      sessionEvents: true,
      waitFor: 'connected',
    });
    try {
      await test(stub, running);
    } finally {
      await running.stop();
      await stub.stop();
    }
  };

  it('when sessions change state, then each change reaches the helpdesk as a signed `session` event in the contract’s form', async () => {
    await withHelpdeskStub(async (stub, running) => {
      const base = running.sidecar.url;
      await waitFor(
        () => sessionEventsOf(stub).some((e) => e.channel === 'test' && e.state === 'connected'),
        'the default session connected',
      );
      running.phones.behave('sales', { pairing: true });
      assert.equal((await call(base, 'POST', '/api/sessions', { name: 'sales' })).status, 201);
      await running.sidecar.waitForState('qr', 5000, 'sales');
      running.phones.client('sales').scan();
      await running.sidecar.waitForState('connected', 5000, 'sales');
      await waitFor(
        () => sessionEventsOf(stub).some((e) => e.channel === 'sales' && e.state === 'connected'),
        'sales connected',
      );
      assert.equal((await call(base, 'DELETE', '/api/sessions/sales')).status, 204);
      await waitFor(
        () => sessionEventsOf(stub).some((e) => e.channel === 'sales' && e.state === 'logged_out'),
        'sales deleted',
      );

      const sales = sessionEventsOf(stub).filter((e) => e.channel === 'sales');
      assert.deepEqual(
        sales.map((e) => e.state),
        ['starting', 'qr', 'starting', 'connected', 'logged_out'],
        'in order',
      );
      const connected = sales.find((e) => e.state === 'connected')!;
      assert.equal(connected.phone, `+${running.phones.client('sales').wid.replace('@c.us', '')}`);
      assert.equal(sales.find((e) => e.state === 'qr')!.phone, null);
      assert.equal(sales.at(-1)!.detail, 'session deleted');
      const main = sessionEventsOf(stub).find((e) => e.channel === 'test' && e.state === 'connected')!;
      assert.equal(main.phone, '+201000000000');
      for (const event of sessionEventsOf(stub)) {
        assert.ok(!Number.isNaN(Date.parse(event.since)));
        assert.equal(event.eventId, `wppconnect:${event.channel}:session:${event.since}:${event.state}`);
        assert.ok(sidecarWebhookEventSchema.safeParse(event).success, 'the emitted form');
        assert.ok(webhookEventSchema.safeParse(event).success, 'accepted by the helpdesk’s schema');
      }
    });
  });
  it('when a scan completes within the millisecond its QR appeared, then every change still reaches the helpdesk, each with its own id', async () => {
    await withHelpdeskStub(async (stub, running) => {
      running.phones.behave('quick', { pairing: true });
      // Scan as soon as the QR is shown: starting, qr and starting again fall within one millisecond.
      running.sidecar.sessions.on('state', (status: { session: string; state: string }) => {
        if (status.session === 'quick' && status.state === 'qr') {
          queueMicrotask(() => running.phones.client('quick').scan());
        }
      });
      assert.equal((await call(running.sidecar.url, 'POST', '/api/sessions', { name: 'quick' })).status, 201);
      await running.sidecar.waitForState('connected', 5000, 'quick');
      await waitFor(
        () => sessionEventsOf(stub).some((e) => e.channel === 'quick' && e.state === 'connected'),
        'quick connected',
      );
      const quick = sessionEventsOf(stub).filter((e) => e.channel === 'quick');
      assert.deepEqual(
        quick.map((e) => e.state),
        ['starting', 'qr', 'starting', 'connected'],
        'no change lost',
      );
      assert.equal(new Set(quick.map((e) => e.eventId)).size, quick.length, 'one id per change');
      const times = quick.map((e) => Date.parse(e.since));
      assert.ok(
        times.every((time, i) => i === 0 || time > times[i - 1]!),
        `each change later than the one before: ${quick.map((e) => e.since).join(', ')}`,
      );
    });
  });
});
