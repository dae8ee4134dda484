/**
 * Runs a real helpdesk for a test: its own migrated PostgreSQL database, its own Redis key prefix,
 * the real HTTP server on a loopback port and real BullMQ workers (in this process, or as separate
 * `main.ts worker` processes), talking to a stand-in sidecar, or with `provider: 'cloud'` to a
 * stand-in Graph API (Meta's WhatsApp Cloud API).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config';
import { addAgent } from '../../src/use-cases/agents/create-agent';
import { setAvailability } from '../../src/use-cases/agents/set-availability';
import { ensureConfiguredChannel } from '../../src/use-cases/channels/ensure-configured-channel';
import { applyDeploymentBusinessHours } from '../../src/use-cases/sla/apply-deployment-business-hours';
import { createContext, type Context } from '../../src/context';
import { startApi, type RunningApi } from '../../src/http/server';
import { createLogger, type Logger } from '../../src/infra/logger';
import { startContextWorkers, type Workers } from '../../src/jobs/workers';
import type { InboundJob } from '../../src/whatsapp/inbound-event';
import { hmacSha256Hex } from '../../src/whatsapp/webhook-signature';
import { createTestDatabase, query, type TestDatabase } from './database';
import { programArguments } from './programs';
import { APP_SECRET, hubSignature, PHONE_NUMBER_ID, VERIFY_TOKEN } from './cloud-payloads';
import { startStandInGraphApi, type StandInGraphApi } from './stand-in-graph-api';
import { startStandInSidecar, type StandInSidecar } from './stand-in-sidecar';
import { photoEvent, PIXEL_PNG, textEvent } from './sidecar-events';

export { photoEvent, PIXEL_PNG, textEvent };

export const HELPDESK_DIR = fileURLToPath(new URL('../../', import.meta.url));
/** Preloaded into the worker processes a test starts: they exit when the test's process is gone. */
const EXIT_WITH_PARENT = pathToFileURL(join(HELPDESK_DIR, 'test/support/exit-with-parent.mjs')).href;
export const WEBHOOK_SECRET = 'webhook-test-secret-0123456789abcdef';
/** CHANNEL_SECRETS_KEY of the test helpdesks (keys the channels' secrets at rest). */
export const CHANNEL_SECRETS_KEY = 'channel-secrets-test-key-7Qm2vX9pL4sR8tW1yZ3bN6cF0hJ5kD';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestHelpdesk {
  url: string;
  /** The API's listening Node server. */
  server: RunningApi['server'];
  env: Record<string, string>;
  context: Context;
  database: TestDatabase;
  sidecar: StandInSidecar;
  /** The stand-in Graph API when the provider is `cloud`, else null. */
  graph: StandInGraphApi | null;
  uploadsDir: string;
  /** Signs and posts a body to /webhooks/wppconnect as the sidecar does. */
  postWppconnect(
    body: unknown,
    options?: { secret?: string; timestamp?: number; rawBody?: string },
  ): Promise<Response>;
  /**
   * Posts a body to /webhooks/whatsapp-cloud signed as Meta signs it (`X-Hub-Signature-256`).
   * @param options.rawBody the exact bytes to send (signed as they are) instead of JSON of `body`;
   *   options.signature a header value to send instead of the right one (null: no header).
   */
  postCloud(
    body: unknown,
    options?: { secret?: string; rawBody?: string; signature?: string | null },
  ): Promise<Response>;
  /** Starts a worker as its own process (`main.ts worker`). */
  startWorkerProcess(extraEnv?: Record<string, string>): ChildProcess;
  /** Runs the admin CLI against this helpdesk's database (asynchronously: in-process workers keep running). */
  cli(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

export interface TestHelpdeskOptions {
  /** A database prepared elsewhere (e.g. on a private PostgreSQL); dropped by `stop()`. */
  database?: TestDatabase;
  /** `stop()` leaves the database (a test starts the helpdesk again on it, then drops it). */
  keepDatabase?: boolean;
  /** Run workers inside the test process (default true). */
  inProcessWorkers?: boolean;
  env?: Record<string, string>;
  /** The WhatsApp provider (default wppconnect); `cloud` starts a stand-in Graph API. */
  provider?: 'wppconnect' | 'cloud';
  /** The root logger (default: pino at LOG_LEVEL, silent unless TEST_LOG_LEVEL is set). */
  log?: Logger;
}

/** Starts everything; call `stop()` in an `after` hook. */
export async function startTestHelpdesk(options: TestHelpdeskOptions = {}): Promise<TestHelpdesk> {
  const database = options.database ?? (await createTestDatabase());
  const sidecar = await startStandInSidecar();
  const graph =
    options.provider === 'cloud' ? await startStandInGraphApi({ phoneNumberId: PHONE_NUMBER_ID }) : null;
  const uploadsDir = await mkdtemp(join(tmpdir(), 'helpdesk-uploads-'));
  const queuePrefix = `test-${randomBytes(5).toString('hex')}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '5',
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    HELPDESK_HOST: '127.0.0.1',
    HELPDESK_PORT: '0',
    WHATSAPP_PROVIDER: 'wppconnect',
    DEFAULT_COUNTRY: 'EG',
    SIDECAR_URL: sidecar.url,
    SIDECAR_API_KEY: sidecar.apiKey,
    SIDECAR_WEBHOOK_SECRET: WEBHOOK_SECRET,
    CHANNEL_SECRETS_KEY,
    // The stand-in sidecar's default session: the configured channel.
    SESSION_NAME: 'pharmacy',
    UPLOADS_DIR: uploadsDir,
    JOB_BACKOFF_MS: '200',
    JOB_LOCK_MS: '2000',
    // Agents put online without a console stay online for the test (presence tests set a short grace).
    AGENT_PRESENCE_GRACE_MS: '86400000',
    ...(graph
      ? {
          WHATSAPP_PROVIDER: 'cloud',
          CLOUD_API_BASE_URL: graph.url,
          CLOUD_API_VERSION: graph.version,
          CLOUD_API_TOKEN: graph.token,
          CLOUD_API_PHONE_NUMBER_ID: graph.phoneNumberId,
          CLOUD_API_APP_SECRET: APP_SECRET,
          CLOUD_API_VERIFY_TOKEN: VERIFY_TOKEN,
          CLOUD_API_TIMEOUT_MS: '5000',
        }
      : {}),
    ...options.env,
  };
  const config = loadConfig(env);
  const context = createContext(config, options.log ?? createLogger(config.logLevel));
  // As main.ts does before listening: the channel the environment describes.
  await ensureConfiguredChannel(context);
  await applyDeploymentBusinessHours(context);
  const api: RunningApi = await startApi(context);
  const workers: Workers | null = options.inProcessWorkers === false ? null : startContextWorkers(context);
  const children: ChildProcess[] = [];

  return {
    url: api.url,
    server: api.server,
    env,
    context,
    database,
    sidecar,
    graph,
    uploadsDir,
    async postWppconnect(body, postOptions = {}) {
      const raw = postOptions.rawBody ?? JSON.stringify(body);
      const timestamp = String(postOptions.timestamp ?? Math.floor(Date.now() / 1000));
      const signature = hmacSha256Hex(postOptions.secret ?? WEBHOOK_SECRET, `${timestamp}.${raw}`);
      return fetch(`${api.url}/webhooks/wppconnect`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-webhook-timestamp': timestamp,
          'x-webhook-signature': `sha256=${signature}`,
        },
        body: raw,
      });
    },
    async postCloud(body, postOptions = {}) {
      const raw = postOptions.rawBody ?? JSON.stringify(body);
      const signature =
        postOptions.signature === undefined ? hubSignature(raw, postOptions.secret) : postOptions.signature;
      return fetch(`${api.url}/webhooks/whatsapp-cloud`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signature === null ? {} : { 'x-hub-signature-256': signature }),
        },
        body: raw,
      });
    },
    startWorkerProcess(extraEnv = {}) {
      // An IPC channel the worker exits with: none outlives this test's process (exit-with-parent.mjs).
      const child = spawn(
        process.execPath,
        ['--import', EXIT_WITH_PARENT, ...programArguments('src/main.ts'), 'worker'],
        {
          cwd: HELPDESK_DIR,
          env: { ...process.env, ...env, ...extraEnv },
          stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        },
      );
      children.push(child);
      return child;
    },
    cli(...args) {
      return new Promise((resolve) => {
        execFile(
          process.execPath,
          [...programArguments('src/cli.ts'), ...args],
          {
            cwd: HELPDESK_DIR,
            // The same database and queues as the helpdesk, as the CLI reads them from .env.
            env: {
              ...process.env,
              DATABASE_URL: database.url,
              REDIS_URL: env.REDIS_URL,
              QUEUE_PREFIX: queuePrefix,
            },
            encoding: 'utf8',
          },
          (error, stdout, stderr) =>
            resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
    },
    async stop() {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      await workers?.close();
      await api.close();
      await context.close();
      await sidecar.close();
      await graph?.close();
      await deleteRedisPrefix(env.REDIS_URL!, queuePrefix);
      if (!options.keepDatabase) await database.drop();
      await rm(uploadsDir, { recursive: true, force: true });
    },
  };
}

/** Removes every Redis key under `<prefix>:` (a test's or a benchmark's queues). */
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

/** Waits until `messages` inbound messages are stored and no ticket waits for an agent. */
export async function waitForStoredAndAssigned(
  helpdesk: TestHelpdesk,
  messages: number,
  timeoutMs: number,
): Promise<void> {
  await waitFor(
    async () => {
      const [counts] = await query<{ messages: number; unassigned: number }>(
        helpdesk.database.url,
        `SELECT (SELECT count(*)::int FROM messages WHERE direction = 'inbound') AS messages,
                (SELECT count(*)::int FROM tickets WHERE assignee_id IS NULL) AS unassigned`,
      );
      return counts!.messages === messages && counts!.unassigned === 0;
    },
    timeoutMs,
    `all ${messages} messages stored and every ticket assigned`,
  );
}

/** Polls `check` until it returns a truthy value or the time runs out. */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<Exclude<T, null | undefined | false | '' | 0>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<T, null | undefined | false | '' | 0>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Waits until the job `id` of `queue` (a BullMQ queue, or the inbound shards read as one) has
 * finished, and returns it as read then. One read: BullMQ writes `finishedOn` and `returnvalue`
 * together, where reading the job and then asking its state could see it completed with the value
 * read while it was still active.
 */
export function finishedJob<J extends Job>(
  queue: { getJob(id: string): Promise<J | undefined> },
  id: string,
  timeoutMs = 10_000,
): Promise<J> {
  return waitFor(
    async () => {
      const job = await queue.getJob(id);
      return job?.finishedOn ? job : null;
    },
    timeoutMs,
    `job ${id} finished`,
  );
}

/**
 * The queue job of the customer's edit of `event`'s message (timestamped a second later), as the
 * webhook route enqueues a sidecar `edit` event.
 */
export function editJobOf(event: ReturnType<typeof textEvent>, text: string): InboundJob {
  return {
    kind: 'edit',
    eventId: `wppconnect:pharmacy:edit:${event.message.providerMessageId}`,
    provider: 'wppconnect',
    edit: {
      provider: 'wppconnect',
      channel: 'pharmacy',
      providerMessageId: event.message.providerMessageId,
      text,
      timestamp: new Date(Date.now() + 1000).toISOString(),
    },
  };
}

/**
 * A customer's media message through the real webhook (the stand-in sidecar serves its bytes at
 * its media route, as wpp-sidecar does); resolves to the stored attachment's id once a worker has
 * downloaded and stored it.
 */
export async function sendCustomerMedia(
  helpdesk: TestHelpdesk,
  phone: string,
  media: {
    id: string;
    body: Buffer;
    mimeType: string;
    type: 'image' | 'video' | 'voice' | 'audio' | 'document';
    filename?: string | null;
    caption?: string | null;
  },
): Promise<string> {
  helpdesk.sidecar.media.set(media.id, { body: media.body, mimeType: media.mimeType });
  const event = textEvent(phone, '');
  Object.assign(event.message, {
    type: media.type,
    text: null,
    caption: media.caption ?? null,
    media: {
      id: media.id,
      mimeType: media.mimeType,
      filename: media.filename ?? null,
      size: media.body.length,
      sha256: null,
      url: `${helpdesk.sidecar.url}/api/media/${media.id}`,
    },
  });
  const answer = await helpdesk.postWppconnect(event);
  if (answer.status !== 202) throw new Error(`the media webhook answered ${answer.status}`);
  const stored = await waitFor(
    () =>
      helpdesk.context.db.attachment.findFirst({
        where: { message: { providerMessageId: event.message.providerMessageId } },
        select: { id: true },
      }),
    10_000,
    `attachment ${media.id} stored`,
  );
  return stored.id;
}

/** An error or acceptance body of the helpdesk's HTTP API. */
export interface ApiAnswer {
  error: string;
  message: string;
  [key: string]: unknown;
}

/** Reads a response's JSON body. */
export async function readJson(response: Response): Promise<ApiAnswer> {
  return (await response.json()) as ApiAnswer;
}

/**
 * Adds an agent through the real service and puts them online (which assigns waiting tickets).
 * @param email also the name's source; capacity: maximum open tickets.
 */
export async function addOnlineAgent(helpdesk: TestHelpdesk, email: string, capacity: number): Promise<void> {
  await addAgent(helpdesk.context.db, {
    name: email.split('@')[0]!,
    email,
    password: 'password-123',
    capacity,
  });
  await setAvailability(helpdesk.context.pool, email, 'online');
}
