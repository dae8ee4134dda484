/**
 * The worker of the `broadcast` queue (broadcast-queue.ts): one recipient per job, one job at a
 * time per process, at the pace of the queue's global rate limiter. On WPPConnect each send is
 * followed by a random pause (pacing.ts `jitterMs`) through BullMQ's manual rate limit, and a
 * recipient over the channel's daily cap waits (delayed) until the next UTC day.
 */
import { DelayedError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Context } from '../context';
import { timeJob } from '../infra/metrics';
import { jitterMs } from '../use-cases/broadcasts/pacing';
import { sendBroadcastRecipient } from '../use-cases/broadcasts/send-broadcast-recipient';
import { BROADCAST_QUEUE, broadcastLimiter, type BroadcastJob } from './broadcast-queue';
import { stalledJobSettings } from './stalled-jobs';

/** Starts the broadcast worker on `connection` (a worker connection). */
export function startBroadcastWorker(
  connection: Redis,
  context: Pick<Context, 'pool' | 'queues' | 'realtime' | 'log' | 'config'>,
  settings: { lockMs: number },
): Worker<BroadcastJob> {
  const worker = new Worker<BroadcastJob>(
    BROADCAST_QUEUE,
    (job: Job<BroadcastJob>, token?: string) =>
      timeJob(BROADCAST_QUEUE, async () => {
        const result = await sendBroadcastRecipient(context, job.data.broadcastId, job.data.phone);
        if (result.outcome === 'capped' && token) {
          await job.moveToDelayed(result.retryAt.getTime(), token);
          throw new DelayedError();
        }
        if (result.outcome === 'sent') {
          const jitter = jitterMs(result.provider, result.ratePerMinute, Math.random());
          if (jitter > 0)
            await context.queues.broadcast.rateLimit(
              broadcastLimiter(result.ratePerMinute).duration + jitter,
            );
        }
        return result.outcome;
      }),
    {
      connection,
      prefix: context.config.queuePrefix,
      concurrency: 1,
      ...stalledJobSettings(settings.lockMs),
    },
  );
  worker.on('failed', (job, error) =>
    context.log.warn({ queue: BROADCAST_QUEUE, jobId: job?.id, err: error }, 'job failed'),
  );
  worker.on('error', (error) => context.log.error({ queue: BROADCAST_QUEUE, err: error }, 'worker error'));
  return worker;
}
