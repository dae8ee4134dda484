/**
 * The inbound queue, kept in order per customer. Webhook events go to the first INBOUND_SHARDS
 * (the setting, default DEFAULT_INBOUND_SHARDS) of MAX_INBOUND_SHARDS BullMQ queues (`inbound`,
 * `inbound-1`, … `inbound-15`), a customer's always to the same one (`shardOf`), and each shard
 * runs one job at a time across every worker process (BullMQ's global concurrency, 1). So a
 * customer's messages are stored, and answered by the bot, in the order the webhooks brought them,
 * even when the first waits for its media or two workers run: before, a text sent after a photo
 * could be stored first and the bot answered the conversation out of turn. Different customers'
 * events run in parallel across shards (the workers batch them: workers.ts).
 *
 * Fewer shards mean larger batches under load (a shard's worker takes the jobs waiting behind its
 * own), so less CPU per message; more mean that a slow media download holds fewer other customers
 * back (BENCHMARKS.md, "2026-12-01, evening"). Workers run all MAX_INBOUND_SHARDS queues whatever
 * the setting, so the jobs of shards no longer routed to (after an upgrade or a smaller setting)
 * are still worked. Shard 0 keeps the name `inbound`, so jobs queued before shards existed are
 * still worked. Order holds for jobs that succeed; a job retried after a failure runs after the
 * shard's later jobs.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Queue, type Job, type JobType, type QueueOptions } from 'bullmq';
import type { InboundJob } from '../whatsapp/inbound-event';
import { DEFAULT_INBOUND_SHARDS, MAX_INBOUND_SHARDS } from './inbound-shards';
import { jobIdFor } from './job-ids';

export { DEFAULT_INBOUND_SHARDS, MAX_INBOUND_SHARDS } from './inbound-shards';

export const INBOUND_QUEUE = 'inbound';

/** The BullMQ name of shard `index` (0: `inbound`, as before shards existed). */
export function inboundShardName(index: number): string {
  return index === 0 ? INBOUND_QUEUE : `${INBOUND_QUEUE}-${index}`;
}

/**
 * The key whose events must keep their order: a message's or reaction's sender (phone, else lid,
 * else user id) on its channel. A delivery status, edit or deletion names no sender; it is keyed by
 * its message (an edit or deletion that overtakes its message is kept until the message comes:
 * use-cases/messages/apply-kept-changes.ts).
 */
export function orderingKey(job: InboundJob): string {
  if (job.kind === 'message') {
    const { provider, channel, from } = job.message;
    return `${provider}|${channel}|${from.phone ?? from.lid ?? from.userId ?? ''}`;
  }
  if (job.kind === 'reaction') {
    const { channel, from, providerMessageId } = job.reaction;
    return `${job.provider}|${channel}|${from.phone ?? from.lid ?? from.userId ?? providerMessageId}`;
  }
  const event = job.kind === 'status' ? job.status : job.kind === 'edit' ? job.edit : job.deletion;
  return `${job.provider}|${event.providerMessageId}`;
}

/**
 * The shard of a key: the first 4 bytes of its SHA-256, modulo the shards in use.
 * @param shards the shards events are routed to (1 … MAX_INBOUND_SHARDS).
 * @returns 0 … shards − 1.
 */
export function shardOf(key: string, shards = DEFAULT_INBOUND_SHARDS): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) % shards;
}

/**
 * Webhook events that reached the API while another add was on its way to Redis, enqueued as one
 * job per shard (inbound-job.ts handles its events as it handles jobs, in order). Its events' own
 * dedup ids are not used: a redelivered event is recognised by the worker (a message is stored
 * once, by provider message id; statuses and changes apply once), as for any webhook sent twice.
 */
export interface InboundBatchJob {
  kind: 'batch';
  events: InboundJob[];
}

/** What an inbound shard holds: one webhook event, or a batch of them. */
export type InboundQueueJob = InboundJob | InboundBatchJob;

/** Most events one add to Redis carries (in one job per shard); more wait for the next add. */
export const MAX_EVENTS_PER_INBOUND_ADD = 100;

/**
 * Most webhook bytes (the requests' bodies) one add carries beyond the first request's: a Redis
 * value stays small whatever the senders post (each body is at most WEBHOOK_MAX_BYTES).
 */
export const MAX_BYTES_PER_INBOUND_ADD = 1024 * 1024;

/** A request's events waiting for the next add. */
interface WaitingCall {
  jobs: readonly InboundJob[];
  bytes: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** The job of one event alone: its id from the provider's event id, so adding it twice adds one job. */
function singleEventJob(job: InboundJob) {
  const provider = job.kind === 'message' ? job.message.provider : job.provider;
  return { name: job.kind, data: job, opts: { jobId: jobIdFor('in', `${provider}|${job.eventId}`) } };
}

/** The shards as one queue: adds route by customer, reads add up or search every shard. */
export class InboundQueue {
  readonly name = INBOUND_QUEUE;
  readonly shards: ReadonlyArray<Queue<InboundQueueJob>>;
  private readonly waiting: WaitingCall[] = [];
  private adding = false;

  /**
   * @param shardsInUse the shards events are routed to (the INBOUND_SHARDS setting, 1 …
   *   MAX_INBOUND_SHARDS); reads (counts, dead letters, `getJob`) cover every shard.
   * @throws RangeError when `shardsInUse` is out of range.
   */
  constructor(
    options: QueueOptions,
    readonly shardsInUse = DEFAULT_INBOUND_SHARDS,
  ) {
    if (!Number.isInteger(shardsInUse) || shardsInUse < 1 || shardsInUse > MAX_INBOUND_SHARDS)
      throw new RangeError(
        `the inbound shards in use must be 1 to ${MAX_INBOUND_SHARDS}, not ${shardsInUse}`,
      );
    this.shards = Array.from({ length: MAX_INBOUND_SHARDS }, (_, index) => {
      const queue = new Queue<InboundQueueJob>(inboundShardName(index), options);
      // Errors surface on the awaited calls; this only stops unhandled 'error' events.
      queue.on('error', () => {});
      return queue;
    });
  }

  /**
   * Adds a webhook's events, each to its customer's shard, as a group commit: a call made while no
   * add is on its way to Redis is added at once (a lone event as its own job, its id from the event
   * id), so a lone webhook waits for nothing more than before; calls made meanwhile wait for that
   * add and then go together, one job per shard (`InboundBatchJob`), up to
   * MAX_EVENTS_PER_INBOUND_ADD events and MAX_BYTES_PER_INBOUND_ADD bytes (a call's events always
   * go together). Under load this spares Redis, the API and the workers most of the per-job work
   * (an add, a fetch and a completion per event).
   * @param bytes the size of the webhook body the events came in (bytes).
   * @throws whatever Redis throws when it cannot take them: every call of the failed add rejects
   *   (its request answers 503 and the sender retries; what was added is recognised as redelivered).
   */
  add(jobs: readonly InboundJob[], bytes = 0): Promise<void> {
    if (jobs.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ jobs, bytes, resolve, reject });
      if (!this.adding) void this.drain();
    });
  }

  /** Adds events each as its own job in its shard (a batch job's failed events retry so). */
  async addSeparately(jobs: readonly InboundJob[]): Promise<void> {
    await Promise.all(jobs.map((job) => this.addAlone(shardOf(orderingKey(job), this.shardsInUse), job)));
  }

  /** Adds one event as its own job to its shard (already known). */
  private async addAlone(shard: number, job: InboundJob): Promise<void> {
    const entry = singleEventJob(job);
    await this.shards[shard]!.add(entry.name, entry.data, entry.opts);
  }

  private async drain(): Promise<void> {
    this.adding = true;
    while (this.waiting.length > 0) {
      let count = 0;
      let bytes = 0;
      let take = 0;
      while (
        take < this.waiting.length &&
        (take === 0 ||
          (count + this.waiting[take]!.jobs.length <= MAX_EVENTS_PER_INBOUND_ADD &&
            bytes + this.waiting[take]!.bytes <= MAX_BYTES_PER_INBOUND_ADD))
      ) {
        count += this.waiting[take]!.jobs.length;
        bytes += this.waiting[take]!.bytes;
        take += 1;
      }
      const group = this.waiting.splice(0, take);
      // Whatever fails rejects this group's calls only: the loop goes on with the next group.
      try {
        const byShard = new Map<number, InboundJob[]>();
        for (const call of group) {
          for (const job of call.jobs) {
            const shard = shardOf(orderingKey(job), this.shardsInUse);
            const events = byShard.get(shard);
            if (events) events.push(job);
            else byShard.set(shard, [job]);
          }
        }
        // One add per shard, pipelined on one connection: each shard's events stay in arrival order.
        await Promise.all(
          [...byShard].map(([shard, events]) =>
            events.length === 1
              ? this.addAlone(shard, events[0]!)
              : // An id of its own: BullMQ numbers jobs per queue, and the shards are many queues
                // read as one (`getJob`, the dead-letter commands).
                this.shards[shard]!.add(
                  'batch',
                  { kind: 'batch', events },
                  { jobId: `batch-${randomUUID()}` },
                ),
          ),
        );
        for (const call of group) call.resolve();
      } catch (error) {
        for (const call of group) call.reject(error);
      }
    }
    this.adding = false;
  }

  /**
   * Makes each shard run one job at a time across all workers (BullMQ global concurrency, kept in
   * the queue's Redis metadata: set again by the workers when they (re)connect).
   */
  async keepOrder(): Promise<void> {
    await Promise.all(this.shards.map((queue) => queue.setGlobalConcurrency(1)));
  }

  /**
   * The jobs waiting behind a shard's active one, oldest first (its BullMQ `wait` list), that a
   * worker takes with it: while it holds the shard's one active job, no other worker can start them.
   * Their events (a batch job counts its own) are at most MAX_EVENTS_PER_INBOUND_ADD, as one add
   * carries, except that the first is always taken. None while the shard is paused (`jobs` CLI):
   * BullMQ's `getWaiting` would list the paused jobs too, so only its `wait` list is read (BullMQ
   * moves that list aside while a queue is paused, pause-7.lua).
   * @param limit most jobs (0: none).
   */
  async waitingBehind(shard: number, limit: number): Promise<Array<Job<InboundQueueJob>>> {
    if (limit <= 0) return [];
    const waiting = await this.shards[shard]!.getJobs(['wait'], 0, limit - 1, true);
    const taken: Array<Job<InboundQueueJob>> = [];
    let count = 0;
    for (const job of waiting) {
      count += job.data.kind === 'batch' ? job.data.events.length : 1;
      if (taken.length > 0 && count > MAX_EVENTS_PER_INBOUND_ADD) break;
      taken.push(job);
    }
    return taken;
  }

  /**
   * Removes jobs taken with a shard's active one once handled, before that one completes (and frees
   * the shard). A job that could not be removed (Redis did not answer) is handled again later: a
   * redelivery, recognised. Never throws.
   * @returns how many were not removed.
   */
  async removeTaken(shard: number, jobs: ReadonlyArray<Job<InboundQueueJob>>): Promise<number> {
    const removed = await Promise.all(jobs.map((job) => this.shards[shard]!.remove(job.id!).catch(() => 0)));
    return removed.filter((result) => result !== 1).length;
  }

  /** Jobs waiting or delayed, over every shard. */
  async count(): Promise<number> {
    return sum(await Promise.all(this.shards.map((queue) => queue.count())));
  }

  /** Each state's count over every shard (BullMQ `getJobCounts`). */
  async getJobCounts(...states: JobType[]): Promise<Record<string, number>> {
    const totals: Record<string, number> = {};
    for (const counts of await Promise.all(this.shards.map((queue) => queue.getJobCounts(...states)))) {
      for (const [state, count] of Object.entries(counts)) totals[state] = (totals[state] ?? 0) + count;
    }
    return totals;
  }

  /** Failed jobs (the dead-letter list) over every shard. */
  async getFailedCount(): Promise<number> {
    return sum(await Promise.all(this.shards.map((queue) => queue.getFailedCount())));
  }

  /** Every failed job of every shard. */
  async getFailed(): Promise<Array<Job<InboundQueueJob>>> {
    return (await Promise.all(this.shards.map((queue) => queue.getFailed(0, -1)))).flat();
  }

  /** Every completed job still kept, of every shard. */
  async getCompleted(): Promise<Array<Job<InboundQueueJob>>> {
    return (await Promise.all(this.shards.map((queue) => queue.getCompleted(0, -1)))).flat();
  }

  /** Every job in these states, of every shard. */
  async getJobs(states: JobType[]): Promise<Array<Job<InboundQueueJob>>> {
    return (await Promise.all(this.shards.map((queue) => queue.getJobs(states)))).flat();
  }

  /** Stops every shard handing out jobs (BullMQ `pause`), until `resume`. */
  async pause(): Promise<void> {
    await Promise.all(this.shards.map((queue) => queue.pause()));
  }

  async resume(): Promise<void> {
    await Promise.all(this.shards.map((queue) => queue.resume()));
  }

  /** The job with this id in whichever shard holds it, or undefined. */
  async getJob(id: string): Promise<Job<InboundQueueJob> | undefined> {
    for (const queue of this.shards) {
      const job = await queue.getJob(id);
      if (job) return job;
    }
    return undefined;
  }

  async close(): Promise<void> {
    await Promise.all(this.shards.map((queue) => queue.close()));
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
