/**
 * Test helpers: a unique config per test (own BullMQ prefix, temp dirs, port 0), a stand-in helpdesk that
 * verifies the webhook signature like the real one, Redis cleanup, and polling.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config';
import type { SidecarConfig } from '../src/config';
import type { SidecarWebhookEvent } from '@whatsapp-helpdesk/contract/sidecar-events';

export const API_KEY = 'test-api-key-0123456789abcdef';
export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';

export interface TestEnv {
  config: SidecarConfig;
  tmp: string;
  cleanup(): Promise<void>;
}

/** A config with its own temp dirs and Redis prefix. `env` overrides variables. */
export async function testEnv(env: Record<string, string> = {}): Promise<TestEnv> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'wpp-sidecar-test-'));
  const prefix = `wpp-sidecar-test-${randomBytes(6).toString('hex')}`;
  const config = loadConfig({
    SIDECAR_HOST: '127.0.0.1',
    SIDECAR_PORT: '0',
    SIDECAR_API_KEY: API_KEY,
    SIDECAR_WEBHOOK_SECRET: WEBHOOK_SECRET,
    HELPDESK_WEBHOOK_URL: 'http://127.0.0.1:9/unused',
    SESSION_NAME: 'test',
    TOKENS_DIR: path.join(tmp, 'tokens'),
    UPLOADS_DIR: path.join(tmp, 'uploads'),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    OUTBOX_PREFIX: prefix,
    OUTBOX_BACKOFF_BASE_MS: '20',
    OUTBOX_BACKOFF_MAX_MS: '200',
    OUTBOX_MAX_ATTEMPTS: '1000',
    WEBHOOK_TIMEOUT_MS: '2000',
    RECONNECT_BASE_MS: '50',
    RECONNECT_MAX_MS: '500',
    BROWSER_CLOSE_TIMEOUT_MS: '3000',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  return {
    config,
    tmp,
    cleanup: async () => {
      await deleteRedisPrefix(config.redisUrl, prefix);
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

/** Delete every Redis key under `<prefix>:`. */
export async function deleteRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface ReceivedWebhook {
  event: SidecarWebhookEvent;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** A stand-in helpdesk: verifies `X-Webhook-Signature` over `<ts>.<body>` and the 5-minute window. */
export class HelpdeskStub {
  readonly received: ReceivedWebhook[] = [];
  readonly rejected: Array<{ status: number; reason: string }> = [];
  /** Status to answer for the next accepted request (default 202); a function for per-request control. */
  respond: (event: SidecarWebhookEvent) => number = () => 202;
  /** Checks a signed body before `respond` (e.g. the helpdesk's size and schema rules); non-null refuses it. */
  check: ((rawBody: string) => { status: number; reason: string } | null) | null = null;
  url = '';
  private server: Server | null = null;

  constructor(private readonly secret: string = WEBHOOK_SECRET) {}

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const reason = this.verify(req.headers, rawBody);
        if (reason) {
          this.rejected.push({ status: 401, reason });
          res.writeHead(401).end(JSON.stringify({ error: 'unauthorized', message: reason }));
          return;
        }
        const refused = this.check?.(rawBody) ?? null;
        if (refused) {
          this.rejected.push(refused);
          res.writeHead(refused.status).end(JSON.stringify({ error: 'refused', message: refused.reason }));
          return;
        }
        const event = JSON.parse(rawBody) as SidecarWebhookEvent;
        const status = this.respond(event);
        if (status >= 200 && status < 300) this.received.push({ event, headers: req.headers, rawBody });
        res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    const address = this.server.address();
    const actual = typeof address === 'object' && address ? address.port : port;
    this.url = `http://127.0.0.1:${actual}/webhooks/wppconnect`;
    return this.url;
  }

  /** Port the stub listens on (to restart on the same port). */
  get port(): number {
    return Number(new URL(this.url).port);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private verify(headers: IncomingHttpHeaders, rawBody: string): string | null {
    const ts = Number(headers['x-webhook-timestamp']);
    const sig = String(headers['x-webhook-signature'] ?? '');
    if (!Number.isInteger(ts)) return 'missing timestamp';
    if (Math.abs(Date.now() / 1000 - ts) > 300) return 'stale timestamp';
    if (headers['content-type'] !== 'application/json') return 'wrong content-type';
    const expected = `sha256=${createHmac('sha256', this.secret).update(`${ts}.${rawBody}`).digest('hex')}`;
    const a = Buffer.from(sig);
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return 'bad signature';
    return null;
  }
}

/** Poll `check` every 20 ms until it returns truthy; throws after `timeoutMs` with `what`. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
