/**
 * The BullMQ queues: `inbound` (webhook events to process), `outbound` (messages to send) and
 * `scheduled` (work at a time: snooze ends, presence sweeps; see scheduled-queue.ts).
 * Job ids are derived from event and message ids, so enqueuing the same thing twice adds one job;
 * webhook events that reach the API together travel as one batch job (see `enqueueInbound`).
 */
import { createHash } from 'node:crypto';
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { InboundJob } from '../whatsapp/inbound-event';
import { BROADCAST_QUEUE, type BroadcastJob } from './broadcast-queue';
import { SCHEDULED_QUEUE, type ScheduledJob } from './scheduled-queue';

export const INBOUND_QUEUE = 'inbound';

/**
 * Webhook events that reached the API while another add was on its way to Redis, enqueued as one
 * job (inbound-job.ts handles its events as it handles jobs). Its events' own dedup ids are not
 * used: a redelivered event is recognised by the worker (a message is stored once, by provider
 * message id; statuses and changes apply once), as for any webhook sent twice.
 */
export interface InboundBatchJob {
  kind: 'batch';
  events: InboundJob[];
}

/** What the inbound queue holds: one webhook event, or a batch of them. */
export type InboundQueueJob = InboundJob | InboundBatchJob;

/**
 * Most events one batch job carries: more wait for the next add. Small on purpose: a worker holds
 * INBOUND_CONCURRENCY events at once (workers.ts, `inboundJobsAtOnce`), and the more of the queue
 * two workers hold at once, the likelier a customer's later message is stored before an earlier one
 * still in another worker's hands (npm run bench counts such conversations: with 100 events a job
 * and 64 jobs at once, 677 of 2,000 went out of order; with 4 and 16, none in three runs).
 */
export const MAX_EVENTS_PER_INBOUND_JOB = 4;

/**
 * Most webhook bytes (the requests' bodies) one batch job carries, beyond the first request's: a
 * Redis value stays small whatever the senders post (each body is at most WEBHOOK_MAX_BYTES).
 */
export const MAX_BYTES_PER_INBOUND_JOB = 1024 * 1024;

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
  inbound: Queue<InboundQueueJob>;
  /** Adds webhook events, grouping those of concurrent requests (see `enqueueInbound`). */
  inboundEvents: InboundEnqueuer;
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
  const inbound = new Queue<InboundQueueJob>(INBOUND_QUEUE, options);
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
    inboundEvents: createInboundEnqueuer(inbound),
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

/** The job options of one webhook event: the same provider event id always maps to the same job. */
function singleEventJob(job: InboundJob) {
  const provider = job.kind === 'message' ? job.message.provider : job.provider;
  return { name: job.kind, data: job, opts: { jobId: jobIdFor('in', `${provider}|${job.eventId}`) } };
}

/**
 * Enqueues webhook events, each as its own job (its id derived from the provider's event id):
 * what a worker does with the events of a batch job that failed, so each retries on its own.
 */
export async function enqueueInboundSeparately(
  queue: Queue<InboundQueueJob>,
  jobs: readonly InboundJob[],
): Promise<void> {
  const entries = jobs.map(singleEventJob);
  if (entries.length === 0) return;
  // One event (every sidecar webhook): a plain add costs a third of addBulk's MULTI at the tail.
  if (entries.length === 1) await queue.add(entries[0]!.name, entries[0]!.data, entries[0]!.opts);
  else await queue.addBulk(entries);
}

/** Adds webhook events to the inbound queue, grouping concurrent calls (see `createInboundEnqueuer`). */
export interface InboundEnqueuer {
  /**
   * Resolves once the events are in Redis; rejects when Redis cannot take them (none are).
   * @param bytes the size of the webhook body they came in (bytes), which bounds a batch job's size.
   */
  enqueue(jobs: readonly InboundJob[], bytes?: number): Promise<void>;
}

/**
 * Group commit of webhook events: a call made while no add is on its way to Redis adds its events
 * at once (one event: its own job, as `enqueueInboundSeparately`), so a lone webhook waits for
 * nothing more than before; calls made meanwhile wait for that add and then go together, as one
 * `InboundBatchJob` of up to MAX_EVENTS_PER_INBOUND_JOB events and MAX_BYTES_PER_INBOUND_JOB bytes
 * of webhook bodies (a request's events always go together, in one job). Under load this spares Redis, the
 * API and the workers most of the per-job work (an add, a fetch and a completion per event).
 * A failed add rejects every call of its group: each request answers 503 and its sender retries.
 */
export function createInboundEnqueuer(queue: Queue<InboundQueueJob>): InboundEnqueuer {
  const waiting: Array<{
    jobs: readonly InboundJob[];
    bytes: number;
    resolve: () => void;
    reject: (error: unknown) => void;
  }> = [];
  let adding = false;
  const add = async (jobs: readonly InboundJob[]) => {
    if (jobs.length === 1) await enqueueInboundSeparately(queue, jobs);
    else await queue.add('batch', { kind: 'batch', events: [...jobs] });
  };
  const drain = async () => {
    adding = true;
    while (waiting.length > 0) {
      let count = 0;
      let bytes = 0;
      let take = 0;
      // Whole calls only: a call's events are added together or not at all.
      while (
        take < waiting.length &&
        (take === 0 ||
          (count + waiting[take]!.jobs.length <= MAX_EVENTS_PER_INBOUND_JOB &&
            bytes + waiting[take]!.bytes <= MAX_BYTES_PER_INBOUND_JOB))
      ) {
        count += waiting[take]!.jobs.length;
        bytes += waiting[take]!.bytes;
        take += 1;
      }
      const group = waiting.splice(0, take);
      try {
        await add(group.flatMap((call) => call.jobs));
        for (const call of group) call.resolve();
      } catch (error) {
        for (const call of group) call.reject(error);
      }
    }
    adding = false;
  };
  return {
    enqueue(jobs, bytes = 0) {
      if (jobs.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        waiting.push({ jobs, bytes, resolve, reject });
        if (!adding) void drain();
      });
    },
  };
}

/**
 * Enqueues inbound events (a webhook's), grouped with those of concurrent webhooks
 * (`createInboundEnqueuer`); alone, each event is its own job, whose id the provider's event id
 * gives, so the same event enqueued twice adds one job.
 * @param bytes the size of the webhook's body (bytes).
 * @throws when Redis cannot take them (none are enqueued).
 */
export async function enqueueInbound(queues: Queues, jobs: InboundJob[], bytes?: number): Promise<void> {
  await queues.inboundEvents.enqueue(jobs, bytes);
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
