/**
 * The `broadcast` queue: one job per broadcast recipient (job id from the broadcast id and the
 * phone, so enqueuing a recipient twice adds one job). Its pace is BullMQ's global rate limiter of
 * the queue (`Queue.setGlobalRateLimit(max, duration)`, kept in Redis and honoured by every
 * worker): one job per `60 000 / ratePerMinute` ms of the broadcast being started or resumed. The
 * queue serves broadcasts one pace at a time: starting another broadcast sets its own pace.
 */
import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';

export const BROADCAST_QUEUE = 'broadcast';

export interface BroadcastJob {
  broadcastId: string;
  /** The recipient's E.164 phone. */
  phone: string;
}

/** The job id of a recipient. */
export function broadcastJobId(broadcastId: string, phone: string): string {
  return `bc-${createHash('sha256').update(`${broadcastId}|${phone}`).digest('hex').slice(0, 40)}`;
}

/**
 * The limiter for a pace: one job per `60 000 / ratePerMinute` ms (evenly spread, no bursts).
 * @returns BullMQ's limiter `{ max, duration }` (ms).
 */
export function broadcastLimiter(ratePerMinute: number): { max: number; duration: number } {
  return { max: 1, duration: Math.max(1, Math.floor(60_000 / ratePerMinute)) };
}

/**
 * Sets the queue's pace and enqueues the recipients' jobs.
 * @throws when Redis fails (the broadcast stays running; resume enqueues the pending ones again).
 */
export async function enqueueBroadcastRecipients(
  queue: Queue<BroadcastJob>,
  broadcastId: string,
  phones: readonly string[],
  ratePerMinute: number,
): Promise<void> {
  const { max, duration } = broadcastLimiter(ratePerMinute);
  await queue.setGlobalRateLimit(max, duration);
  for (let start = 0; start < phones.length; start += 500) {
    await queue.addBulk(
      phones.slice(start, start + 500).map((phone) => ({
        name: 'send-recipient',
        data: { broadcastId, phone },
        opts: { jobId: broadcastJobId(broadcastId, phone), removeOnComplete: true, removeOnFail: 1000 },
      })),
    );
  }
}

/**
 * Removes a broadcast's jobs still waiting (pause, cancel). A job already running finishes; one
 * that starts later finds the broadcast not running and does nothing.
 */
export async function removeBroadcastJobs(
  queue: Queue<BroadcastJob>,
  broadcastId: string,
  phones: readonly string[],
): Promise<void> {
  for (const phone of phones) await queue.remove(broadcastJobId(broadcastId, phone)).catch(() => 0);
}
