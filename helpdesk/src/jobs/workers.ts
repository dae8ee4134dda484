/**
 * Starts the BullMQ workers of this process (inbound, outbound and scheduled) and stops them
 * gracefully: `close()` waits for jobs in progress to finish. A job the infrastructure fails
 * (database or Redis unreachable) waits and retries without using an attempt
 * (infrastructure-retry.ts).
 */
import { Worker, type Job } from 'bullmq';
import DataLoader from 'dataloader';
import type { Redis } from 'ioredis';
import type { Config } from '../config';
import type { Context } from '../context';
import type { Logger } from '../infra/logger';
import { timeJob } from '../infra/metrics';
import { createRedis } from '../infra/redis';
import { handleInboundJobs, type InboundJobDependencies, type InboundJobOutcome } from './inbound-job';
import { withInfrastructureRetry, type InfrastructureRetrySettings } from './infrastructure-retry';
import { handleOutboundJob } from './outbound-job';
import { inboundShardName, INBOUND_QUEUE, MAX_INBOUND_SHARDS, type InboundQueueJob } from './inbound-queue';
import { OUTBOUND_QUEUE, RATE_LIMITED_OUTBOUND_JOB_MAX_MESSAGES, type OutboundJob } from './queues';
import { startBroadcastWorker } from './broadcast-jobs';
import { startScheduledWorker } from './scheduled-jobs';
import { stalledJobSettings } from './stalled-jobs';
import { startWebhookWorker } from './webhook-jobs';

export interface WorkerSettings {
  prefix: string;
  concurrency: number;
  /** How long a job's lock lasts (ms); a job of a dead worker is picked up again after this. */
  lockMs: number;
  /** Most inbound jobs handled in one transaction, and taken at once from one shard (1: one at a time). */
  inboundBatchSize: number;
  /** BullMQ's limiter of the outbound queue (across all workers), or none. See `outboundRateLimit`. */
  outboundLimiter?: { max: number; duration: number } | null;
  /** The first wait of an infrastructure retry, ms (doubling; default 1000). */
  backoffMs?: number;
  /** The longest wait between infrastructure retries, ms (default 60000). */
  infrastructureRetryMaxMs?: number;
}

/**
 * The outbound queue's rate limit. With the Cloud API, Meta caps a phone number's throughput
 * (CLOUD_API_MAX_MPS, Meta's default 80 messages a second; error 130429 beyond it — Meta,
 * "Throughput"). BullMQ's worker limiter counts jobs across every worker process, so at most
 * floor(MPS / 3) jobs start per second, and jobs then carry at most 3 messages
 * (RATE_LIMITED_OUTBOUND_JOB_MAX_MESSAGES): they stay within the number's rate.
 * One helpdesk serves one number, so the queue's limit is the number's. A 130429 that still
 * happens is retried with backoff. WPPConnect has no such cap: no limiter.
 * @returns `{ max, duration: 1000 }` for the cloud provider, null otherwise.
 */
export function outboundRateLimit(
  config: Pick<Config, 'provider' | 'cloud'>,
): { max: number; duration: number } | null {
  if (config.provider !== 'cloud') return null;
  return {
    max: Math.max(1, Math.floor(config.cloud.maxMps / RATE_LIMITED_OUTBOUND_JOB_MAX_MESSAGES)),
    duration: 1000,
  };
}

/**
 * How long the first inbound job of a batch waits for others (ms). BullMQ hands a worker its jobs
 * one Redis round trip apart, so waiting for the end of the current tick gathers few. Measured with
 * `npm run bench` on 2 cores and 4 shards (BENCHMARKS.md, "2026-12-01, evening"): 3 ms stored as
 * many messages a second as 1 ms and, at 1,000 webhooks a second, left the cores 85 % busy
 * instead of 91 % (PostgreSQL 0.41 ms of CPU per message instead of 0.49); 5 ms less CPU still
 * but fewer messages a second. With 16 shards, 1 ms had stored the most.
 */
const INBOUND_BATCH_WINDOW_MS = 3;

export interface Workers {
  close(): Promise<void>;
}

/** The inbound and outbound workers (`startWorkers`). */
export interface InboundOutboundWorkers extends Workers {
  /** Settles once the inbound shards are limited to one job at a time and their workers run. */
  readonly started: Promise<void>;
}

/** @param connection a worker connection (maxRetriesPerRequest null). */
export function startWorkers(
  connection: Redis,
  settings: WorkerSettings,
  deps: InboundJobDependencies,
  log: Logger,
): InboundOutboundWorkers {
  const common = {
    connection,
    prefix: settings.prefix,
    concurrency: settings.concurrency,
    ...stalledJobSettings(settings.lockMs),
  };
  // A shard's worker takes the jobs waiting behind the one BullMQ hands it (inbound-queue.ts,
  // `waitingBehind`), and the shards' takes that start within one window are handled together,
  // packed into transactions of at most `inboundBatchSize` jobs: under load batches grow with the
  // backlog, alone a job waits one window.
  const batches = new DataLoader<ReadonlyArray<Job<InboundQueueJob>>, InboundJobOutcome[]>(
    async (takes) => {
      const packs: Array<Array<ReadonlyArray<Job<InboundQueueJob>>>> = [];
      let size = Infinity;
      for (const take of takes) {
        if (size + take.length > settings.inboundBatchSize) {
          packs.push([]);
          size = 0;
        }
        packs.at(-1)!.push(take);
        size += take.length;
      }
      const outcomes = await Promise.all(packs.map((pack) => handleInboundJobs(deps, pack.flat())));
      return packs.flatMap((pack, index) => {
        let next = 0;
        return pack.map((take) => outcomes[index]!.slice(next, (next += take.length)));
      });
    },
    { cache: false, batchScheduleFn: (flush) => setTimeout(flush, INBOUND_BATCH_WINDOW_MS) },
  );
  const handleShardJob = async (shard: number, job: Job<InboundQueueJob>): Promise<string> => {
    const behind = await deps.queues.inbound.waitingBehind(shard, settings.inboundBatchSize - 1);
    const outcomes = await batches.load([job, ...behind]);
    if (behind.length > 0) {
      // Removed before the active job completes: until then no other worker can start them.
      const handled = behind.filter((_, index) => !(outcomes[index + 1] instanceof Error));
      const kept = await deps.queues.inbound.removeTaken(shard, handled);
      if (kept > 0) log.warn({ shard, kept }, 'inbound: handled jobs not removed; they will be redelivered');
    }
    const own = outcomes[0]!;
    if (own instanceof Error) throw own;
    return own;
  };
  const retry = (queue: string): InfrastructureRetrySettings => ({
    queue,
    baseMs: settings.backoffMs ?? 1000,
    maxMs: settings.infrastructureRetryMaxMs ?? 60_000,
    databaseHealth: deps.databaseHealth,
    log,
  });
  const inboundRetry = retry(INBOUND_QUEUE);
  const outboundRetry = retry(OUTBOUND_QUEUE);
  // One worker per shard of the inbound queue, one job at a time: the shard's global concurrency
  // (inbound-queue.ts) keeps it to one across processes, so a customer's events keep their order.
  // Started once the shards are limited, and limited again whenever Redis comes back (a Redis that
  // lost its data lost the limit too). The token (the job's lock) lets an infrastructure retry move
  // the job back to the delayed set.
  const inbound = Array.from(
    { length: MAX_INBOUND_SHARDS },
    (_, index) =>
      new Worker<InboundQueueJob>(
        inboundShardName(index),
        (job, token) =>
          timeJob(INBOUND_QUEUE, () =>
            withInfrastructureRetry(job, token, inboundRetry, () => handleShardJob(index, job)),
          ),
        { ...common, concurrency: 1, autorun: false },
      ),
  );
  let closing = false;
  const keepOrder = async (): Promise<void> => {
    for (let wait = 100; !closing; wait = Math.min(wait * 2, 5000)) {
      try {
        return await deps.queues.inbound.keepOrder();
      } catch (error) {
        log.warn({ err: error }, 'inbound shards not limited to one job at a time yet; retrying');
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  };
  const onReady = () => void keepOrder();
  connection.on('ready', onReady);
  const started = keepOrder().then(() => {
    if (closing) return;
    for (const worker of inbound)
      worker.run().catch((error: unknown) => log.error({ queue: worker.name, err: error }, 'worker stopped'));
  });
  const outbound = new Worker<OutboundJob>(
    OUTBOUND_QUEUE,
    (job, token) =>
      timeJob(OUTBOUND_QUEUE, () =>
        withInfrastructureRetry(job, token, outboundRetry, () => handleOutboundJob({ ...deps, log }, job)),
      ),
    settings.outboundLimiter ? { ...common, limiter: settings.outboundLimiter } : common,
  );
  for (const worker of [...inbound, outbound]) {
    worker.on('failed', (job, error) =>
      log.warn(
        {
          queue: worker.name,
          jobId: job?.id,
          requestId: job && 'requestId' in job.data ? job.data.requestId : undefined,
          attemptsMade: job?.attemptsMade,
          err: error,
        },
        'job failed',
      ),
    );
    worker.on('error', (error) => log.error({ queue: worker.name, err: error }, 'worker error'));
  }
  return {
    started,
    async close() {
      closing = true;
      connection.off('ready', onReady);
      await started;
      await Promise.all([...inbound.map((worker) => worker.close()), outbound.close()]);
    },
  };
}

/** What the inbound jobs need, from a process context. */
export function inboundJobDependencies(context: Context): InboundJobDependencies {
  const { config } = context;
  return {
    ...context,
    mediaMaxBytes: config.mediaMaxBytes,
    reopenWindowMs: config.reopenWindowMs,
    optOut: config.reminders.optOut,
    businessHours: config.businessHours,
    businessTimeZone: config.businessTimeZone,
  };
}

/**
 * Starts this process's workers from the shared context, on their own Redis connection.
 * @returns a handle whose `close()` waits for jobs in progress, then disconnects.
 */
export function startContextWorkers(context: Context): Workers {
  const { config } = context;
  const connection = createRedis(config.redisUrl, 'worker');
  connection.on('error', (error) => context.log.debug({ err: error }, 'redis (worker) error'));
  const workers = startWorkers(
    connection,
    {
      prefix: config.queuePrefix,
      concurrency: config.jobs.concurrency,
      inboundBatchSize: config.jobs.inboundBatchSize,
      lockMs: config.jobs.lockMs,
      outboundLimiter: outboundRateLimit(config),
      backoffMs: config.jobs.backoffMs,
      infrastructureRetryMaxMs: config.jobs.infrastructureRetryMaxMs,
    },
    inboundJobDependencies(context),
    context.log,
  );
  // Snooze ends and the presence and snooze sweeps (scheduled-queue.ts).
  const scheduled = startScheduledWorker(connection, context, {
    lockMs: config.jobs.lockMs,
    backoffMs: config.jobs.backoffMs,
    infrastructureRetryMaxMs: config.jobs.infrastructureRetryMaxMs,
  });
  // Broadcast recipients, at the pace of the broadcast queue's rate limiter (broadcast-queue.ts).
  const broadcast = startBroadcastWorker(connection, context, { lockMs: config.jobs.lockMs });
  // Outgoing webhooks: the outbox relayed into deliveries, delivered by the `webhooks` queue.
  const webhooks = startWebhookWorker(connection, context, { lockMs: config.jobs.lockMs });
  return {
    async close() {
      await Promise.all([workers.close(), scheduled.close(), broadcast.close(), webhooks.close()]);
      connection.disconnect();
    },
  };
}
