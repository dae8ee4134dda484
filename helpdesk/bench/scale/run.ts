/**
 * `npm run bench:scale` (issue 18): the agents' API and the realtime stream on a year of data.
 *   1. seed — a year of a pharmacy chain (seed.ts), `BENCH_SCALE` times the default size (1:
 *      100,000 customers, 150,000 tickets, 2,000,000 messages, 50 agents), set-based SQL;
 *   2. agents — the real helpdesk API and BENCH_WORKERS (1) worker processes start on it; 20
 *      agents sign in over HTTP (real sessions; agents 1, 6, 11 and 16 are admins);
 *   3. workload — for BENCH_SCALE_SECONDS (60) the 20 agents work at once, each pausing about
 *      BENCH_THINK_MS (250) between requests: inbox views (mine, unassigned, all, with status,
 *      label, category and channel filters), the inbox badges, their own 200-message thread, a
 *      ticket of their inbox, search (phone, name, ticket number, message words in Arabic and
 *      English) and the customer panel;
 *   4. reports — one admin, alone: the period report for 30 days and for a year, the team stats
 *      for both, the year's CSV export (each 3 times, the median counts);
 *   5. realtime fan-out — BENCH_STREAMS (100) console streams open (5 per agent) while
 *      BENCH_WEBHOOK_RATE (100) signed inbound webhooks per second arrive for
 *      BENCH_FANOUT_SECONDS (10): from the webhook's send to the `message.created` event on each
 *      stream, split into its stages (stored, published, on a console) and by second (the first
 *      two seconds bring 200 new customers, the rest their next messages). The same load runs
 *      first as a warm-up with other customers (the worker has been idle since phase 2): its
 *      figures get a row of their own and are not in stream_p99_ms.
 * Prints the machine, the versions and the load average, a table, and as its last line one JSON
 * object: messages, tickets, inbox_p95_ms, thread_p95_ms, search_p95_ms, customer_p95_ms,
 * report_30d_ms, report_year_ms, stream_p99_ms, api_rss_mb.
 *
 * Hermetic like bench/run.ts: its own database (created, migrated, seeded, dropped), Redis prefix,
 * uploads folder and agents, every helpdesk setting given explicitly (environment.ts); the
 * repository's `.env` plays no part. BENCH_SCALE_KEEP=1 keeps the seeded database (its name is
 * printed) for reading plans with EXPLAIN afterwards; drop it by hand.
 */
import { randomBytes } from 'node:crypto';
import { Agent as HttpAgent, request } from 'node:http';
import { rm } from 'node:fs/promises';
import pg from 'pg';
import type { Login, TicketPage } from '@whatsapp-helpdesk/contract/api';
import { apiClient, type ApiClient } from '../../test/api/api-support';
import { deleteRedisPrefix } from '../../test/support/harness';
import { startStandInSidecar } from '../../test/support/stand-in-sidecar';
import { createMigratedDatabase, dropDatabase, sql } from '../database';
import { benchEnvironment } from '../environment';
import { eventBody, eventMessageId, signedHeaders } from '../events';
import { describeMachine, loadAverage } from '../machine';
import { startProcess, waitForHttp, type HelpdeskProcess } from '../processes';
import { percentile } from '../statistics';
import { scaleOf, seedYearOfData, type SeedSummary } from './seed';
import { openStreamReader, type StreamReader } from './stream-reader';

const SERVER_URL = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const WORKLOAD_SECONDS = Number(process.env.BENCH_SCALE_SECONDS ?? 60);
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 250);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 100);
const WEBHOOK_RATE = Number(process.env.BENCH_WEBHOOK_RATE ?? 100);
const FANOUT_SECONDS = Number(process.env.BENCH_FANOUT_SECONDS ?? 10);
const KEEP_DATABASE = process.env.BENCH_SCALE_KEEP === '1';
const AGENTS = 20;
const REPORT_RUNS = 3;
const DAY_MS = 86_400_000;
const SECRET = randomBytes(24).toString('hex');
const SECRETS_KEY = randomBytes(32).toString('hex');
const RUN = randomBytes(4).toString('hex');
const DATABASE = `helpdesk_bench_scale_${RUN}`;

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const median = (values: number[]) => percentile(values, 50);

/** A signed-in agent of the workload. */
interface SignedIn {
  id: string;
  email: string;
  role: 'admin' | 'agent';
  token: string;
  api: ApiClient;
}

/** Latencies (ms) per measured request kind, and the failures (status ≥ 400 or network errors). */
class Timings {
  readonly latencies = new Map<string, number[]>();
  readonly failures = new Map<string, string[]>();

  /** Times one GET; a failure is counted and kept (first few) rather than thrown. */
  async time<T>(kind: string, api: ApiClient, path: string): Promise<T | null> {
    const started = performance.now();
    try {
      // The whole body read (JSON or, for the CSV export, text) counts in the time.
      const response = await api.fetch(path);
      const text = await response.text();
      const elapsed = performance.now() - started;
      if (response.status >= 400) {
        this.fail(kind, `${path} → ${response.status} ${text.slice(0, 200)}`);
        return null;
      }
      this.add(kind, elapsed);
      return (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T;
    } catch (error) {
      this.fail(kind, `${path} → ${(error as Error).message}`);
      return null;
    }
  }

  add(kind: string, ms: number): void {
    const list = this.latencies.get(kind) ?? [];
    list.push(ms);
    this.latencies.set(kind, list);
  }

  fail(kind: string, reason: string): void {
    const list = this.failures.get(kind) ?? [];
    list.push(reason);
    this.failures.set(kind, list);
  }

  /** All latencies of the kinds starting with `prefix`. */
  of(prefix: string): number[] {
    return [...this.latencies.entries()]
      .filter(([kind]) => kind.startsWith(prefix))
      .flatMap(([, list]) => list);
  }
}

/** What the workload picks its requests from: seeded names, phones, numbers, ids. */
interface Samples {
  phones: string[];
  names: string[];
  numbers: number[];
  labelIds: string[];
  channels: string[];
  words: string[];
}

async function readSamples(url: string, summary: SeedSummary): Promise<Samples> {
  const customers = await sql<{ phone: string; name: string }>(
    url,
    `SELECT phone, name FROM customers WHERE phone IS NOT NULL ORDER BY md5(id::text) LIMIT 200`,
  );
  const tickets = await sql<{ number: number }>(
    url,
    `SELECT number FROM tickets ORDER BY md5(id::text) LIMIT 200`,
  );
  const labels = await sql<{ id: string }>(url, `SELECT id FROM labels ORDER BY name`);
  return {
    // As agents type them: the whole number, its local form, or its last digits.
    phones: customers.flatMap((customer, index) =>
      index % 3 === 0
        ? [customer.phone]
        : index % 3 === 1
          ? [`0${customer.phone.slice(3)}`]
          : [customer.phone.slice(-7)],
    ),
    names: customers.map((customer) => customer.name),
    numbers: tickets.map((ticket) => ticket.number),
    labelIds: labels.map((label) => label.id),
    channels: summary.channels,
    words: ['Augmentin', 'أوجمنتين', 'روشتة', 'prescription', 'بانادول', 'Concor', 'delivery', 'التوصيل'],
  };
}

/** One agent's session of work until `deadline`: a fixed cycle of what agents do in the console. */
async function simulateAgent(
  agent: SignedIn,
  index: number,
  summary: SeedSummary,
  samples: Samples,
  timings: Timings,
  deadline: number,
): Promise<number> {
  const thread = summary.threadTickets.find((ticket) => ticket.assigneeId === agent.id);
  const pick = <T>(list: readonly T[], step: number): T => list[(index * 7 + step) % list.length]!;
  const statuses = ['resolved', 'open,pending', 'pending', 'closed'];
  const categories = ['prescription_refill', 'order_status', 'pharmacist', 'delivery', 'other'];
  let inboxTickets: TicketPage['items'] = [];
  let requests = 0;
  for (let step = 0; Date.now() < deadline; step += 1) {
    const admin = agent.role === 'admin';
    const view = admin && step % 2 === 0 ? 'all' : 'mine';
    const filters = [
      `status=${pick(statuses, step)}`,
      `label=${pick(samples.labelIds, step)}`,
      `category=${pick(categories, step)}`,
      `channel=${encodeURIComponent(pick(samples.channels, step))}`,
    ];
    const actions: Array<() => Promise<unknown>> = [
      async () => {
        const page = await timings.time<TicketPage>('inbox: mine', agent.api, '/api/tickets?view=mine');
        if (page && page.items.length > 0) inboxTickets = page.items;
      },
      () => timings.time('inbox: counts', agent.api, '/api/tickets/counts'),
      () => timings.time('inbox: unassigned', agent.api, '/api/tickets?view=unassigned'),
      () =>
        timings.time(
          `inbox: ${view}, filtered`,
          agent.api,
          `/api/tickets?view=${view}&${pick(filters, step)}`,
        ),
      () =>
        thread
          ? timings.time('thread: 200 messages', agent.api, `/api/tickets/${thread.id}`)
          : Promise.resolve(null),
      () =>
        timings.time(
          'search: phone',
          agent.api,
          `/api/search?q=${encodeURIComponent(pick(samples.phones, step))}`,
        ),
      () =>
        timings.time(
          'search: name',
          agent.api,
          `/api/search?q=${encodeURIComponent(pick(samples.names, step))}`,
        ),
      () =>
        timings.time('search: ticket number', agent.api, `/api/search?q=%23${pick(samples.numbers, step)}`),
      () =>
        timings.time(
          'search: message words',
          agent.api,
          `/api/search?q=${encodeURIComponent(pick(samples.words, step))}`,
        ),
      async () => {
        const ticket = inboxTickets[step % Math.max(1, inboxTickets.length)];
        if (!ticket) return;
        await timings.time('thread: inbox ticket', agent.api, `/api/tickets/${ticket.id}`);
        await timings.time('customer panel', agent.api, `/api/customers/${ticket.customer.id}`);
        await timings.time(
          'customer panel: media',
          agent.api,
          `/api/customers/${ticket.customer.id}/media?limit=12`,
        );
        await timings.time(
          'customer panel: reminders',
          agent.api,
          `/api/customers/${ticket.customer.id}/scheduled-messages`,
        );
      },
    ];
    // Each agent starts at another point of the cycle, so a short run still covers every request.
    await actions[(step + index) % actions.length]!();
    requests += 1;
    // A pause of 0 to 2 × THINK_MS, spread evenly so agents do not move in lockstep.
    const pause = (((index * 37 + step * 13) % 100) / 50) * THINK_MS;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
  return requests;
}

/** Times an admin's request `REPORT_RUNS` times, alone. @returns the median, ms. */
async function timeAlone(timings: Timings, kind: string, api: ApiClient, path: string): Promise<number> {
  for (let run = 0; run < REPORT_RUNS; run += 1) await timings.time(kind, api, path);
  return median(timings.latencies.get(kind) ?? []);
}

/**
 * Opens the streams, posts signed inbound webhooks at a constant rate (open loop: request i is
 * due at start + i/rate), and measures each message's `message.created` on every stream.
 * @returns every delivery's latency (ms), the webhooks posted and refused, the streams opened.
 */
async function measureFanOut(
  apiUrl: string,
  databaseUrl: string,
  agents: SignedIn[],
  channel: string,
  /** The first of the run's customers' numbers (each run its own customers, so new tickets). */
  firstCustomer: number,
): Promise<{
  latencies: number[];
  /** From the webhook's send to the message's row (messages.created_at), ms. */
  storedAfter: number[];
  /** From the message's row to its event's publication (the event's `at`), one per message, ms. */
  publishedAfter: number[];
  /** From the event's publication to its arrival on a stream, every delivery, ms. */
  deliveredAfter: number[];
  /** The deliveries' p99 (webhook → event on a console) by second of the fan-out, ms. */
  p99BySecond: number[];
  posted: number;
  refused: number;
  refusals: string;
  streams: number;
  expected: number;
  /** SSE frames of any kind the streams received, all streams together. */
  frames: number;
}> {
  const streams: StreamReader[] = [];
  for (let index = 0; index < STREAMS; index += 1) {
    streams.push(await openStreamReader(apiUrl, agents[index % agents.length]!.token));
  }
  const opened = streams.filter((stream) => stream.status === 200).length;
  const total = Math.round(WEBHOOK_RATE * FANOUT_SECONDS);
  // Every customer writes 5 times: a new ticket, then messages on it.
  const customers = Math.max(1, Math.ceil(total / 5));
  const sentAt = new Map<string, number>();
  const connections = new HttpAgent({ keepAlive: true, maxSockets: 32 });
  const target = new URL(`${apiUrl}/webhooks/wppconnect`);
  let refused = 0;
  /** Why webhooks were refused: HTTP status or error code, with counts. */
  const refusals = new Map<string, number>();
  const refuse = (reason: string) => {
    refused += 1;
    refusals.set(reason, (refusals.get(reason) ?? 0) + 1);
  };
  const inFlight: Array<Promise<void>> = [];
  const started = performance.now();
  const startedAt = Date.now();
  for (let index = 0; index < total; index += 1) {
    const due = started + (index * 1000) / WEBHOOK_RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const customer = firstCustomer + (index % customers);
    const body = eventBody(RUN, customer, index, `Do you have Panadol? (${index})`, channel);
    sentAt.set(eventMessageId(RUN, customer, index), startedAt + (performance.now() - started));
    inFlight.push(
      new Promise<void>((resolve) => {
        const call = request(
          target,
          { method: 'POST', agent: connections, headers: signedHeaders(SECRET, body) },
          (response) => {
            if ((response.statusCode ?? 500) >= 300) refuse(`HTTP ${response.statusCode}`);
            response.resume().on('end', resolve);
          },
        );
        call.on('error', (error: NodeJS.ErrnoException) => {
          refuse(error.code ?? error.message);
          resolve();
        });
        call.end(body);
      }),
    );
  }
  await Promise.all(inFlight);
  connections.destroy();
  // Every posted message stored, then a moment for the last events to reach the streams.
  const providerIds = [...sentAt.keys()];
  const deadline = Date.now() + 60_000;
  let stored: Array<{ id: string; providerMessageId: string; createdAt: number }> = [];
  while (Date.now() < deadline) {
    stored = await sql<{ id: string; providerMessageId: string; createdAt: number }>(
      databaseUrl,
      `SELECT id, provider_message_id AS "providerMessageId", extract(epoch FROM created_at)::float8 * 1000 AS "createdAt"
         FROM messages WHERE provider_message_id = ANY($1::text[])`,
      [providerIds],
    );
    if (stored.length >= providerIds.length - refused) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const postedAt = new Map(stored.map((message) => [message.id, sentAt.get(message.providerMessageId)!]));
  const latencies: number[] = [];
  const frames = streams.reduce((sum, stream) => sum + stream.frames, 0);
  const createdAt = new Map(stored.map((message) => [message.id, message.createdAt]));
  const published = new Map<string, number>();
  const deliveredAfter: number[] = [];
  const bySecond: number[][] = [];
  for (const stream of streams) {
    for (const delivery of stream.deliveries) {
      const at = postedAt.get(delivery.messageId);
      if (at === undefined) continue;
      latencies.push(delivery.receivedAt - at);
      (bySecond[Math.floor((at - startedAt) / 1000)] ??= []).push(delivery.receivedAt - at);
      published.set(delivery.messageId, delivery.publishedAt);
      deliveredAfter.push(delivery.receivedAt - delivery.publishedAt);
    }
    stream.close();
  }
  const storedAfter = stored.map((message) => message.createdAt - sentAt.get(message.providerMessageId)!);
  const publishedAfter = [...published].map(([id, at]) => at - createdAt.get(id)!);
  return {
    latencies,
    storedAfter,
    publishedAfter,
    deliveredAfter,
    p99BySecond: bySecond.map((values) => percentile(values, 99)),
    posted: total,
    refused,
    refusals: [...refusals].map(([reason, count]) => `${count} × ${reason}`).join(', '),
    streams: opened,
    expected: stored.length * opened,
    frames,
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const size = scaleOf(SCALE);
  const url = await createMigratedDatabase(SERVER_URL, DATABASE);
  const processes: HelpdeskProcess[] = [];
  const sidecar = await startStandInSidecar();
  const prefix = `bench-scale-${RUN}`;
  const uploads = `/tmp/helpdesk-bench-scale-${RUN}`;
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    for (const line of await describeMachine(url, REDIS_URL)) console.log(line);
    console.log(
      `1/5 seed: ${size.customers} customers, ${size.tickets} tickets, ${size.messages} messages, ${size.agents} agents (BENCH_SCALE=${SCALE})…`,
    );
    const summary = await seedYearOfData(pool, size, {
      log: (line) => console.log(`  ${line}`),
      channel: {
        secretsKey: SECRETS_KEY,
        sidecarUrl: sidecar.url,
        apiKey: sidecar.apiKey,
        webhookSecret: SECRET,
      },
    });
    sidecar.sessions = [...summary.channels];
    const databaseSize = (
      await sql<{ size: string }>(url, `SELECT pg_size_pretty(pg_database_size(current_database())) AS size`)
    )[0]!.size;

    console.log(`2/5 helpdesk: API and ${WORKERS} worker(s); ${AGENTS} agents sign in…`);
    const settings = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: url,
      DATABASE_POOL_SIZE: '10',
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      HELPDESK_HOST: '127.0.0.1',
      HELPDESK_PORT: String(19_000 + Math.floor(Math.random() * 1000)),
      WHATSAPP_PROVIDER: 'wppconnect',
      SIDECAR_URL: sidecar.url,
      SIDECAR_API_KEY: sidecar.apiKey,
      SIDECAR_WEBHOOK_SECRET: SECRET,
      CHANNEL_SECRETS_KEY: SECRETS_KEY,
      // The seeded first channel: the one the environment describes.
      SESSION_NAME: summary.channels[0]!,
      UPLOADS_DIR: uploads,
    };
    const env = benchEnvironment(settings);
    const apiUrl = `http://127.0.0.1:${settings.HELPDESK_PORT}`;
    const api = startProcess('api', env);
    processes.push(api);
    processes.push(...Array.from({ length: WORKERS }, () => startProcess('worker', env)));
    await waitForHttp(`${apiUrl}/health`, 120_000);
    const agents: SignedIn[] = [];
    for (const seeded of summary.agents.slice(0, AGENTS)) {
      const login = await apiClient(apiUrl, null).post<Login>('/api/auth/login', {
        email: seeded.email,
        password: summary.password,
      });
      if (login.status !== 200)
        throw new Error(`${seeded.email} cannot sign in: ${JSON.stringify(login.body)}`);
      agents.push({ ...seeded, token: login.body.token, api: apiClient(apiUrl, login.body.token) });
    }
    const samples = await readSamples(url, summary);

    console.log(
      `3/5 workload: ${agents.length} agents for ${WORKLOAD_SECONDS} s, ~${THINK_MS} ms between requests…`,
    );
    const timings = new Timings();
    const workloadStart = Date.now();
    const deadline = workloadStart + WORKLOAD_SECONDS * 1000;
    const steps = await Promise.all(
      agents.map((agent, index) => simulateAgent(agent, index, summary, samples, timings, deadline)),
    );
    const workloadSeconds = (Date.now() - workloadStart) / 1000;
    const requests = [...timings.latencies.values()].reduce((sum, list) => sum + list.length, 0);

    console.log('4/5 reports, stats and the CSV export, one admin alone…');
    const admin = agents.find((agent) => agent.role === 'admin')!;
    const now = new Date();
    const query = (days: number) =>
      new URLSearchParams({
        from: new Date(now.getTime() - days * DAY_MS).toISOString(),
        to: now.toISOString(),
      }).toString();
    const report30 = await timeAlone(timings, 'report: 30 days', admin.api, `/api/reports?${query(30)}`);
    const reportYear = await timeAlone(
      timings,
      'report: a year, by week',
      admin.api,
      `/api/reports?${query(365)}&interval=week`,
    );
    await timeAlone(
      timings,
      'report: 30 days by category',
      admin.api,
      `/api/reports?${query(30)}&by=category`,
    );
    await timeAlone(timings, 'stats: 30 days', admin.api, `/api/stats?${query(30)}`);
    await timeAlone(timings, 'stats: a year', admin.api, `/api/stats?${query(365)}`);
    await timeAlone(timings, 'CSV export: a year by agent', admin.api, `/api/reports.csv?${query(365)}`);

    console.log(
      `5/5 realtime: ${STREAMS} streams, ${WEBHOOK_RATE} inbound webhooks/s for ${FANOUT_SECONDS} s, twice (a warm-up, then the measured run)…`,
    );
    // The same load twice, with other customers: the first, right after the read-only phases (the
    // worker idle for minutes), warms the worker's code and connections; the second is measured.
    // The first's figures are printed too (a row of their own), never mixed into stream_p99_ms.
    const warmUp = await measureFanOut(apiUrl, url, agents, summary.channels[0]!, 800_000);
    const fanOut = await measureFanOut(apiUrl, url, agents, summary.channels[0]!, 900_000);
    const apiRss = api.peakRssMb();

    // null, not 0, when nothing of the kind was measured (a run too short to reach it).
    const p95 = (values: number[]) => (values.length > 0 ? percentile(values, 95) : null);
    const figures = {
      messages: summary.messages,
      tickets: summary.tickets,
      inbox_p95_ms: p95(timings.of('inbox')),
      thread_p95_ms: p95(timings.of('thread: 200')),
      search_p95_ms: p95(timings.of('search')),
      customer_p95_ms: p95(timings.latencies.get('customer panel') ?? []),
      report_30d_ms: report30,
      report_year_ms: reportYear,
      stream_p99_ms: fanOut.latencies.length > 0 ? percentile(fanOut.latencies, 99) : null,
      api_rss_mb: round(apiRss),
    };

    console.log('');
    console.log(
      `data: ${summary.customers} customers, ${summary.tickets} tickets (${Object.entries(summary.statuses)
        .map(([status, count]) => `${count} ${status}`)
        .join(
          ', ',
        )}), ${summary.messages} messages, ${summary.attachments} attachments, ${summary.events} events; database ${databaseSize}; seeded in ${summary.seconds} s`,
    );
    console.log(
      `workload: ${requests} requests in ${round(workloadSeconds)} s (${round(requests / workloadSeconds)}/s) by ${agents.length} agents (${steps.reduce((sum, count) => sum + count, 0)} steps)`,
    );
    console.log('');
    console.log('| request | count | p50 ms | p95 ms | max ms | failed |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const [kind, list] of [...timings.latencies.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      console.log(
        `| ${kind} | ${list.length} | ${percentile(list, 50)} | ${percentile(list, 95)} | ${percentile(list, 100)} | ${timings.failures.get(kind)?.length ?? 0} |`,
      );
    }
    for (const [kind, reasons] of timings.failures) {
      if (!timings.latencies.has(kind)) console.log(`| ${kind} | 0 | – | – | – | ${reasons.length} |`);
    }
    console.log(
      `| stream: webhook → message.created, ${fanOut.latencies.length} of ${fanOut.expected} deliveries on ${fanOut.streams} streams (${fanOut.frames} frames in all) | ${fanOut.latencies.length} | ${percentile(fanOut.latencies, 50)} | ${percentile(fanOut.latencies, 95)} (p99 ${figures.stream_p99_ms}) | ${percentile(fanOut.latencies, 100)} | ${fanOut.refused} of ${fanOut.posted} webhooks${fanOut.refusals ? ` (${fanOut.refusals})` : ''} |`,
    );
    console.log(
      `| stream, warm-up run (the same load first, after the idle phases; not in stream_p99_ms): webhook → message.created, p99 by second ${warmUp.p99BySecond.map((value) => Math.round(value)).join(' / ')} | ${warmUp.latencies.length} | ${percentile(warmUp.latencies, 50)} | ${percentile(warmUp.latencies, 95)} (p99 ${percentile(warmUp.latencies, 99)}) | ${percentile(warmUp.latencies, 100)} | ${warmUp.refused} of ${warmUp.posted} webhooks |`,
    );
    console.log(
      `| stream: webhook → message stored (messages.created_at) | ${fanOut.storedAfter.length} | ${percentile(fanOut.storedAfter, 50)} | ${percentile(fanOut.storedAfter, 95)} (p99 ${percentile(fanOut.storedAfter, 99)}) | ${percentile(fanOut.storedAfter, 100)} | |`,
    );
    console.log(
      `| stream: message stored → event published (the event's \`at\`) | ${fanOut.publishedAfter.length} | ${percentile(fanOut.publishedAfter, 50)} | ${percentile(fanOut.publishedAfter, 95)} (p99 ${percentile(fanOut.publishedAfter, 99)}) | ${percentile(fanOut.publishedAfter, 100)} | |`,
    );
    console.log(
      `| stream: event published → on a console | ${fanOut.deliveredAfter.length} | ${percentile(fanOut.deliveredAfter, 50)} | ${percentile(fanOut.deliveredAfter, 95)} (p99 ${percentile(fanOut.deliveredAfter, 99)}) | ${percentile(fanOut.deliveredAfter, 100)} | |`,
    );
    console.log(
      `| stream: p99 by second of the fan-out (webhook sent in second 1, 2, …) | | | ${fanOut.p99BySecond.map((value) => Math.round(value)).join(' / ')} | | |`,
    );
    console.log(`| peak RSS of the API (MB) | | | | ${figures.api_rss_mb} | |`);
    for (const [kind, reasons] of timings.failures)
      console.log(`failed ${kind}: ${reasons.slice(0, 3).join('; ')}`);
    console.log(`load average (1 / 5 / 15 min) at the end: ${loadAverage()}`);
    console.log(`whole run: ${round((Date.now() - started) / 1000)} s`);
    console.log(JSON.stringify(figures));
  } finally {
    await Promise.all(processes.map((child) => child.stop()));
    await sidecar.close();
    await pool.end();
    await deleteRedisPrefix(REDIS_URL, prefix);
    if (KEEP_DATABASE) console.log(`kept the seeded database ${DATABASE}`);
    else await dropDatabase(SERVER_URL, DATABASE);
    await rm(uploads, { recursive: true, force: true });
  }
}

await main();
