/**
 * Durable, ordered, signed forwarding of events to the helpdesk (BullMQ on Redis).
 *
 * Ordering: PER LANE, not globally. Each event names its lane (`enqueue`'s `lane`: one chat of one session,
 * `chat:<session>/<chat id>`, or a session's own state changes, `session:<session>`). Events of one lane are
 * delivered one at a time in the order they entered the outbox; lanes do not wait for each other, so one
 * chat's failing event no longer holds every other chat back.
 * - The lane's order lives in Redis (a sorted set per lane, `<prefix>:<queue>-lanes:<lane>`, scored by a
 *   counter taken when the event enters): it survives restarts and is the one rule for who may go.
 * - The worker runs `concurrency` jobs at once. A job may be delivered only when it is the first of its lane;
 *   otherwise it is parked in BullMQ's delayed set (not failed, no attempt used) until the event ahead of it
 *   leaves the lane (delivered or dead-lettered), which promotes it. A park lasts at most `PARK_MS` in case a
 *   promotion was missed; the start-up promotes the parked first of every lane.
 * - The lane's first event retries in place (the processor sleeps between POSTs), as before.
 * - A job not in its lane's set (queued by an older version, or re-driven by hand outside `retryDeadLetters`)
 *   is delivered when it comes. A lane entry whose job is gone, delivered or dead is dropped when seen.
 * - Transient failures (helpdesk unreachable, timeout, 408, 429, 502, 503, 504; see post-webhook.ts) are
 *   retried WITHOUT LIMIT and use no attempt: the wait doubles from `backoffBaseMs` up to `backoffMaxMs`,
 *   or follows the helpdesk's `Retry-After` (bounded by the same cap). While any lane waits on such a
 *   failure, the undelivered events are counted as `heldByOutage` (stats, metrics).
 * - Other answers (400, 401, 403, 404, 413, 422, 500, redirects...) use the attempt budget: retried with
 *   the same backoff until `maxAttempts` of them, then the job moves to BullMQ's failed set, the
 *   dead-letter list shown by `stats()` / `GET /api/outbox` (kept until re-driven, never deleted by age);
 *   it leaves its lane, so the chat's later events go on. `retryDeadLetters` (`POST /api/outbox/retry`)
 *   puts them back at the end of the queue and of their lane.
 * - On shutdown a job waiting for its next retry is put back at the head of the wait list (`moveToWait`),
 *   so the next start resumes with it (with a fresh budget). If the process dies, BullMQ's stalled-job
 *   check returns it to wait.
 * - Dedupe: the jobId is derived from the event's `eventId` (a hash, since BullMQ reserves ':' in ids);
 *   completed jobs are kept 7 days so a replayed event is not sent twice.
 * @see https://docs.bullmq.io/guide/workers/concurrency , https://docs.bullmq.io/guide/retrying-failing-jobs
 */
import { createHash, randomUUID } from 'node:crypto';
import { DelayedError, Queue, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../logger';
import type { SidecarWebhookEvent } from '@whatsapp-helpdesk/contract/sidecar-events';
import type { OutboxCounts, SidecarMetrics } from '../metrics';
import { withTimeout } from '../timeout';
import './bullmq-close-fix';
import { laneOf } from './lanes';
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
  /** Jobs delivered at once (distinct lanes); default `DEFAULT_OUTBOX_CONCURRENCY`. */
  concurrency?: number;
  logger: Logger;
  /** Counts each delivery attempt by result. */
  metrics?: SidecarMetrics;
}

interface OutboxJobData {
  eventId: string;
  event: SidecarWebhookEvent;
  /** Sent as X-Request-Id with every attempt (absent on jobs queued by older versions). */
  requestId?: string;
  /** The ordering lane (absent on jobs queued by older versions: those go when they come). */
  lane?: string;
}

/** Jobs delivered at once by default: as many lanes can wait on a rejecting helpdesk without holding others. */
export const DEFAULT_OUTBOX_CONCURRENCY = 16;

/** Longest park of a job behind its lane's first event (ms); normally it is promoted long before. */
const PARK_MS = 5 * 60_000;

/**
 * Joins a lane (atomically takes the next number and adds the job to the lane's set). KEYS: the counter,
 * the lane's set, the job's hash. ARGV: job id, `force` ("1": join even when the job exists, for a
 * re-driven dead letter). Returns the job's number in the lane, or 0 when it did not join (the job is
 * already queued: a repeated enqueue, which BullMQ ignores too).
 */
const JOIN_LANE_LUA = `
local existing = redis.call('ZSCORE', KEYS[2], ARGV[1])
if existing then return tonumber(existing) end
if ARGV[2] ~= '1' and redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
local seq = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], seq, ARGV[1])
return seq
`;

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
  /** Lanes whose first event fails transiently, with their outage (this process's worker is the only deliverer). */
  private readonly outages = new Map<string, HelpdeskOutage & { lastAt: number }>();
  /** One lane decision at a time per lane (park or go; leave and promote the next): no missed promotion. */
  private readonly laneLocks = new Map<string, Promise<unknown>>();
  /** Jobs between joining their lane and being added to the queue (their lane entry is not stale). */
  private readonly joining = new Set<string>();
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

  /**
   * Start the delivery worker, after promoting the parked first event of every lane (a previous run may
   * have stopped between a delivery and its successor's promotion). Idempotent.
   */
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
        concurrency: this.options.concurrency ?? DEFAULT_OUTBOX_CONCURRENCY,
        maxStalledCount: 100,
      },
    );
    void this.promoteParkedHeads().catch((error: unknown) =>
      this.options.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'outbox: parked events not promoted at start (they resume within 5 minutes)',
      ),
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
   * Add an event at the end of its lane. A second call with the same `eventId` is a no-op while the first
   * job is kept.
   * @param requestId - the id the helpdesk logs the event under (X-Request-Id); a fresh one by default.
   * @param lane - the ordering key (see `laneOf`); by default the one `laneOf(event)` derives.
   * @throws when Redis is unreachable (then the event may or may not be in; calling again is safe).
   */
  async enqueue(
    event: SidecarWebhookEvent,
    requestId: string = randomUUID(),
    lane: string = laneOf(event),
  ): Promise<void> {
    const jobId = jobIdFor(event.eventId);
    this.joining.add(jobId);
    try {
      await this.joinLane(lane, jobId, false);
      await this.queue.add(event.type, { eventId: event.eventId, event, requestId, lane }, { jobId });
    } finally {
      this.joining.delete(jobId);
    }
  }

  /**
   * Job counts for the metrics: waiting (incl. paused and parked), active, delayed (the parked ones: waiting
   * behind an earlier event of their lane, also counted in waiting) and dead (failed), and the events held
   * by a helpdesk outage (waiting + active while any lane's first event fails transiently, else 0).
   */
  async counts(): Promise<OutboxCounts> {
    const c = await this.queue.getJobCounts('waiting', 'paused', 'active', 'delayed', 'failed');
    const parked = c.delayed ?? 0;
    const waiting = (c.waiting ?? 0) + (c.paused ?? 0) + parked;
    const active = c.active ?? 0;
    return {
      waiting,
      active,
      delayed: parked,
      dead: c.failed ?? 0,
      heldByOutage: this.outages.size > 0 ? waiting + active : 0,
    };
  }

  /** Counts per state (as `counts`, plus completed) and up to 100 dead letters (newest first). */
  async stats(): Promise<OutboxStats> {
    const c = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'paused');
    const failedJobs = await this.queue.getFailed(0, 99);
    const parked = c.delayed ?? 0;
    const waiting = (c.waiting ?? 0) + (c.paused ?? 0) + parked;
    const active = c.active ?? 0;
    const outage = this.currentOutage();
    return {
      counts: {
        waiting,
        active,
        delayed: parked,
        failed: c.failed ?? 0,
        completed: c.completed ?? 0,
        heldByOutage: outage ? waiting + active : 0,
      },
      helpdeskOutage: outage,
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
   * Re-drive dead letters: each goes back to the END of the queue and of its lane (after the events waiting
   * now) with a fresh attempt budget, oldest event first. Safe to repeat: the helpdesk dedupes on `eventId`.
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
      const again = () => job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      const { lane } = job.data;
      const jobId = job.id;
      if (lane && jobId) {
        // Under the lane's lock: no lane check may see it there while it is still a dead letter.
        await this.withLaneLock(lane, async () => {
          await this.joinLane(lane, jobId, true);
          await again();
        });
      } else {
        await again();
      }
      retried.push(job.data.eventId);
    }
    if (retried.length > 0)
      this.options.logger.info({ count: retried.length }, 'outbox: dead letters re-driven');
    return { retried };
  }

  /** Stop the worker (a job mid-backoff goes back to the head of the queue) and close Redis connections. */
  async close(): Promise<void> {
    this.closing = true;
    this.outages.clear();
    for (const wake of this.wakers) wake();
    // A sidecar stopped just after it started: BullMQ's connections may still be opening, and closing
    // one mid-way rejects its set-up commands (CLIENT SETNAME, the first stalled-jobs check) with
    // "Connection is closed.", unhandled. Let them open first (bounded: Redis may be away).
    await withTimeout(
      Promise.all([this.queue.waitUntilReady(), this.worker?.waitUntilReady()]),
      QUIT_WAIT_MS,
      'Redis',
    ).catch(() => undefined);
    if (this.worker) await this.worker.close();
    this.worker = null;
    this.http?.close();
    this.http = null;
    await this.queue.close();
    await Promise.all(
      [this.workerConnection, this.queueConnection].map(
        (connection) => connection && closeConnection(connection),
      ),
    );
  }

  /** Test helper: remove every key of this queue. Only for unique test prefixes. */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
  }

  /** One job: wait for its lane's turn (or park), deliver, leave the lane. */
  private async process(job: Job<OutboxJobData>, token?: string): Promise<{ attempts: number }> {
    const lane = job.data.lane;
    const jobId = job.id;
    if (!lane || !jobId) return this.deliver(job, token, null);
    if (!(await this.takeTurn(job, lane, jobId, token))) throw new DelayedError();
    let result: { attempts: number };
    try {
      result = await this.deliver(job, token, lane);
    } catch (error) {
      // Dead-lettered: out of the lane, so the chat goes on. Held (shutdown): it keeps its place.
      if (error instanceof UnrecoverableError) await this.leaveLane(lane, jobId);
      throw error;
    }
    await this.leaveLane(lane, jobId);
    return result;
  }

  /**
   * @returns true when the job is its lane's first (or not in the lane): deliver it now; false when it was
   *   parked behind an earlier event of its lane (the caller throws DelayedError).
   * While Redis fails the check is retried; at shutdown the job goes back to wait (WaitingError).
   */
  private async takeTurn(
    job: Job<OutboxJobData>,
    lane: string,
    jobId: string,
    token: string | undefined,
  ): Promise<boolean> {
    for (let failures = 1; ; failures++) {
      try {
        return await this.withLaneLock(lane, async () => {
          const head = await this.laneHead(lane, jobId);
          if (head === null || head === jobId) return true;
          if ((await this.queueConnection.zscore(this.laneKey(lane), jobId)) === null) return true;
          // The first one parked means a promotion was missed (Redis failed then): make up for it.
          await this.promoteIfParked(head);
          await job.moveToDelayed(Date.now() + PARK_MS, token);
          return false;
        });
      } catch (error) {
        this.options.logger.warn(
          { err: error instanceof Error ? error.message : String(error), lane },
          'outbox: lane check failed (Redis); retrying',
        );
        const delay = retryDelayMs(failures, null, this.options.backoffBaseMs, this.options.backoffMaxMs);
        if (await this.sleep(delay)) {
          if (token) await job.moveToWait(token);
          throw new WaitingError();
        }
      }
    }
  }

  /**
   * Removes a finished job (delivered or dead) from its lane and promotes the lane's next event when it is
   * parked. A failure is logged: the next event then resumes when its park ends (PARK_MS) or at start.
   */
  private async leaveLane(lane: string, jobId: string): Promise<void> {
    try {
      await this.withLaneLock(lane, async () => {
        await this.queueConnection.zrem(this.laneKey(lane), jobId);
        const next = await this.laneHead(lane);
        if (next) await this.promoteIfParked(next);
      });
    } catch (error) {
      this.options.logger.warn(
        { err: error instanceof Error ? error.message : String(error), lane },
        'outbox: the next event of the lane was not promoted (it resumes within 5 minutes)',
      );
    }
  }

  /**
   * The lane's first job id, dropping entries whose job is gone, delivered or dead-lettered (a repeated
   * enqueue of a delivered event, a crash between delivery and leaving the lane). Null for an empty lane.
   * @param self - the job asking (being processed, so alive: not looked up).
   */
  private async laneHead(lane: string, self?: string): Promise<string | null> {
    const key = this.laneKey(lane);
    for (;;) {
      const [head] = await this.queueConnection.zrange(key, 0, 0);
      if (head === undefined) return null;
      if (head === self || this.joining.has(head)) return head;
      const job = await this.queue.getJob(head);
      const state = job ? await job.getState() : 'unknown';
      if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return head;
      await this.queueConnection.zrem(key, head);
    }
  }

  /** Moves a parked (delayed) job back to wait; nothing when it is not parked. */
  private async promoteIfParked(jobId: string): Promise<void> {
    const job = await this.queue.getJob(jobId);
    if (job && (await job.isDelayed())) await job.promote().catch(() => undefined);
  }

  /** At start: the first event of every lane, when parked, goes back to wait. */
  private async promoteParkedHeads(): Promise<void> {
    const prefix = this.laneKey('');
    let cursor = '0';
    do {
      const [next, keys] = await this.queueConnection.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const lane = key.slice(prefix.length);
        await this.withLaneLock(lane, async () => {
          const head = await this.laneHead(lane);
          if (head) await this.promoteIfParked(head);
        });
      }
    } while (cursor !== '0' && !this.closing);
  }

  /** Adds a job at the end of its lane (see JOIN_LANE_LUA); `force` for a re-driven dead letter. */
  private async joinLane(lane: string, jobId: string, force: boolean): Promise<void> {
    await this.queueConnection.eval(
      JOIN_LANE_LUA,
      3,
      `${this.options.prefix}:${this.options.queueName}-lane-seq`,
      this.laneKey(lane),
      this.queue.toKey(jobId),
      jobId,
      force ? '1' : '0',
    );
  }

  /** The Redis key of a lane's sorted set (`<prefix>:<queue>-lanes:<lane>`). */
  private laneKey(lane: string): string {
    return `${this.options.prefix}:${this.options.queueName}-lanes:${lane}`;
  }

  /** Runs `work` after the lane's previous decision (one at a time per lane, in this process). */
  private withLaneLock<T>(lane: string, work: () => Promise<T>): Promise<T> {
    const previous = this.laneLocks.get(lane) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.laneLocks.set(lane, settled);
    void settled.then(() => {
      if (this.laneLocks.get(lane) === settled) this.laneLocks.delete(lane);
    });
    return run;
  }

  /** The outage summed over the lanes waiting on one, or null while the helpdesk answers. */
  private currentOutage(): HelpdeskOutage | null {
    if (this.outages.size === 0) return null;
    const all = [...this.outages.values()];
    const latest = all.reduce((a, b) => (b.lastAt > a.lastAt ? b : a));
    return {
      since: all.map((o) => o.since).sort()[0]!,
      lastError: latest.lastError,
      failedAttempts: all.reduce((sum, o) => sum + o.failedAttempts, 0),
      nextAttemptAt: all.map((o) => o.nextAttemptAt).sort()[0]!,
    };
  }

  /** POSTs the event until delivered, dead-lettered (UnrecoverableError) or held by shutdown (WaitingError). */
  private async deliver(
    job: Job<OutboxJobData>,
    token: string | undefined,
    lane: string | null,
  ): Promise<{ attempts: number }> {
    const o = this.options;
    const outageKey = lane ?? `job:${job.id ?? job.data.eventId}`;
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
        const outage = this.outages.get(outageKey);
        if (outage) log.info({ since: outage.since, lane }, 'outbox: helpdesk available again');
        this.outages.delete(outageKey);
        o.metrics?.webhookDeliveries.inc({ result: 'delivered' });
        log.debug({ attempt, status: result.status }, 'outbox: delivered');
        return { attempts: attempt };
      }
      failures = result.transient === lastTransient ? failures + 1 : 1;
      lastTransient = result.transient;
      if (result.transient) {
        o.metrics?.webhookDeliveries.inc({ result: 'retry' });
      } else {
        this.outages.delete(outageKey); // the helpdesk answered about this event: it is up
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
      if (result.transient && !this.closing) {
        const now = Date.now();
        const previous = this.outages.get(outageKey);
        this.outages.set(outageKey, {
          since: previous?.since ?? new Date(now).toISOString(),
          lastError: result.reason,
          failedAttempts: (previous?.failedAttempts ?? 0) + 1,
          nextAttemptAt: new Date(now + delay).toISOString(),
          lastAt: now,
        });
      }
      log.warn(
        { attempt, transient: result.transient, reason: result.reason, retryInMs: delay },
        result.transient ? 'outbox: helpdesk unavailable; holding the outbox' : 'outbox: delivery rejected',
      );
      await job.updateProgress({ attempts: attempt, lastError: result.reason }).catch(() => undefined);
      if (await this.sleep(delay)) {
        this.outages.delete(outageKey);
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

/** Longest wait for Redis to answer QUIT at close (ms); then the connection is dropped. */
const QUIT_WAIT_MS = 1000;

/**
 * Closes a connection without failing what is still on it: QUIT is answered after every command sent
 * before it, whereas `disconnect()` rejects them with "Connection is closed." (ioredis), an unhandled
 * rejection for any that BullMQ issued without awaiting (`close()` first lets a connection still
 * opening get ready). A connection that is not ready, or a Redis that does not answer within
 * QUIT_WAIT_MS, is dropped.
 */
async function closeConnection(connection: Redis): Promise<void> {
  if (connection.status === 'ready') {
    await withTimeout(connection.quit(), QUIT_WAIT_MS, 'Redis').catch(() => undefined);
  }
  if (connection.status !== 'end') connection.disconnect();
}
