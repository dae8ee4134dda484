/**
 * Outgoing webhooks' delivery (issue 17), from a transactional outbox so that every committed
 * ticket or message event is delivered at least once, whatever happens to Redis or to a process
 * after the commit:
 * - triggers on `messages` and `ticket_events` (migration 20261128210000_webhook_outbox) write a
 *   `webhook_outbox` row in the change's own transaction when an enabled webhook subscribes to
 *   the event type;
 * - the relay, a loop in each worker process, takes outbox rows (FOR UPDATE SKIP LOCKED: workers
 *   take different rows), records a `webhook_deliveries` row per subscribed webhook with its body
 *   and deletes the outbox rows in one transaction, then enqueues one job per delivery in the
 *   BullMQ `webhooks` queue (job id `delivery-<id>`, so enqueueing again adds nothing); it looks
 *   every RELAY_INTERVAL_MS, at once again after a full batch;
 * - the sweep, every SWEEP_INTERVAL_MS, enqueues again the deliveries never attempted
 *   SWEEP_AGE_MS after they were recorded (the commit succeeded, the enqueue did not: Redis was
 *   down, or the process was killed in between);
 * - the `webhooks` worker POSTs each (use-cases/integrations/deliver-webhook.ts), retried by
 *   BullMQ with exponential backoff: OUTGOING_WEBHOOK_ATTEMPTS attempts, the first wait
 *   OUTGOING_WEBHOOK_BACKOFF_MS, doubling; each attempt updates the delivery's row.
 * Nothing depends on the realtime stream any more: the consoles' events stay best effort.
 */
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Context } from '../context';
import { deliverWebhook, WebhookAttemptFailed } from '../use-cases/integrations/deliver-webhook';
import { findUnqueuedDeliveries } from '../use-cases/integrations/find-unqueued-deliveries';
import { relayWebhookEvents, type WebhookDeliveryJob } from '../use-cases/integrations/relay-webhook-events';
import { stalledJobSettings } from './stalled-jobs';

export const WEBHOOKS_QUEUE = 'webhooks';
/** How often the relay looks at the outbox when the last look found less than a batch, ms. */
export const RELAY_INTERVAL_MS = 1000;
/** Outbox rows taken per transaction. */
export const RELAY_BATCH = 200;
/** How often the sweep looks for deliveries with no job, ms. */
export const SWEEP_INTERVAL_MS = 10_000;
/** How long a delivery may stay unattempted before the sweep enqueues it again, ms. */
export const SWEEP_AGE_MS = 10_000;
/** Deliveries the sweep enqueues per run. */
const SWEEP_BATCH = 500;

/**
 * Starts the relay, the sweep and the delivery worker.
 * @param settings.lockMs a delivery job's lock (JOB_LOCK_MS): a killed worker's delivery is
 *   retried about one and a half of it later, as every queue's job is (stalled-jobs.ts).
 * @returns a handle whose `close()` stops all three (waiting for the relay's current batch).
 */
export function startWebhookWorker(
  connection: Redis,
  context: Context,
  settings: { lockMs: number },
): { close(): Promise<void> } {
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
    { connection, prefix: config.queuePrefix, concurrency: 4, ...stalledJobSettings(settings.lockMs) },
  );
  worker.on('failed', (job, error) => {
    const level = error instanceof WebhookAttemptFailed ? 'info' : 'warn';
    log[level](
      { deliveryId: job?.data.deliveryId, attemptsMade: job?.attemptsMade, err: error },
      'webhook attempt failed',
    );
  });
  worker.on('error', (error) => log.error({ err: error }, 'webhooks worker error'));

  const enqueue = async (jobs: readonly WebhookDeliveryJob[]): Promise<void> => {
    if (jobs.length === 0) return;
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
  };

  let stopped = false;
  let wake: (() => void) | null = null;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const relay = async (): Promise<void> => {
    let nextSweep = 0; // a sweep at start: deliveries a killed worker recorded but never enqueued
    while (!stopped) {
      let full = false;
      try {
        const { taken, jobs } = await relayWebhookEvents(context, RELAY_BATCH);
        full = taken === RELAY_BATCH;
        // Recorded: a failure from here on is the sweep's to repair.
        await enqueue(jobs).catch((error: unknown) =>
          log.warn(
            { err: error, deliveries: jobs.length },
            'webhook deliveries not enqueued; the sweep will',
          ),
        );
        if (Date.now() >= nextSweep) {
          nextSweep = Date.now() + SWEEP_INTERVAL_MS;
          const unqueued = await findUnqueuedDeliveries(context, { ageMs: SWEEP_AGE_MS, limit: SWEEP_BATCH });
          if (unqueued.length > 0) {
            log.info({ deliveries: unqueued.length }, 'webhook deliveries with no job enqueued again');
            await enqueue(unqueued);
          }
        }
      } catch (error) {
        log.warn({ err: error }, 'webhook outbox not relayed; retrying');
      }
      if (!full && !stopped) await pause(RELAY_INTERVAL_MS);
    }
  };
  const running = relay();

  return {
    async close() {
      stopped = true;
      (wake as (() => void) | null)?.();
      await running;
      await worker.close();
      await queue.close();
    },
  };
}
