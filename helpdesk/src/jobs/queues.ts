/**
 * The BullMQ queues: `inbound` (webhook events to process, in shards that keep each customer's
 * order: inbound-queue.ts), `outbound` (messages to send) and `scheduled` (work at a time: snooze
 * ends, presence sweeps; see scheduled-queue.ts).
 * Job ids are derived from event and message ids, so enqueuing the same thing twice adds one job.
 */
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { InboundJob } from '../whatsapp/inbound-event';
import { BROADCAST_QUEUE, type BroadcastJob } from './broadcast-queue';
import { INBOUND_QUEUE, InboundQueue } from './inbound-queue';
import { jobIdFor } from './job-ids';
import { SCHEDULED_QUEUE, type ScheduledJob } from './scheduled-queue';

export { INBOUND_QUEUE };
export const OUTBOUND_QUEUE = 'outbound';

export interface OutboundJob {
  /** Outbound message ids, sent one after the other in this order. */
  messageIds: string[];
  /** The id of the request that caused the sending (logged, and sent to the provider as X-Request-Id). */
  requestId?: string;
}

export interface QueueSettings {
  prefix: string;
  attempts: number;
  backoffMs: number;
}

export interface Queues {
  /** The inbound shards, as one queue (inbound-queue.ts). */
  inbound: InboundQueue;
  outbound: Queue<OutboundJob>;
  scheduled: Queue<ScheduledJob>;
  /** One job per broadcast recipient (broadcast-queue.ts). */
  broadcast: Queue<BroadcastJob>;
  close(): Promise<void>;
}

/**
 * Attempts count deterministic failures only (an infrastructure error waits without using one, see
 * infrastructure-retry.ts). A job out of attempts stays in the failed set, the dead-letter list,
 * until an operator re-drives it (`jobs:retry`): never deleted by age or count.
 */
function defaultJobOptions(settings: QueueSettings): JobsOptions {
  return {
    attempts: settings.attempts,
    backoff: { type: 'exponential', delay: settings.backoffMs },
    removeOnComplete: { age: 24 * 3600, count: 100_000 },
    removeOnFail: false,
  };
}

/** @param connection a producer connection (fails fast when Redis is down). */
export function createQueues(connection: Redis, settings: QueueSettings): Queues {
  const options = { connection, prefix: settings.prefix, defaultJobOptions: defaultJobOptions(settings) };
  const inbound = new InboundQueue(options);
  const outbound = new Queue<OutboundJob>(OUTBOUND_QUEUE, options);
  const scheduled = new Queue<ScheduledJob>(SCHEDULED_QUEUE, options);
  const broadcast = new Queue<BroadcastJob>(BROADCAST_QUEUE, options);
  // Errors surface on the awaited calls (add, getJobCounts); this only stops unhandled 'error' events.
  outbound.on('error', () => {});
  scheduled.on('error', () => {});
  broadcast.on('error', () => {});
  return {
    inbound,
    outbound,
    scheduled,
    broadcast,
    async close() {
      await Promise.all([inbound.close(), outbound.close(), scheduled.close(), broadcast.close()]);
    },
  };
}

export { jobIdFor };

/**
 * Enqueues a webhook's events, each in its customer's shard, grouped with those of concurrent
 * webhooks (inbound-queue.ts, `InboundQueue.add`).
 * @param bytes the size of the webhook's body (bytes), which bounds a batch job's size.
 * @throws when Redis cannot take them.
 */
export async function enqueueInbound(queues: Queues, jobs: InboundJob[], bytes?: number): Promise<void> {
  await queues.inbound.add(jobs, bytes);
}

/** The sending of messages, in order, as one outbound job (see `enqueueOutbound`). */
export interface OutboundBatch {
  /** What the batch answers (e.g. the inbound message id); the same key adds one job. */
  key: string;
  messageIds: string[];
  /** The id of the request behind it, carried to the worker's logs and the provider. */
  requestId?: string;
}

/**
 * Enqueues the sending of messages, in order, as one job.
 * @param key what the batch answers (e.g. the inbound message id); the same key adds one job.
 * @param requestId the id of the request behind it, carried to the worker's logs and the provider.
 */
export async function enqueueOutbound(
  queues: Queues,
  key: string,
  messageIds: string[],
  requestId?: string,
): Promise<void> {
  await enqueueOutboundMany(queues, [{ key, messageIds, requestId }]);
}

/** Enqueues several outbound jobs in one round trip to Redis (one `add` when there is one). */
export async function enqueueOutboundMany(queues: Queues, batches: readonly OutboundBatch[]): Promise<void> {
  const entries = batches
    .filter((batch) => batch.messageIds.length > 0)
    .map((batch) => ({
      name: 'send',
      data: (batch.requestId
        ? { messageIds: batch.messageIds, requestId: batch.requestId }
        : { messageIds: batch.messageIds }) satisfies OutboundJob,
      opts: { jobId: jobIdFor('out', batch.key) },
    }));
  if (entries.length === 0) return;
  if (entries.length === 1) await queues.outbound.add(entries[0]!.name, entries[0]!.data, entries[0]!.opts);
  else await queues.outbound.addBulk(entries);
}
