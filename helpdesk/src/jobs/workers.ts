/**
 * Starts the BullMQ workers of this process (inbound and outbound) and stops them gracefully:
 * `close()` waits for jobs in progress to finish.
 */
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Context } from '../context';
import type { Logger } from '../infra/logger';
import { createRedis } from '../infra/redis';
import { handleInboundJob, type InboundJobDependencies } from './inbound-job';
import { handleOutboundJob } from './outbound-job';
import { INBOUND_QUEUE, OUTBOUND_QUEUE, type OutboundJob } from './queues';
import type { InboundJob } from '../whatsapp/inbound-event';

export interface WorkerSettings {
  prefix: string;
  concurrency: number;
  /** How long a job's lock lasts (ms); a job of a dead worker is picked up again after this. */
  lockMs: number;
}

export interface Workers {
  close(): Promise<void>;
}

/** @param connection a worker connection (maxRetriesPerRequest null). */
export function startWorkers(
  connection: Redis,
  settings: WorkerSettings,
  deps: InboundJobDependencies,
  log: Logger,
): Workers {
  const common = {
    connection,
    prefix: settings.prefix,
    concurrency: settings.concurrency,
    lockDuration: settings.lockMs,
    stalledInterval: Math.max(1000, Math.floor(settings.lockMs / 2)),
    maxStalledCount: 5,
  };
  const inbound = new Worker<InboundJob>(INBOUND_QUEUE, (job) => handleInboundJob(deps, job), common);
  const outbound = new Worker<OutboundJob>(
    OUTBOUND_QUEUE,
    (job) => handleOutboundJob({ ...deps, log }, job),
    common,
  );
  for (const worker of [inbound, outbound]) {
    worker.on('failed', (job, error) =>
      log.warn(
        { queue: worker.name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: error },
        'job failed',
      ),
    );
    worker.on('error', (error) => log.error({ queue: worker.name, err: error }, 'worker error'));
  }
  return {
    async close() {
      await Promise.all([inbound.close(), outbound.close()]);
    },
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
    { prefix: config.queuePrefix, concurrency: config.jobs.concurrency, lockMs: config.jobs.lockMs },
    {
      ...context,
      mediaMaxBytes: config.mediaMaxBytes,
      reopenWindowMs: config.reopenWindowMs,
      businessHours: config.businessHours,
      businessTimeZone: config.businessTimeZone,
    },
    context.log,
  );
  return {
    async close() {
      await workers.close();
      connection.disconnect();
    },
  };
}
