/**
 * Outgoing webhooks' delivery (issue 17), all on the worker side so the hot paths publish their
 * realtime events exactly as before (one XADD pipeline, realtime/publish.ts):
 * - a reader in each worker process follows the realtime stream (`<prefix>:realtime:events`)
 *   through the Redis consumer group `outgoing-webhooks` (each event taken by one worker; an event
 *   is acknowledged only once its deliveries are recorded and enqueued, and events a dead worker
 *   held are claimed by another after WEBHOOK_CLAIM_IDLE_MS), records a `webhook_deliveries` row
 *   per subscribed webhook and enqueues one job per delivery in the BullMQ `webhooks` queue;
 * - the `webhooks` worker POSTs each (use-cases/integrations/deliver-webhook.ts), retried by
 *   BullMQ with exponential backoff: OUTGOING_WEBHOOK_ATTEMPTS attempts, the first wait
 *   OUTGOING_WEBHOOK_BACKOFF_MS, doubling; each attempt updates the delivery's row.
 * Events published while no worker runs are read when one starts, as long as the stream still holds
 * them (REALTIME_MAX_EVENTS); events published before the group first existed are not delivered.
 */
import { hostname } from 'node:os';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Context } from '../context';
import { createRedis } from '../infra/redis';
import type { LoggedEvent, RealtimeEvent } from '../realtime/events';
import { realtimeStreamKey } from '../realtime/publish';
import { deliverWebhook, WebhookAttemptFailed } from '../use-cases/integrations/deliver-webhook';
import {
  plannedDeliveries,
  readWebhookSubscriptions,
  type WebhookDeliveryJob,
} from '../use-cases/integrations/webhook-events';

export const WEBHOOKS_QUEUE = 'webhooks';
/** The Redis consumer group that reads the realtime stream for the outgoing webhooks. */
export const WEBHOOK_CONSUMER_GROUP = 'outgoing-webhooks';
/** How long an event read by a worker may stay unacknowledged before another worker takes it, ms. */
export const WEBHOOK_CLAIM_IDLE_MS = 60_000;
/** How long one read waits for new events, ms (also how quickly `close()` returns). */
const READ_BLOCK_MS = 1000;

/** Starts the stream reader and the delivery worker. @returns a handle whose `close()` stops both. */
export function startWebhookWorker(connection: Redis, context: Context): { close(): Promise<void> } {
  const { config, log: rootLog } = context;
  const log = rootLog.child({ component: 'outgoing-webhooks' });
  const queue = new Queue<WebhookDeliveryJob>(WEBHOOKS_QUEUE, { connection, prefix: config.queuePrefix });
  const worker = new Worker<WebhookDeliveryJob>(
    WEBHOOKS_QUEUE,
    async (job) => {
      const attempts = job.opts.attempts ?? 1;
      const lastAttempt = job.attemptsMade + 1 >= attempts;
      return deliverWebhook(context, job.data, lastAttempt);
    },
    { connection, prefix: config.queuePrefix, concurrency: 4 },
  );
  worker.on('failed', (job, error) => {
    const level = error instanceof WebhookAttemptFailed ? 'info' : 'warn';
    log[level](
      { deliveryId: job?.data.deliveryId, attemptsMade: job?.attemptsMade, err: error },
      'webhook attempt failed',
    );
  });
  worker.on('error', (error) => log.error({ err: error }, 'webhooks worker error'));

  // The reader blocks on its own connection.
  const reader = createRedis(config.redisUrl, 'worker');
  reader.on('error', (error) => log.debug({ err: error }, 'redis (webhook reader) error'));
  const streamKey = realtimeStreamKey(config.queuePrefix);
  const consumer = `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  let stopped = false;

  // One read's events: the subscriptions read once, then one XACK for all of them, each event
  // acknowledged only after its deliveries are recorded and enqueued (a failure leaves the whole
  // read pending, re-read from '0'; a delivery already recorded is not made twice).
  const enqueue = async (entries: Array<[string, string[]]>): Promise<void> => {
    if (entries.length === 0) return;
    const subscriptions = await readWebhookSubscriptions(context);
    for (const [id, fields] of subscriptions.length === 0 ? [] : entries) {
      const index = fields.indexOf('event');
      const text = index >= 0 ? fields[index + 1] : undefined;
      if (!text) continue;
      let event: RealtimeEvent;
      try {
        event = JSON.parse(text) as RealtimeEvent;
      } catch {
        log.warn({ id }, 'unreadable realtime event skipped');
        continue;
      }
      const jobs = await plannedDeliveries(context, { id, event } satisfies LoggedEvent, subscriptions);
      if (jobs.length > 0) {
        await queue.addBulk(
          jobs.map((data) => ({
            name: data.eventType,
            data,
            opts: {
              jobId: `delivery-${data.deliveryId}`,
              attempts: config.outgoingWebhooks.attempts,
              backoff: { type: 'exponential', delay: config.outgoingWebhooks.backoffMs },
              removeOnComplete: 1000,
              removeOnFail: 1000,
            },
          })),
        );
      }
    }
    await reader.xack(streamKey, WEBHOOK_CONSUMER_GROUP, ...entries.map(([id]) => id));
  };

  const loop = async (): Promise<void> => {
    try {
      await reader.xgroup('CREATE', streamKey, WEBHOOK_CONSUMER_GROUP, '$', 'MKSTREAM');
    } catch (error) {
      if (!String(error).includes('BUSYGROUP'))
        log.warn({ err: error }, 'webhook consumer group not created');
    }
    // '0': this consumer's unacknowledged events first (after a failure), then '>' new ones.
    let cursor = '0';
    let lastClaim = 0;
    while (!stopped) {
      try {
        if (Date.now() - lastClaim > WEBHOOK_CLAIM_IDLE_MS / 2) {
          lastClaim = Date.now();
          const claimed = (await reader.xautoclaim(
            streamKey,
            WEBHOOK_CONSUMER_GROUP,
            consumer,
            WEBHOOK_CLAIM_IDLE_MS,
            '0-0',
            'COUNT',
            100,
          )) as [string, Array<[string, string[]] | null>];
          await enqueue(claimed[1].filter((entry): entry is [string, string[]] => entry !== null));
        }
        const answer = (await reader.xreadgroup(
          'GROUP',
          WEBHOOK_CONSUMER_GROUP,
          consumer,
          'COUNT',
          100,
          'BLOCK',
          READ_BLOCK_MS,
          'STREAMS',
          streamKey,
          cursor,
        )) as Array<[string, Array<[string, string[]]>]> | null;
        const entries = answer?.[0]?.[1] ?? [];
        if (cursor === '0' && entries.length === 0) cursor = '>';
        await enqueue(entries);
      } catch (error) {
        if (stopped) break;
        if (String(error).includes('NOGROUP')) {
          await reader.xgroup('CREATE', streamKey, WEBHOOK_CONSUMER_GROUP, '$', 'MKSTREAM').catch(() => 'OK');
        }
        log.warn({ err: error }, 'webhook events not read; retrying');
        cursor = '0';
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  };
  const running = loop();

  return {
    async close() {
      stopped = true;
      // Ends the blocked read at once (it rejects; the loop sees `stopped` and returns).
      reader.disconnect();
      await running;
      await worker.close();
      await queue.close();
    },
  };
}
