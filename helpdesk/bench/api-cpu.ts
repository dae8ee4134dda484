/**
 * `npx tsx bench/api-cpu.ts`: the API process alone, for A/B work on the HTTP stack. It starts one
 * `main.ts api` process (no workers: the events stay queued in Redis), posts signed sidecar
 * webhooks as fast as it takes them, and reports the API process's CPU time per webhook (ms, from
 * /proc, so a busy machine changes it far less than wall-clock figures), then the ack latency at a
 * fixed rate (`ack-probe.ts`). Hermetic like run.ts: its own database, Redis prefix and settings.
 *
 * A/B: BENCH_API_DIRS=<helpdesk dir>,<helpdesk dir>,… (other checkouts of this workspace) starts
 * one API process from each and measures them in turns (A, B, A, B, …), so that the load of a
 * shared machine, which drifts over minutes, weighs on both alike.
 *
 * Knobs: BENCH_API_EVENTS (5,000 per round), BENCH_API_ROUNDS (4), BENCH_API_RATE (500/s, 0 to
 * skip the probe), BENCH_ACK_SECONDS (5), BENCH_POST_CONCURRENCY (32), BENCH_PROFILE=<dir> (V8 CPU
 * profiles of the API processes), BENCH_POSTGRES_URL, BENCH_REDIS_URL.
 * Prints, per directory, one JSON line: { dir, cpu_ms_per_webhook: number[], median,
 * webhooks_per_s: number[], ack }.
 */
import { randomBytes } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { deleteRedisPrefix } from '../test/support/harness';
import { startStandInSidecar } from '../test/support/stand-in-sidecar';
import { cpuSeconds } from './cpu';
import { benchEnvironment } from './environment';
import { eventBody, signedHeaders } from './events';
import { startProcess, waitForHttp, type HelpdeskProcess } from './processes';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVER_URL = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const EVENTS = Number(process.env.BENCH_API_EVENTS ?? 5_000);
const ROUNDS = Number(process.env.BENCH_API_ROUNDS ?? 4);
const RATE = Number(process.env.BENCH_API_RATE ?? 500);
const DIRS = (process.env.BENCH_API_DIRS ?? fileURLToPath(new URL('../', import.meta.url))).split(',');
const ACK_SECONDS = Number(process.env.BENCH_ACK_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_POST_CONCURRENCY ?? 32);
const CUSTOMERS = 2_000;
const SECRET = randomBytes(24).toString('hex');
const CHANNEL_SECRETS_KEY = randomBytes(32).toString('hex');
const RUN = randomBytes(4).toString('hex');
const DATABASE = `helpdesk_bench_api_${RUN}`;

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

async function sql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Posts `count` fresh events (sequence numbers from `first`). @returns accepted and failed. */
async function post(
  url: string,
  first: number,
  count: number,
): Promise<{ accepted: number; failed: number }> {
  const signed = Array.from({ length: count }, (_, index) => {
    const sequence = first + index;
    const body = eventBody(RUN, sequence % CUSTOMERS, sequence, `question ${sequence}`);
    return { body, headers: signedHeaders(SECRET, body) };
  });
  let next = 0;
  const result = await autocannon({
    url: `${url}/webhooks/wppconnect`,
    connections: CONCURRENCY,
    amount: count,
    requests: [{ method: 'POST', setupRequest: (request) => ({ ...request, ...signed[next++]! }) }],
  });
  return { accepted: result['2xx'], failed: result.errors + result.timeouts + result.non2xx };
}

async function ackProbe(url: string, runId: string): Promise<unknown> {
  const probe = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./ack-probe.ts', import.meta.url)),
      `${url}/webhooks/wppconnect`,
      SECRET,
      String(RATE),
      String(ACK_SECONDS),
      String(CUSTOMERS),
      runId,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  probe.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const [code] = (await once(probe, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`ack probe exited with ${code}`);
  return JSON.parse(output.trim().split('\n').pop()!);
}

async function main(): Promise<void> {
  const databaseUrl = new URL(SERVER_URL);
  databaseUrl.pathname = `/${DATABASE}`;
  await sql(SERVER_URL, `CREATE DATABASE ${DATABASE}`);
  const sidecar = await startStandInSidecar();
  const prefix = `bench-api-${RUN}`;
  const apis: Array<{ dir: string; url: string; process: HelpdeskProcess }> = [];
  try {
    const migrated = spawnSync(process.execPath, ['scripts/prisma.mjs', 'migrate', 'deploy'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl.toString() },
      encoding: 'utf8',
    });
    if (migrated.status !== 0) throw new Error(`migrations failed: ${migrated.stderr}`);
    const firstPort = 19_000 + Math.floor(Math.random() * 900);
    for (const [index, dir] of DIRS.entries()) {
      const port = String(firstPort + index);
      const env = benchEnvironment({
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        DATABASE_URL: databaseUrl.toString(),
        DATABASE_POOL_SIZE: '10',
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        HELPDESK_HOST: '127.0.0.1',
        HELPDESK_PORT: port,
        WHATSAPP_PROVIDER: 'wppconnect',
        SIDECAR_URL: sidecar.url,
        SIDECAR_API_KEY: sidecar.apiKey,
        SIDECAR_WEBHOOK_SECRET: SECRET,
        // One key for all the processes: they share the channels' table, sealed with it.
        CHANNEL_SECRETS_KEY,
        // The events' channel (bench/events.ts): the configured channel.
        SESSION_NAME: 'bench',
        UPLOADS_DIR: `/tmp/helpdesk-bench-${RUN}`,
      });
      const url = `http://127.0.0.1:${port}`;
      apis.push({ dir, url, process: startProcess('api', env, dir) });
      await waitForHttp(`${url}/health`);
    }
    // Event ids are unique across the processes: they share the queue.
    let sequence = 0;
    // Warm-up: connections, compiled code.
    for (const api of apis) {
      await post(api.url, sequence, 2_000);
      sequence += 2_000;
    }
    const results = apis.map(() => ({ cpuMs: [] as number[], rates: [] as number[] }));
    for (let index = 0; index < ROUNDS; index += 1) {
      for (const [which, api] of apis.entries()) {
        const pid = api.process.child.pid!;
        const before = cpuSeconds(pid);
        const started = Date.now();
        const { accepted, failed } = await post(api.url, sequence, EVENTS);
        sequence += EVENTS;
        const seconds = (Date.now() - started) / 1000;
        const used = cpuSeconds(pid) - before;
        if (failed > 0) console.error(`${api.dir} round ${index + 1}: ${failed} webhooks failed`);
        results[which]!.cpuMs.push(round((used * 1000) / accepted));
        results[which]!.rates.push(Math.round(accepted / seconds));
        console.error(
          `${api.dir} round ${index + 1}: ${results[which]!.cpuMs.at(-1)} ms CPU per webhook, ${results[which]!.rates.at(-1)} webhooks/s`,
        );
      }
    }
    const acks: unknown[] = [];
    for (const [which, api] of apis.entries())
      acks.push(RATE > 0 ? await ackProbe(api.url, `${RUN}probe${which}`) : null);
    for (const [which, api] of apis.entries()) {
      const { cpuMs, rates } = results[which]!;
      const sorted = [...cpuMs].sort((a, b) => a - b);
      const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
      console.log(
        JSON.stringify({
          dir: api.dir,
          cpu_ms_per_webhook: cpuMs,
          median,
          webhooks_per_s: rates,
          ack: acks[which],
        }),
      );
    }
  } finally {
    await Promise.all(apis.map((api) => api.process.stop()));
    await sidecar.close();
    await deleteRedisPrefix(REDIS_URL, prefix);
    await sql(SERVER_URL, `DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  }
}

await main();
