/**
 * The BullMQ queues: `inbound` (webhook events to process), `outbound` (messages to send) and
 * `scheduled` (work at a time: snooze ends, presence sweeps; see scheduled-queue.ts).
 * Job ids are derived from event and message ids, so enqueuing the same thing twice adds one job.
 */
import { createHash } from 'node:crypto';
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { InboundJob } from '../whatsapp/inbound-event';
import { BROADCAST_QUEUE, type BroadcastJob } from './broadcast-queue';
import { SCHEDULED_QUEUE, type ScheduledJob } from './scheduled-queue';

export const INBOUND_QUEUE = 'inbound';
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
  inbound: Queue<InboundJob>;
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
  const inbound = new Queue<InboundJob>(INBOUND_QUEUE, options);
  const outbound = new Queue<OutboundJob>(OUTBOUND_QUEUE, options);
  const scheduled = new Queue<ScheduledJob>(SCHEDULED_QUEUE, options);
  const broadcast = new Queue<BroadcastJob>(BROADCAST_QUEUE, options);
  // Errors surface on the awaited calls (add, getJobCounts); this only stops unhandled 'error' events.
  inbound.on('error', () => {});
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

/** A BullMQ-safe job id (no ":") that is the same for the same key. */
export function jobIdFor(kind: string, key: string): string {
  return `${kind}-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

/** Enqueues inbound events; the same provider event id always maps to the same job. */
export async function enqueueInbound(queues: Queues, jobs: InboundJob[]): Promise<void> {
  const entries = jobs.map((job) => {
    const provider = job.kind === 'message' ? job.message.provider : job.provider;
    return { name: job.kind, data: job, opts: { jobId: jobIdFor('in', `${provider}|${job.eventId}`) } };
  });
  if (entries.length === 0) return;
  // One event (every sidecar webhook): a plain add costs a third of addBulk's MULTI at the tail.
  if (entries.length === 1) await queues.inbound.add(entries[0]!.name, entries[0]!.data, entries[0]!.opts);
  else await queues.inbound.addBulk(entries);
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
