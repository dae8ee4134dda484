/**
 * The helpdesk's Prometheus metrics (prom-client), all defined here. docs/operations.md explains
 * each one, with PromQL examples and alert suggestions.
 *
 * Two kinds:
 * - process metrics, recorded where things happen (webhook routes, jobs) and kept in this
 *   process's memory: `processRegistry`, with Node's default process metrics. Every process (API
 *   and each worker) has its own; Prometheus adds them up across instances.
 * - shared metrics, read at scrape time from the state all processes share (BullMQ queue depths
 *   in Redis, ticket counts and response-time target breaches from the database):
 *   `createSharedMetrics`, served by the API's `/metrics` only, so they are not repeated by every
 *   worker, and the same whichever process did the work and however often it restarted.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Queues } from '../jobs/queues';
import { countTickets } from '../use-cases/reports/count-tickets';
import { countSlaBreaches } from '../use-cases/sla/count-sla-breaches';
import type { DatabaseHealth } from '../store/database-health';
import type { Pool } from '../store/database';
import type { Logger } from './logger';

/** This process's own metrics (and Node's default process metrics). */
export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry });

/** Webhook requests by provider and result: the response's status class (2xx, 4xx, 5xx). */
export const webhookRequests = new Counter({
  name: 'helpdesk_webhook_requests_total',
  help: 'Webhook requests received, by provider and response status class',
  labelNames: ['provider', 'result'] as const,
  registers: [processRegistry],
});

/** How long jobs take, by queue and outcome (what the handler returned, or `error` when it threw). */
export const jobDuration = new Histogram({
  name: 'helpdesk_job_duration_seconds',
  help: 'Duration of queue jobs, by queue and outcome (error: thrown, BullMQ retries it)',
  labelNames: ['queue', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [processRegistry],
});

/**
 * Jobs put back to wait because the infrastructure failed them (no attempt used), by queue and
 * kind (`database-unreachable`, `database`, `redis`; see jobs/infrastructure-retry.ts).
 */
export const infrastructureRetries = new Counter({
  name: 'helpdesk_job_infrastructure_retries_total',
  help: 'Jobs delayed for an infrastructure error (database or Redis), not counted as attempts, by queue and kind',
  labelNames: ['queue', 'kind'] as const,
  registers: [processRegistry],
});

/** Customer messages stored (redeliveries not counted), by provider and type. */
export const messagesReceived = new Counter({
  name: 'helpdesk_messages_received_total',
  help: 'Inbound customer messages stored (duplicates not counted), by provider and message type',
  labelNames: ['provider', 'type'] as const,
  registers: [processRegistry],
});

/** Provider send calls, by provider, type and result (`sent`, or `error` for each failed try). */
export const messagesSent = new Counter({
  name: 'helpdesk_messages_sent_total',
  help: 'Outbound messages handed to the provider, by provider, message type and result (sent or error)',
  labelNames: ['provider', 'type', 'result'] as const,
  registers: [processRegistry],
});

/** Time a ticket waited for an agent: from opened (or reopened, or returned to the queue) to assigned. */
export const assignmentWait = new Histogram({
  name: 'helpdesk_assignment_wait_seconds',
  help: 'Time from a ticket opening (or reopening, or returning to the queue) to its automatic assignment',
  buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 28800, 86400],
  registers: [processRegistry],
});

/**
 * Whether each channel (a WhatsApp number: a sidecar session) is connected: 1 connected, 0 any
 * other state, as its last `session` webhook event said. Set by the process that received the
 * event; a channel never heard of has no series.
 */
export const channelUp = new Gauge({
  name: 'helpdesk_channel_up',
  help: 'WhatsApp channel connected (1) or not (0), by channel (session or phone number id), from the sidecar session events and the periodic check',
  labelNames: ['channel'] as const,
  registers: [processRegistry],
});

/** `2xx`, `4xx`, `5xx`… for a status code. */
export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

/**
 * Runs a job handler and records its duration under the outcome it returns (`error` when it
 * throws; the error is rethrown).
 */
export async function timeJob(queue: string, work: () => Promise<string>): Promise<string> {
  const stop = jobDuration.startTimer({ queue });
  try {
    const outcome = await work();
    stop({ outcome: jobOutcomeLabel(outcome) });
    return outcome;
  } catch (error) {
    stop({ outcome: 'error' });
    throw error;
  }
}

/**
 * Keeps the label set small: outbound jobs return their messages' outcomes joined ("sent,sent"),
 * inbound batch jobs "batch of N" or "batch of N, K retried on their own" (jobs/inbound-job.ts).
 */
function jobOutcomeLabel(outcome: string): string {
  if (outcome.startsWith('batch of')) return outcome.includes('retried') ? 'batch-partly-retried' : 'batch';
  if (!outcome.includes(',')) return outcome;
  const parts = new Set(outcome.split(','));
  return parts.has('failed') ? 'failed' : parts.has('sent') ? 'sent' : 'skipped';
}

/** Queue states reported by `helpdesk_queue_jobs`. */
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** The shared metrics of one helpdesk (its queues and database), read at each scrape. */
export interface SharedMetrics {
  registry: Registry;
  /** Reads queue depths and ticket counts; a failing source is counted, never thrown. */
  collect(): Promise<void>;
}

/**
 * Builds the metrics read at scrape time from Redis (BullMQ job counts) and PostgreSQL (ticket
 * counts and response-time target breaches from the `ticket_events` audit log, so they count the
 * work of every process and survive restarts).
 */
export function createSharedMetrics(sources: {
  queues: Queues;
  pool: Pool;
  databaseHealth: DatabaseHealth;
  log?: Logger;
}): SharedMetrics {
  const registry = new Registry();
  const registers = [registry];
  const queueJobs = new Gauge({
    name: 'helpdesk_queue_jobs',
    help: 'Jobs in each BullMQ queue by state (waiting includes paused), read at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers,
  });
  // The same count as queue_jobs{state="failed"}, under a name to alert on: failed jobs are never
  // deleted (removeOnFail: false) and wait for an operator (`jobs:failed`, `jobs:retry`).
  const deadLetters = new Gauge({
    name: 'helpdesk_jobs_dead_letter',
    help: 'Jobs that failed for good (dead letters, kept until re-driven with jobs:retry), by queue',
    labelNames: ['queue'] as const,
    registers,
  });
  // What the webhooks go by (503 while 0): the API's probe, no query of its own.
  new Gauge({
    name: 'helpdesk_database_reachable',
    help: "1 while the API's PostgreSQL probe succeeds, 0 while it fails (webhooks then answer 503)",
    registers,
    collect() {
      this.set(sources.databaseHealth.reachable ? 1 : 0);
    },
  });
  const ticketsOpened = new Counter({
    name: 'helpdesk_tickets_opened_total',
    help: 'Tickets opened (kind new) or reopened (kind reopened), from the ticket audit log',
    labelNames: ['kind'] as const,
    registers,
  });
  const ticketsResolved = new Counter({
    name: 'helpdesk_tickets_resolved_total',
    help: 'Tickets resolved (or closed without being resolved first), from the ticket audit log',
    registers,
  });
  const ticketsWaiting = new Gauge({
    name: 'helpdesk_tickets_waiting',
    help: 'Open or pending tickets without an assignee',
    registers,
  });
  const slaBreaches = new Counter({
    name: 'helpdesk_sla_breaches_total',
    help: 'Response-time targets (SLA) breached, by kind (first_response or resolution) and channel, recorded once per ticket opening; from the sla_breached ticket events',
    labelNames: ['kind', 'channel'] as const,
    registers,
  });
  const collectErrors = new Counter({
    name: 'helpdesk_metrics_collect_errors_total',
    help: 'Scrapes that could not read a shared source (queues: Redis; database: PostgreSQL)',
    labelNames: ['source'] as const,
    registers,
  });
  collectErrors.inc({ source: 'queues' }, 0);
  collectErrors.inc({ source: 'database' }, 0);

  async function collectQueues(): Promise<void> {
    queueJobs.reset();
    deadLetters.reset();
    for (const queue of [
      sources.queues.inbound,
      sources.queues.outbound,
      sources.queues.scheduled,
      sources.queues.broadcast,
    ]) {
      const counts = await queue.getJobCounts(...QUEUE_STATES, 'paused', 'prioritized');
      for (const state of QUEUE_STATES) {
        const extra = state === 'waiting' ? (counts.paused ?? 0) + (counts.prioritized ?? 0) : 0;
        queueJobs.set({ queue: queue.name, state }, (counts[state] ?? 0) + extra);
      }
      deadLetters.set({ queue: queue.name }, counts.failed ?? 0);
    }
  }

  // A scan of the audit log at each scrape (about 0.1 s per million events): exact across
  // processes and restarts, with no state to keep.
  async function collectTickets(): Promise<void> {
    const row = await countTickets(sources.pool);
    ticketsOpened.reset();
    ticketsOpened.inc({ kind: 'new' }, row.opened);
    ticketsOpened.inc({ kind: 'reopened' }, row.reopened);
    ticketsResolved.reset();
    ticketsResolved.inc(row.resolved);
    ticketsWaiting.set(row.waiting);
  }

  // The breach events alone, through their partial covering index (store/sla-tickets.ts
  // `readSlaBreachCounts`): recorded by whichever worker ran the sla-check job.
  async function collectSlaBreaches(): Promise<void> {
    const counts = await countSlaBreaches(sources.pool);
    slaBreaches.reset();
    for (const count of counts) slaBreaches.inc({ kind: count.kind, channel: count.channel }, count.breaches);
  }

  return {
    registry,
    async collect() {
      await Promise.all([
        collectQueues().catch((error) => {
          queueJobs.reset();
          deadLetters.reset();
          collectErrors.inc({ source: 'queues' });
          sources.log?.debug({ err: error }, 'metrics: queue depths not read');
        }),
        collectTickets().catch((error) => {
          collectErrors.inc({ source: 'database' });
          sources.log?.debug({ err: error }, 'metrics: ticket counts not read');
        }),
        collectSlaBreaches().catch((error) => {
          collectErrors.inc({ source: 'database' });
          sources.log?.debug({ err: error }, 'metrics: sla breaches not read');
        }),
      ]);
    },
  };
}

/**
 * True when a request may read metrics: with `Authorization: Bearer <METRICS_TOKEN>` (compared in
 * constant time). Without a configured token nobody may: no process serves its metrics to anyone by
 * default (setup-env.mjs generates the token on first start).
 */
export function metricsAuthorized(authorization: string | undefined, token: string | null): boolean {
  if (!token) return false;
  const presented = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(token));
}

/** The metrics text of this process, plus the shared metrics when given. */
export async function renderMetrics(shared?: SharedMetrics): Promise<string> {
  if (!shared) return processRegistry.metrics();
  await shared.collect();
  const [own, common] = await Promise.all([processRegistry.metrics(), shared.registry.metrics()]);
  return `${own}\n${common}`;
}

/**
 * A small HTTP server for a process without the API (the worker role, METRICS_PORT):
 * `GET /metrics` (this process's metrics; METRICS_TOKEN applies) and `GET /health` (200 while
 * the process runs, for container healthchecks).
 */
export async function startMetricsServer(options: {
  host: string;
  port: number;
  token: string | null;
  log: Logger;
}): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/health') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
      return;
    }
    if (!metricsAuthorized(request.headers.authorization, options.token)) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    renderMetrics().then(
      (text) => response.writeHead(200, { 'content-type': processRegistry.contentType }).end(text),
      (error: unknown) => {
        options.log.error({ err: error }, 'metrics: rendering failed');
        response.writeHead(500).end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
