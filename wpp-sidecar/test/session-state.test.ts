/**
 * A sidecar that says what is wrong, with the fake WPPConnect client (WhatsApp Web cannot be reached from
 * here; the real-Chromium run is chromium-smoke.test.ts):
 * - a start that fails the way the real one does when WhatsApp Web is unreachable (WPPConnect's
 *   `statusFind('browserClose')` first, then `create()` rejecting with puppeteer's
 *   `net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com`, as measured with WPPConnect 2.3.3 and
 *   Debian's Chromium) is state `error` with that cause and what to do, one log line per attempt with its
 *   number and the next delay, and words on the terminal once per kind of failure;
 * - a browser that closes while `create()` never settles fails the attempt after a grace;
 * - `GET /ready`, `GET /health` (Redis), `POST /api/sessions/:name/restart`, the QR routes and the 503
 *   `not_connected` message of the per-session routes.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { startSidecar, type RunningSidecar } from '../src/app';
import { createLogger } from '../src/logger';
import type { ClientFactory, ClientFactoryOptions } from '../src/session/client';
import { SessionManager, type SessionStatus } from '../src/session/session-manager';
import { createWppconnectFactory, launchErrorLine } from '../src/session/wppconnect-client-factory';
import { FakeWhatsApp, FakeWppClient } from './fake-wppconnect-client';
import { API_KEY, testEnv, waitFor, type TestEnv } from './helpers';
import { startTestSidecar, type TestSidecar } from './test-sidecar';

/** What puppeteer's `page.goto` rejects with when the name does not resolve (WPPConnect passes it on). */
const DNS_FAILURE = 'net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com';

/** A pino destination that keeps every line, parsed. */
function captureLogs(): { lines: Array<Record<string, unknown>>; logger: ReturnType<typeof createLogger> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger('debug', {
    write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { lines, logger };
}

/**
 * Fails every attempt as the real WPPConnect does with WhatsApp Web unreachable: the browser's
 * `disconnected` (statusFind `browserClose`) comes first, the rejection with the real cause ~150 ms later.
 */
function unreachableFactory(counter: { creates: number }, message = DNS_FAILURE): ClientFactory {
  return async (options) => {
    counter.creates++;
    options.onStatus('browserClose');
    await new Promise((resolve) => setTimeout(resolve, 30));
    throw new Error(message);
  };
}

async function call(
  base: string,
  method: string,
  route: string,
  key: string | null = API_KEY,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = key === null ? {} : { 'x-api-key': key };
  const res = await fetch(`${base}${route}`, { method, headers });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe('a session that cannot start says why', () => {
  let tmp: string;
  let manager: SessionManager | null = null;

  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'wpp-sidecar-state-'));
  });

  afterEach(async () => {
    await manager?.stop();
    manager = null;
  });

  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  function newManager(factory: ClientFactory, extra: { lossGraceMs?: number } = {}) {
    const { lines, logger } = captureLogs();
    const printed: string[] = [];
    const states: SessionStatus[] = [];
    manager = new SessionManager({
      session: 'shop',
      profileDir: path.join(tmp, 'shop'),
      factory,
      reconnect: { baseMs: 40, maxMs: 80 },
      settleTimeoutMs: 2000,
      logger,
      onClient: () => undefined,
      printProblem: (text) => printed.push(text),
      ...extra,
    });
    manager.on('state', (s: SessionStatus) => states.push(s));
    return { manager, lines, printed, states };
  }

  it('when WhatsApp Web is unreachable (browserClose, then the DNS error), then state error with the real cause, one log line per attempt and words once', async () => {
    const counter = { creates: 0 };
    const { manager, lines, printed, states } = newManager(unreachableFactory(counter));
    void manager.start();
    await waitFor(() => counter.creates >= 3 && manager.status().state === 'error', 'three failed attempts');

    const status = manager.status();
    assert.equal(status.state, 'error');
    assert.equal(status.lastError, DNS_FAILURE);
    assert.match(
      String(status.detail),
      /^cannot reach web\.whatsapp\.com: its name does not resolve \(net::ERR_NAME_NOT_RESOLVED at https:\/\/web\.whatsapp\.com\)\. What to do: check this machine's DNS and Internet access .*HTTPS_PROXY/,
    );
    assert.ok(status.attempt >= 3, `attempt ${status.attempt}`);
    assert.ok(status.nextAttemptAt && Date.parse(status.nextAttemptAt) > Date.parse(status.since));
    // Never the old loop on a bare "connection lost: browserClose".
    assert.ok(!states.some((s) => s.state === 'disconnected'), JSON.stringify(states.map((s) => s.state)));
    assert.ok(!states.some((s) => /connection lost/.test(String(s.detail))));

    // One line per attempt at info or above, at error level, numbered, with the next delay.
    const loud = lines.filter((l) => Number(l.level) >= 30);
    const failures = loud.filter((l) => /start attempt \d+ failed/.test(String(l.msg)));
    assert.deepEqual(
      failures.slice(0, 3).map((l) => [l.level, l.attempt, l.nextAttemptInMs, l.cause, l.problem]),
      [
        [50, 1, 40, DNS_FAILURE, 'dns'],
        [50, 2, 80, DNS_FAILURE, 'dns'],
        [50, 3, 80, DNS_FAILURE, 'dns'],
      ],
    );
    assert.match(
      String(failures[0]!.msg),
      /^session "shop": start attempt 1 failed: cannot reach web\.whatsapp\.com: its name does not resolve \(net::ERR_NAME_NOT_RESOLVED at https:\/\/web\.whatsapp\.com\); next attempt in 40 ms\. What to do: check this machine's DNS/,
    );
    const attemptsSeen = new Set(failures.map((l) => l.attempt));
    assert.equal(
      loud.length,
      failures.length,
      `only the attempt lines: ${JSON.stringify(loud.map((l) => l.msg))}`,
    );
    assert.ok(attemptsSeen.size === failures.length, 'one line per attempt');

    // The terminal: what to do, in words, once for this kind of failure.
    assert.equal(printed.length, 1, printed.join('\n---\n'));
    assert.match(printed[0]!, /WhatsApp session "shop" cannot start: cannot reach web\.whatsapp\.com/);
    assert.match(printed[0]!, /What to do: check this machine's DNS and Internet access/);
    assert.match(printed[0]!, /GET \/api\/sessions\/shop/);
  });

  it('when the kind of failure changes, then the terminal is told again', async () => {
    let creates = 0;
    const { manager, printed } = newManager(async () => {
      creates++;
      throw new Error(
        creates <= 2 ? DNS_FAILURE : 'Browser was not found at the configured executablePath (/opt/none)',
      );
    });
    void manager.start();
    await waitFor(() => creates >= 4, 'four attempts');
    await waitFor(() => printed.length >= 2, 'a second notice');
    assert.equal(printed.length, 2);
    assert.match(printed[1]!, /Chromium is not installed where PUPPETEER_EXECUTABLE_PATH says/);
    assert.match(String(manager.status().detail), /PUPPETEER_EXECUTABLE_PATH/);
  });

  it('when the browser closes while create() never settles, then the attempt fails after the grace and the next one connects', async () => {
    const fake = new FakeWppClient();
    const connect = fake.factory();
    let creates = 0;
    const factory: ClientFactory = (options: ClientFactoryOptions) => {
      creates++;
      if (creates > 1) return connect(options);
      options.onStatus('browserClose');
      return new Promise((_resolve, reject) => {
        options.signal.addEventListener('abort', () => reject(new Error('session start aborted')), {
          once: true,
        });
      });
    };
    const { manager, states, lines } = newManager(factory, { lossGraceMs: 60 });
    void manager.start();
    await waitFor(() => manager.status().state === 'connected', 'connected on the second attempt', 5000);
    const error = states.find((s) => s.state === 'error');
    assert.ok(error, JSON.stringify(states.map((s) => s.state)));
    assert.equal(error.lastError, 'Chromium closed while starting (browserClose)');
    assert.match(String(error.detail), /Chromium closed unexpectedly .*What to do: check the memory/);
    assert.equal(creates, 2);
    const failures = lines.filter((l) => /start attempt \d+ failed/.test(String(l.msg)));
    assert.equal(failures.length, 1);
    assert.equal(manager.status().attempt, 0);
    assert.equal(manager.status().detail, null);
  });

  it('when the browser reported a cause and create() then rejects generically, then both are reported', async () => {
    let creates = 0;
    const { manager } = newManager(async (options) => {
      creates++;
      options.onCause?.('net::ERR_CONNECTION_REFUSED at https://web.whatsapp.com');
      throw new Error('Protocol error (Page.navigate): Target closed');
    });
    void manager.start();
    await waitFor(() => creates >= 1 && manager.status().state === 'error', 'the failure');
    const status = manager.status();
    assert.equal(
      status.lastError,
      'net::ERR_CONNECTION_REFUSED at https://web.whatsapp.com (then: Protocol error (Page.navigate): Target closed)',
    );
    assert.match(String(status.detail), /connection was refused, reset or timed out.*port 443/);
  });
});

describe('Chromium that does not start', () => {
  it('when PUPPETEER_EXECUTABLE_PATH names no Chromium, then the real factory fails with a state error naming the variable', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'wpp-sidecar-nochrome-'));
    const { logger } = captureLogs();
    const manager = new SessionManager({
      session: 'shop',
      profileDir: path.join(tmp, 'shop'),
      factory: createWppconnectFactory({
        chromiumPath: '/nonexistent/chromium',
        closeTimeoutMs: 1000,
        logger,
      }),
      reconnect: { baseMs: 60_000, maxMs: 60_000 },
      settleTimeoutMs: 2000,
      logger,
      onClient: () => undefined,
    });
    try {
      await manager.start();
      const status = manager.status();
      assert.equal(status.state, 'error');
      assert.equal(
        status.lastError,
        'Browser was not found at the configured executablePath (/nonexistent/chromium)',
      );
      assert.match(
        String(status.detail),
        /^Chromium is not installed where PUPPETEER_EXECUTABLE_PATH says .*apt-get install chromium/,
      );
    } finally {
      await manager.stop();
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it("when Chromium exits at launch, then the cause is puppeteer's first line and Chromium's own message", () => {
    // puppeteer 24's message for an executable that is not Chromium (`/usr/bin/env`), as measured.
    const message =
      "Failed to launch the browser process:  Code: 125\n\nstderr:\n/usr/bin/env: unrecognized option '--allow-pre-commit-input'\nTry '/usr/bin/env --help' for more information.\n\nTROUBLESHOOTING: https://pptr.dev/troubleshooting\n";
    assert.equal(
      launchErrorLine(message, '/usr/bin/env'),
      "Failed to launch the browser process:  Code: 125 (/usr/bin/env) — /usr/bin/env: unrecognized option '--allow-pre-commit-input'",
    );
  });
});

describe('readiness, health, restart and the per-session answers over HTTP', () => {
  let running: TestSidecar;
  let base = '';

  before(async () => {
    running = await startTestSidecar({ waitFor: 'connected' });
    base = running.sidecar.url;
  });

  after(async () => {
    await running?.stop();
  });

  it('when the session is connected, then /ready answers 200 without a key and /health 200 with Redis ok', async () => {
    const ready = await call(base, 'GET', '/ready', null);
    assert.equal(ready.status, 200);
    assert.deepEqual(
      { ...ready.body, since: undefined },
      {
        ready: true,
        session: 'test',
        state: 'connected',
        since: undefined,
        detail: null,
        attempt: 0,
        nextAttemptAt: null,
      },
    );
    assert.ok(!('phone' in ready.body), 'no phone number on an open route');
    const health = await call(base, 'GET', '/health', null);
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'ok');
    assert.deepEqual(health.body.redis, { ok: true, detail: null });
    assert.deepEqual(health.body.problems, []);
  });

  it('when /ready names a session, then that one is answered; an unknown one is 404, a repeated parameter 400', async () => {
    const phones = running.phones;
    phones.behave('sales', { pairing: true });
    const created = await fetch(`${base}/api/sessions`, {
      method: 'POST',
      headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'sales' }),
    });
    assert.equal(created.status, 201);
    await running.sidecar.waitForState('qr', 5000, 'sales');
    const sales = await call(base, 'GET', '/ready?session=sales', null);
    assert.equal(sales.status, 503);
    assert.equal(sales.body.ready, false);
    assert.equal(sales.body.state, 'qr');
    assert.match(String(sales.body.detail), /waiting for a scan/);
    const unknown = await call(base, 'GET', '/ready?session=nobody', null);
    assert.equal(unknown.status, 404);
    assert.match(String(unknown.body.message), /no session named "nobody"/);
    const twice = await call(base, 'GET', '/ready?session=a&session=b', null);
    assert.equal(twice.status, 400);
    assert.match(String(twice.body.message), /"session"/);

    // The per-session send route of a session that is not connected names that session and its state.
    const send = await fetch(`${base}/api/sessions/sales/send-message`, {
      method: 'POST',
      headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ to: '+201001234567', text: 'hello' }),
    });
    assert.equal(send.status, 503);
    const body = (await send.json()) as { error: string; message: string };
    assert.equal(body.error, 'not_connected');
    assert.match(
      body.message,
      /^WhatsApp session "sales" is not connected \(state qr: waiting for a scan \(QR attempt 1\)\); see GET \/api\/sessions\/sales$/,
    );
  });

  it('when a connected session is restarted, then 200 starting, its browser is closed and it connects again; 404 unknown, 401 without the key', async () => {
    const before = running.fake.creates;
    const closed = running.fake.closed;
    const restarted = await call(base, 'POST', '/api/sessions/test/restart');
    assert.equal(restarted.status, 200, JSON.stringify(restarted.body));
    assert.equal(restarted.body.name, 'test');
    assert.equal(restarted.body.state, 'starting');
    assert.ok([0, 1].includes(Number(restarted.body.attempt)), 'the count starts again');
    await running.sidecar.waitForState('connected');
    assert.equal(running.fake.creates, before + 1);
    assert.equal(running.fake.closed, closed + 1);
    assert.equal((await call(base, 'POST', '/api/sessions/nobody/restart')).status, 404);
    assert.equal((await call(base, 'POST', '/api/sessions/test/restart', null)).status, 401);
  });
});

describe('a default session that cannot reach WhatsApp Web, over HTTP', () => {
  let env: TestEnv;
  let sidecar: RunningSidecar;
  let base = '';
  const counter = { creates: 0 };

  before(async () => {
    // A long backoff: the session stays in `error` while the test looks, and a restart must not wait for it.
    env = await testEnv({ RECONNECT_BASE_MS: '60000', RECONNECT_MAX_MS: '60000' });
    sidecar = await startSidecar({
      config: env.config,
      clientFactory: unreachableFactory(counter),
      printQrToTerminal: false,
      sessionEvents: false,
    });
    base = sidecar.url;
    await sidecar.waitForState('error');
  });

  after(async () => {
    await sidecar?.stop();
    await env?.cleanup();
  });

  it('then /api/status and /api/sessions/:name say error with the cause, /ready 503 with it, /health 200', async () => {
    const status = await call(base, 'GET', '/api/status');
    assert.equal(status.status, 200);
    assert.equal(status.body.state, 'error');
    assert.equal(status.body.lastError, DNS_FAILURE);
    assert.match(
      String(status.body.detail),
      /cannot reach web\.whatsapp\.com.*What to do: check this machine's DNS/,
    );
    assert.equal(status.body.attempt, 1);
    assert.ok(Date.parse(String(status.body.nextAttemptAt)) > Date.now() + 50_000);
    const session = await call(base, 'GET', '/api/sessions/test');
    assert.equal(session.body.state, 'error');
    assert.equal(session.body.detail, status.body.detail);
    const ready = await call(base, 'GET', '/ready', null);
    assert.equal(ready.status, 503);
    assert.equal(ready.body.state, 'error');
    assert.equal(ready.body.detail, status.body.detail);
    const health = await call(base, 'GET', '/health', null);
    assert.equal(health.status, 200, 'the process can serve');
    assert.equal((health.body.session as { state: string }).state, 'error');
  });

  it('then the QR routes say the real state and why, not "retry in a few seconds"', async () => {
    const qr = await call(base, 'GET', '/api/qr-code');
    assert.equal(qr.status, 404);
    assert.match(
      String(qr.body.message),
      /^no QR code: session "test" cannot start \(state error since .*\): cannot reach web\.whatsapp\.com/,
    );
    assert.doesNotMatch(String(qr.body.message), /retry in a few seconds/);
    const named = await call(base, 'GET', '/api/sessions/test/qr-code');
    assert.equal(named.status, 409);
    assert.equal(named.body.message, qr.body.message);
  });

  it('then a send through /api/sessions/<default>/… answers 503 naming GET /api/sessions/<name>, the single-session route GET /api/status', async () => {
    const post = (route: string) =>
      fetch(`${base}${route}`, {
        method: 'POST',
        headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ to: '+201001234567', text: 'hello' }),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as { message: string } }));
    const named = await post('/api/sessions/test/send-message');
    assert.equal(named.status, 503);
    assert.match(
      named.body.message,
      /^WhatsApp session "test" is not connected \(state error: cannot reach web\.whatsapp\.com.*\); see GET \/api\/sessions\/test$/,
    );
    assert.doesNotMatch(named.body.message, /GET \/api\/status/);
    const single = await post('/api/send-message');
    assert.equal(single.status, 503);
    assert.match(single.body.message, /see GET \/api\/status$/);
  });

  it('then a restart tries again at once (attempt 1 again) instead of waiting for the backoff', async () => {
    const before = counter.creates;
    const restarted = await call(base, 'POST', '/api/sessions/test/restart');
    assert.equal(restarted.status, 200);
    assert.equal(restarted.body.state, 'starting');
    assert.equal(restarted.body.detail, null, 'the old failure is forgotten');
    await waitFor(() => counter.creates === before + 1, 'a new attempt now', 3000);
    await sidecar.waitForState('error');
    assert.equal((await call(base, 'GET', '/api/status')).body.attempt, 1);
  });
});

describe('/health when the outbox Redis does not answer', () => {
  it('then 503 naming REDIS_URL, while /ready still says the session is connected', async () => {
    // Nothing listens on port 1 of loopback: connections are refused at once.
    const env = await testEnv({ REDIS_URL: 'redis://127.0.0.1:1' });
    const phones = new FakeWhatsApp();
    const sidecar = await startSidecar({
      config: env.config,
      clientFactory: phones.factory(),
      printQrToTerminal: false,
      sessionEvents: false,
    });
    try {
      await sidecar.waitForState('connected');
      const health = await waitFor(async () => {
        const answer = await call(sidecar.url, 'GET', '/health', null);
        return answer.status === 503 ? answer : null;
      }, 'a 503');
      assert.equal(health.body.status, 'unavailable');
      assert.deepEqual((health.body.redis as { ok: boolean }).ok, false);
      assert.match(
        String((health.body.problems as string[])[0]),
        /^Redis \(REDIS_URL\) does not answer: .*ECONNREFUSED.*events from WhatsApp wait in memory/,
      );
      assert.equal((await call(sidecar.url, 'GET', '/ready', null)).status, 200);
    } finally {
      await sidecar.stop();
      await rm(env.tmp, { recursive: true, force: true });
    }
  });
});
