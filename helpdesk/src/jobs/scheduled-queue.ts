/**
 * The `scheduled` queue: work that happens at a time rather than on a request. Every delay and
 * repetition is BullMQ's (kept in Redis, so it survives restarts and is shared by all workers,
 * each run taken by one worker):
 * - `end-snooze`: a delayed job per snooze, at its time (use-cases/tickets/end-snooze.ts);
 * - `presence-sweep`: repeated every `presenceSweepMs`, sets online agents without a console away
 *   (use-cases/agents/mark-absent-agents-away.ts);
 * - `snooze-sweep`: repeated every SNOOZE_SWEEP_MS, ends snoozes whose delayed job was lost (e.g.
 *   enqueuing failed after the snooze was saved);
 * - `channel-check`: repeated every CHANNEL_CHECK_MS, asks each enabled channel's driver for its
 *   state and records changes (use-cases/channels/check-channel-states.ts).
 */
import type { Queue } from 'bullmq';

/** How often every enabled channel's state is checked (the `channel-check` job), ms. */
export const CHANNEL_CHECK_MS = 30_000;

export const SCHEDULED_QUEUE = 'scheduled';

export type ScheduledJob =
  | {
      kind: 'end-snooze';
      ticketId: string;
      /** The snooze time (ISO 8601): the job only ends a snooze that is still to this time. */
      until: string;
    }
  | { kind: 'presence-sweep' }
  | { kind: 'snooze-sweep' }
  | { kind: 'channel-check' };

/** How often lost snoozes are looked for, ms. */
export const SNOOZE_SWEEP_MS = 60_000;

/**
 * Schedules the end of a snooze at `until` (the same ticket and time add one job; a job whose
 * snooze was changed or ended meanwhile does nothing).
 * @throws when Redis fails (the snooze sweep still ends the snooze, up to SNOOZE_SWEEP_MS late).
 */
export async function enqueueSnoozeEnd(
  queue: Queue<ScheduledJob>,
  ticketId: string,
  until: Date,
  now = new Date(),
): Promise<void> {
  await queue.add(
    'end-snooze',
    { kind: 'end-snooze', ticketId, until: until.toISOString() },
    { jobId: `snooze-${ticketId}-${until.getTime()}`, delay: Math.max(0, until.getTime() - now.getTime()) },
  );
}

/**
 * Creates or updates the repeated jobs (idempotent: every worker process calls it at start).
 * @param presenceSweepMs see domain/presence.ts `presenceSweepMs`.
 */
export async function ensureScheduledJobs(
  queue: Queue<ScheduledJob>,
  presenceSweepMs: number,
): Promise<void> {
  // A failed sweep is retried by the next one: no attempts, and its failure is not kept (the worker
  // logs it): a dead letter (jobs:failed, helpdesk_jobs_dead_letter) is work nobody will redo.
  const opts = { attempts: 1, removeOnComplete: true, removeOnFail: true };
  await queue.upsertJobScheduler(
    'presence-sweep',
    { every: presenceSweepMs },
    { name: 'presence-sweep', data: { kind: 'presence-sweep' }, opts },
  );
  await queue.upsertJobScheduler(
    'snooze-sweep',
    { every: SNOOZE_SWEEP_MS },
    { name: 'snooze-sweep', data: { kind: 'snooze-sweep' }, opts },
  );
  await queue.upsertJobScheduler(
    'channel-check',
    { every: CHANNEL_CHECK_MS },
    { name: 'channel-check', data: { kind: 'channel-check' }, opts },
  );
}
