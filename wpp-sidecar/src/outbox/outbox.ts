/**
 * Durable, ordered, signed forwarding of events to the helpdesk (BullMQ on Redis).
 *
 * Ordering choice: ONE worker with concurrency 1 takes jobs FIFO and never advances past the head job while
 * it is retryable: the processor itself retries the POST (it sleeps in place rather than moving the job to
 * BullMQ's delayed set, which would let the next waiting job overtake it). So order is kept globally, which
 * implies per chat. A failing helpdesk therefore holds every later event back (intended: nothing overtakes,
 * nothing is lost).
 * - Transient failures (helpdesk unreachable, timeout, 408, 429, 502, 503, 504; see post-webhook.ts) are
 *   retried WITHOUT LIMIT and use no attempt: the wait doubles from `backoffBaseMs` up to `backoffMaxMs`,
 *   or follows the helpdesk's `Retry-After` (bounded by the same cap). The events held meanwhile are
 *   counted as `heldByOutage` (stats, metrics).
 * - Other answers (400, 401, 403, 404, 413, 422, 500, redirects...) use the attempt budget: retried with
 *   the same backoff until `maxAttempts` of them, then the job moves to BullMQ's failed set, the
 *   dead-letter list shown by `stats()` / `GET /api/outbox` (kept until re-driven, never deleted by age).
 *   `retryDeadLetters` (`POST /api/outbox/retry`) puts them back at the end of the queue.
 * - On shutdown a job waiting for its next retry is put back at the head of the wait list (`moveToWait`),
 *   so the next start resumes with it (with a fresh budget). If the process dies, BullMQ's stalled-job
 *   check returns it to wait.
 * - Dedupe: the jobId is derived from the event's `eventId` (a hash, since BullMQ reserves ':' in ids);
 *   completed jobs are kept 7 days so a replayed event is not sent twice.
 * @see https://docs.bullmq.io/guide/workers/concurrency , https://docs.bullmq.io/guide/retrying-failing-jobs
 */
import { createHash, randomUUID } from 'node:crypto';
import { Queue, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../logger';
import type { SidecarWebhookEvent } from '@whatsapp-helpdesk/contract/sidecar-events';
import type { OutboxCounts, SidecarMetrics } from '../metrics';
import { createWebhookHttp, postWebhook } from './post-webhook';
import type { WebhookHttp } from './post-webhook';

export interface OutboxOptions {
  redisUrl: string;
  /** BullMQ key prefix (unique per test). */
  prefix: string;
  /** Queue name, e.g. `outbox-<session>`. */
  queueName: string;
  webhookUrl: string;
  webhookSecret: string;
  /** Per-request timeout (ms): WEBHOOK_TIMEOUT_MS, the deadline of one POST. */
  timeoutMs: number;
  /** Rejecting answers (not transient failures) before dead-lettering: the attempt budget. */
  maxAttempts: number;
  /** First retry delay (ms); doubles with each consecutive failure. */
  backoffBaseMs: number;
  /** Cap on any retry delay (ms), `Retry-After` included: the longest a recovered helpdesk waits for us. */
  backoffMaxMs: number;
  logger: Logger;
  /** Counts each delivery attempt by result. */
  metrics?: SidecarMetrics;
}

interface OutboxJobData {
  eventId: string;
  event: SidecarWebhookEvent;
  /** Sent as X-Request-Id with every attempt (absent on jobs queued by older versions). */
  requestId?: string;
}

/** The helpdesk outage the head event is waiting on (transient failures only). */
export interface HelpdeskOutage {
  /** When the first failed POST of this outage was answered (ISO 8601). */
  since: string;
  /** The last failure, e.g. `HTTP 503: …` or `network error: …`. */
  lastError: string;
  /** Failed POSTs since the outage began. */
  failedAttempts: number;
  /** When the head event is tried again (ISO 8601). */
  nextAttemptAt: string;
}

/** Counts and dead letters, as served by `GET /api/outbox`. */
export interface OutboxStats {
  counts: {
    waiting: number;
    active: number;
    delayed: number;
    failed: number;
    completed: number;
    /** Events held back (waiting or active) because the helpdesk is unavailable; 0 when it is not. */
    heldByOutage: number;
  };
  /** The outage holding the outbox, or null while the helpdesk answers. */
  helpdeskOutage: HelpdeskOutage | null;
  failed: Array<{ eventId: string; type: string; reason: string; attempts: number; failedAt: string | null }>;
}

/** What to re-drive from the dead-letter list: all of it, or these event ids. */
export type RetrySelection = { all: true } | { eventIds: readonly string[] };

/** Raised by `retryDeadLetters` when an asked id is not a dead letter (nothing was re-driven then). */
export class NotDeadLetteredError extends Error {
  constructor(readonly eventIds: readonly string[]) {
    super(`not in the dead-letter list: ${eventIds.join(', ')}`);
    this.name = 'NotDeadLetteredError';
  }
}

/**
 * The wait before the next POST of the head event.
 * @param failures - consecutive failed POSTs of this event so far (>= 1).
 * @param retryAfterMs - the helpdesk's `Retry-After` in ms, or null.
 * @param baseMs - first delay; doubles with each failure. @param maxMs - cap on the result (ms).
 * @param random - a number in [0, 1) for the ±20 % jitter of the doubling delay.
 * @returns the delay in ms: `Retry-After` when given (at least `baseMs`), else `baseMs * 2^(failures-1)`
 *   with jitter; never above `maxMs`.
 */
export function retryDelayMs(
  failures: number,
  retryAfterMs: number | null,
  baseMs: number,
  maxMs: number,
  random: number = Math.random(),
): number {
  const wanted =
    retryAfterMs !== null
      ? Math.max(retryAfterMs, baseMs)
      : Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 40)) * (0.8 + random * 0.4);
  return Math.round(Math.min(maxMs, wanted));
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
  /** Set while the head event fails transiently (this process's worker is the only deliverer). */
  private outage: HelpdeskOutage | null = null;
  /** The axios instance for the helpdesk (keep-alive); made by `start`, closed by `close`. */
  private http: WebhookHttp | null = null;

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
    this.http = createWebhookHttp(this.options.timeoutMs);
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
  async enqueue(event: SidecarWebhookEvent, requestId: string = randomUUID()): Promise<void> {
    await this.queue.add(
      event.type,
      { eventId: event.eventId, event, requestId },
      { jobId: jobIdFor(event.eventId) },
    );
  }

  /**
   * Job counts for the metrics: waiting (incl. paused), active, delayed and dead (failed), and the events
   * held by a helpdesk outage (waiting + active while the head event fails transiently, else 0).
   */
  async counts(): Promise<OutboxCounts> {
    const c = await this.queue.getJobCounts('waiting', 'paused', 'active', 'delayed', 'failed');
    const waiting = (c.waiting ?? 0) + (c.paused ?? 0);
    const active = c.active ?? 0;
    return {
      waiting,
      active,
      delayed: c.delayed ?? 0,
      dead: c.failed ?? 0,
      heldByOutage: this.outage ? waiting + active : 0,
    };
  }

  /** Counts per state and up to 100 dead letters (newest first). */
  async stats(): Promise<OutboxStats> {
    const c = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'paused');
    const failedJobs = await this.queue.getFailed(0, 99);
    const waiting = (c.waiting ?? 0) + (c.paused ?? 0);
    const active = c.active ?? 0;
    const outage = this.outage;
    return {
      counts: {
        waiting,
        active,
        delayed: c.delayed ?? 0,
        failed: c.failed ?? 0,
        completed: c.completed ?? 0,
        heldByOutage: outage ? waiting + active : 0,
      },
      helpdeskOutage: outage ? { ...outage } : null,
      failed: failedJobs.map((job) => ({
        eventId: job.data.eventId,
        type: job.data.event.type,
        reason: job.failedReason ?? '',
        attempts: progressAttempts(job) ?? job.attemptsMade,
        failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      })),
    };
  }

  /**
   * Re-drive dead letters: each goes back to the END of the queue (after the events waiting now) with a
   * fresh attempt budget, oldest event first. Safe to repeat: the helpdesk dedupes on `eventId`.
   * @param selection - `{ all: true }`, or `{ eventIds }` as `stats().failed[].eventId` lists them.
   * @returns the event ids re-driven, in the order they were queued again.
   * @throws NotDeadLetteredError, before re-driving anything, when an asked id is not a dead letter;
   *   a Redis error when Redis is unreachable.
   */
  async retryDeadLetters(selection: RetrySelection): Promise<{ retried: string[] }> {
    let jobs: Array<Job<OutboxJobData>>;
    if ('all' in selection) {
      // Snapshot first: a re-driven job failing again at once must not be picked up twice.
      jobs = [];
      for (let start = 0; ; start += 1000) {
        const page = (await this.queue.getJobs(['failed'], start, start + 999, true)) as Array<
          Job<OutboxJobData> | undefined
        >;
        jobs.push(...page.filter((job): job is Job<OutboxJobData> => job !== undefined));
        if (page.length < 1000) break;
      }
    } else {
      const unique = [...new Set(selection.eventIds)];
      const found = await Promise.all(
        unique.map(async (eventId) => {
          const job = await this.queue.getJob(jobIdFor(eventId));
          return job && (await job.getState()) === 'failed' ? job : null;
        }),
      );
      const missing = unique.filter((_, index) => !found[index]);
      if (missing.length > 0) throw new NotDeadLetteredError(missing);
      jobs = found.filter((job): job is Job<OutboxJobData> => job !== null);
    }
    jobs.sort((a, b) => a.timestamp - b.timestamp);
    const retried: string[] = [];
    for (const job of jobs) {
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      retried.push(job.data.eventId);
    }
    if (retried.length > 0)
      this.options.logger.info({ count: retried.length }, 'outbox: dead letters re-driven');
    return { retried };
  }

  /** Stop the worker (a job mid-backoff goes back to the head of the queue) and close Redis connections. */
  async close(): Promise<void> {
    this.closing = true;
    this.outage = null;
    for (const wake of this.wakers) wake();
    if (this.worker) await this.worker.close();
    this.worker = null;
    this.http?.close();
    this.http = null;
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
    // attempts: every POST (shown with a dead letter); rejections: the budget; failures: the backoff
    // exponent, consecutive failures of one kind (a rejection right after an outage starts at the base).
    let rejections = 0;
    let failures = 0;
    let lastTransient: boolean | null = null;
    for (let attempt = 1; ; attempt++) {
      const result = await postWebhook(
        o.webhookUrl,
        o.webhookSecret,
        rawBody,
        o.timeoutMs,
        requestId,
        this.http ?? undefined,
      );
      if (result.ok) {
        if (this.outage) log.info({ since: this.outage.since }, 'outbox: helpdesk available again');
        this.outage = null;
        o.metrics?.webhookDeliveries.inc({ result: 'delivered' });
        log.debug({ attempt, status: result.status }, 'outbox: delivered');
        return { attempts: attempt };
      }
      failures = result.transient === lastTransient ? failures + 1 : 1;
      lastTransient = result.transient;
      if (result.transient) {
        o.metrics?.webhookDeliveries.inc({ result: 'retry' });
      } else {
        this.outage = null; // the helpdesk answered about this event: it is up
        rejections++;
        const final = rejections >= o.maxAttempts;
        o.metrics?.webhookDeliveries.inc({ result: final ? 'exhausted' : 'rejected' });
        if (final) {
          await job.updateProgress({ attempts: attempt, lastError: result.reason }).catch(() => undefined);
          throw new UnrecoverableError(
            `${result.reason} (rejected ${rejections} times: attempt budget OUTBOX_MAX_ATTEMPTS=${o.maxAttempts} spent)`,
          );
        }
      }
      const delay = retryDelayMs(failures, result.retryAfterMs, o.backoffBaseMs, o.backoffMaxMs);
      if (result.transient) {
        const now = Date.now();
        this.outage = {
          since: this.outage?.since ?? new Date(now).toISOString(),
          lastError: result.reason,
          failedAttempts: (this.outage?.failedAttempts ?? 0) + 1,
          nextAttemptAt: new Date(now + delay).toISOString(),
        };
      }
      log.warn(
        { attempt, transient: result.transient, reason: result.reason, retryInMs: delay },
        result.transient ? 'outbox: helpdesk unavailable; holding the outbox' : 'outbox: delivery rejected',
      );
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
