/**
 * Durable, ordered, signed forwarding of events to the helpdesk (BullMQ on Redis).
 *
 * Ordering choice: ONE worker with concurrency 1 takes jobs FIFO and never advances past the head job while
 * it is retryable: the processor itself retries the POST with exponential backoff (base * 2^n, capped, with
 * jitter) up to `maxAttempts`. So order is kept globally, which implies per chat. A failing helpdesk
 * therefore holds every later event back (intended: nothing overtakes, nothing is lost).
 * - Non-retryable answers (4xx other than 429) and exhausted attempts move the job to BullMQ's failed set:
 *   the dead-letter list shown by `stats()` / `GET /api/outbox`.
 * - On shutdown a job waiting for its next retry is put back at the head of the wait list (`moveToWait`),
 *   so the next start resumes with it. If the process dies, BullMQ's stalled-job check returns it to wait.
 * - Dedupe: the jobId is derived from the event's `eventId` (a hash, since BullMQ reserves ':' in ids);
 *   completed jobs are kept 7 days so a replayed event is not sent twice.
 * @see https://docs.bullmq.io/guide/workers/concurrency , https://docs.bullmq.io/guide/retrying-failing-jobs
 */
import { createHash, randomUUID } from 'node:crypto';
import { Queue, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../logger';
import type { WebhookEvent } from '../events/types';
import type { OutboxCounts, SidecarMetrics } from '../metrics';
import { postWebhook } from './post-webhook';

export interface OutboxOptions {
  redisUrl: string;
  /** BullMQ key prefix (unique per test). */
  prefix: string;
  /** Queue name, e.g. `outbox-<session>`. */
  queueName: string;
  webhookUrl: string;
  webhookSecret: string;
  /** Per-request timeout (ms). */
  timeoutMs: number;
  /** Total POST attempts before dead-lettering. */
  maxAttempts: number;
  /** First retry delay (ms); doubles each attempt. */
  backoffBaseMs: number;
  /** Cap on the retry delay (ms). */
  backoffMaxMs: number;
  logger: Logger;
  /** Counts each delivery attempt by result. */
  metrics?: SidecarMetrics;
}

interface OutboxJobData {
  eventId: string;
  event: WebhookEvent;
  /** Sent as X-Request-Id with every attempt (absent on jobs queued by older versions). */
  requestId?: string;
}

/** Counts and dead letters, as served by `GET /api/outbox`. */
export interface OutboxStats {
  counts: { waiting: number; active: number; delayed: number; failed: number; completed: number };
  failed: Array<{ eventId: string; type: string; reason: string; attempts: number; failedAt: string | null }>;
}

/** @returns the BullMQ job id for an event id (hex, no ':'). */
export function jobIdFor(eventId: string): string {
  return `evt-${createHash('sha256').update(eventId).digest('hex').slice(0, 40)}`;
}

/** The outbox: `enqueue` events, a single worker delivers them in order. */
export class Outbox {
  private readonly queueConnection: Redis;
  private workerConnection: Redis | null = null;
  private readonly queue: Queue<OutboxJobData>;
  private worker: Worker<OutboxJobData> | null = null;
  private closing = false;
  private readonly wakers = new Set<() => void>();

  constructor(private readonly options: OutboxOptions) {
    this.queueConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    this.queue = new Queue<OutboxJobData>(options.queueName, {
      connection: this.queueConnection,
      prefix: options.prefix,
      defaultJobOptions: {
        attempts: 1,
        removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
        removeOnFail: false,
      },
    });
  }

  /** Start the delivery worker. Idempotent. */
  start(): void {
    if (this.worker) return;
    this.closing = false;
    this.workerConnection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    this.worker = new Worker<OutboxJobData>(
      this.options.queueName,
      (job, token) => this.process(job, token),
      {
        connection: this.workerConnection,
        prefix: this.options.prefix,
        concurrency: 1,
        maxStalledCount: 100,
      },
    );
    this.worker.on('failed', (job, error) => {
      if (job && error.name === 'UnrecoverableError') {
        this.options.logger.error(
          { eventId: job.data.eventId, reason: error.message },
          'outbox: dead-lettered',
        );
      }
    });
    this.worker.on('error', (error) =>
      this.options.logger.warn({ err: error.message }, 'outbox worker error'),
    );
  }

  /**
   * Add an event. A second call with the same `eventId` is a no-op while the first job is kept.
   * @param requestId - the id the helpdesk logs the event under (X-Request-Id); a fresh one by default.
   * @throws when Redis is unreachable.
   */
  async enqueue(event: WebhookEvent, requestId: string = randomUUID()): Promise<void> {
    await this.queue.add(
      event.type,
      { eventId: event.eventId, event, requestId },
      { jobId: jobIdFor(event.eventId) },
    );
  }

  /** Job counts for the metrics: waiting (incl. paused), active, delayed and dead (failed). */
  async counts(): Promise<OutboxCounts> {
    const c = await this.queue.getJobCounts('waiting', 'paused', 'active', 'delayed', 'failed');
    return {
      waiting: (c.waiting ?? 0) + (c.paused ?? 0),
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      dead: c.failed ?? 0,
    };
  }

  /** Counts per state and up to 100 dead letters (newest first). */
  async stats(): Promise<OutboxStats> {
    const c = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'paused');
    const failedJobs = await this.queue.getFailed(0, 99);
    return {
      counts: {
        waiting: (c.waiting ?? 0) + (c.paused ?? 0),
        active: c.active ?? 0,
        delayed: c.delayed ?? 0,
        failed: c.failed ?? 0,
        completed: c.completed ?? 0,
      },
      failed: failedJobs.map((job) => ({
        eventId: job.data.eventId,
        type: job.data.event.type,
        reason: job.failedReason ?? '',
        attempts: progressAttempts(job) ?? job.attemptsMade,
        failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      })),
    };
  }

  /** Stop the worker (a job mid-backoff goes back to the head of the queue) and close Redis connections. */
  async close(): Promise<void> {
    this.closing = true;
    for (const wake of this.wakers) wake();
    if (this.worker) await this.worker.close();
    this.worker = null;
    await this.queue.close();
    for (const connection of [this.workerConnection, this.queueConnection]) {
      if (connection && connection.status !== 'end') connection.disconnect();
    }
  }

  /** Test helper: remove every key of this queue. Only for unique test prefixes. */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
  }

  private async process(job: Job<OutboxJobData>, token?: string): Promise<{ attempts: number }> {
    const o = this.options;
    const rawBody = JSON.stringify(job.data.event);
    const requestId = job.data.requestId ?? job.id;
    const log = o.logger.child({ eventId: job.data.eventId, requestId });
    for (let attempt = 1; ; attempt++) {
      const result = await postWebhook(o.webhookUrl, o.webhookSecret, rawBody, o.timeoutMs, requestId);
      if (result.ok) {
        o.metrics?.webhookDeliveries.inc({ result: 'delivered' });
        log.debug({ attempt, status: result.status }, 'outbox: delivered');
        return { attempts: attempt };
      }
      const final = !result.retryable || attempt >= o.maxAttempts;
      o.metrics?.webhookDeliveries.inc({
        result: !result.retryable ? 'rejected' : final ? 'exhausted' : 'retry',
      });
      if (final) {
        await job.updateProgress({ attempts: attempt, lastError: result.reason }).catch(() => undefined);
        const why = result.retryable ? `gave up after ${attempt} attempts` : 'not retryable';
        throw new UnrecoverableError(`${result.reason} (${why})`);
      }
      const delay =
        Math.min(o.backoffMaxMs, o.backoffBaseMs * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);
      log.warn({ attempt, reason: result.reason, retryInMs: Math.round(delay) }, 'outbox: delivery failed');
      await job.updateProgress({ attempts: attempt, lastError: result.reason }).catch(() => undefined);
      if (await this.sleep(delay)) {
        if (token) await job.moveToWait(token);
        throw new WaitingError();
      }
    }
  }

  /** Sleep `ms`; resolves true early if the outbox is closing. */
  private sleep(ms: number): Promise<boolean> {
    if (this.closing) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.wakers.delete(wake);
        resolve(false);
      }, ms);
      this.wakers.add(wake);
    });
  }
}

function progressAttempts(job: Job): number | null {
  const p = job.progress as { attempts?: unknown } | number;
  return typeof p === 'object' && p && typeof p.attempts === 'number' ? p.attempts : null;
}
