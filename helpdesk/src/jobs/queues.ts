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
  /**
   * A job that packs the replies to several requests (`enqueueOutboundMany`): each message's
   * request id, by message id, used as `requestId` is for that message.
   */
  requestIds?: Record<string, string>;
}

export interface QueueSettings {
  prefix: string;
  attempts: number;
  backoffMs: number;
  /**
   * Most messages one outbound job of bot replies may carry (`enqueueOutboundMany` packs the
   * replies of a batch of inbound messages into as few jobs as this allows): the Cloud API's rate
   * limit counts jobs (workers.ts, `outboundRateLimit`), so there it is
   * RATE_LIMITED_OUTBOUND_JOB_MAX_MESSAGES; default OUTBOUND_JOB_MAX_MESSAGES.
   */
  outboundJobMaxMessages?: number;
  /** The inbound shards events are routed to (INBOUND_SHARDS); default DEFAULT_INBOUND_SHARDS. */
  inboundShards?: number;
}

export interface Queues {
  /** The inbound shards, as one queue (inbound-queue.ts). */
  inbound: InboundQueue;
  outbound: Queue<OutboundJob>;
  scheduled: Queue<ScheduledJob>;
  /** One job per broadcast recipient (broadcast-queue.ts). */
  broadcast: Queue<BroadcastJob>;
  /** Most messages one outbound job of bot replies carries (QueueSettings). */
  outboundJobMaxMessages: number;
  close(): Promise<void>;
}

/**
 * Most messages one outbound job of bot replies carries when no provider rate limit counts jobs:
 * a full inbound batch (INBOUND_BATCH_SIZE, 32) of new customers' welcomes and menus is 64.
 */
export const OUTBOUND_JOB_MAX_MESSAGES = 100;

/**
 * Most messages one outbound job carries where a rate limit counts jobs (the Cloud API:
 * workers.ts, `outboundRateLimit`): a new customer's welcome, menu and after-hours note.
 */
export const RATE_LIMITED_OUTBOUND_JOB_MAX_MESSAGES = 3;

/** `QueueSettings.outboundJobMaxMessages` for a deployment's provider (config.ts `provider`). */
export function outboundJobMaxMessagesFor(provider: string): number {
  return provider === 'cloud' ? RATE_LIMITED_OUTBOUND_JOB_MAX_MESSAGES : OUTBOUND_JOB_MAX_MESSAGES;
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
  const inbound = new InboundQueue(options, settings.inboundShards);
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
    outboundJobMaxMessages: settings.outboundJobMaxMessages ?? OUTBOUND_JOB_MAX_MESSAGES,
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

/**
 * Enqueues the sending of several batches in one round trip to Redis, packed in order into as few
 * jobs as `queues.outboundJobMaxMessages` allows (a batch is never split, so one longer than that
 * is a job of its own). A job's messages go out in order for each ticket, tickets side by side
 * (outbound-job.ts). Each job's id comes from the keys it packs: the same batches packed the same
 * way add one job; packed otherwise (a retry of some of them), the claim of each message still
 * lets one job alone send it (store/messages-outbound.ts).
 * Why packed: each job costs BullMQ's scripts in Redis, a claim statement and a realtime
 * round trip, whatever its length (BENCHMARKS.md, "2026-12-01, morning").
 */
export async function enqueueOutboundMany(queues: Queues, batches: readonly OutboundBatch[]): Promise<void> {
  const jobs: OutboundBatch[][] = [];
  let size = Infinity;
  for (const batch of batches) {
    if (batch.messageIds.length === 0) continue;
    if (size + batch.messageIds.length > queues.outboundJobMaxMessages) {
      jobs.push([]);
      size = 0;
    }
    jobs.at(-1)!.push(batch);
    size += batch.messageIds.length;
  }
  const entries = jobs.map((packed) => {
    const messageIds = packed.flatMap((batch) => batch.messageIds);
    const jobId = jobIdFor('out', packed.map((batch) => batch.key).join('\n'));
    let data: OutboundJob = { messageIds };
    if (packed.length === 1 && packed[0]!.requestId) data = { messageIds, requestId: packed[0]!.requestId };
    else if (packed.some((batch) => batch.requestId)) {
      const requestIds = Object.fromEntries(
        packed.flatMap((batch) =>
          batch.requestId ? batch.messageIds.map((id) => [id, batch.requestId!] as const) : [],
        ),
      );
      data = { messageIds, requestIds };
    }
    return { name: 'send', data, opts: { jobId } };
  });
  if (entries.length === 0) return;
  if (entries.length === 1) await queues.outbound.add(entries[0]!.name, entries[0]!.data, entries[0]!.opts);
  else await queues.outbound.addBulk(entries);
}
