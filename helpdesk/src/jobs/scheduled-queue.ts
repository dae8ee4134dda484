/**
 * The `scheduled` queue: work that happens at a time rather than on a request. Every delay and
 * repetition is BullMQ's (kept in Redis, so it survives restarts and is shared by all workers,
 * each run taken by one worker):
 * - `end-snooze`: a delayed job per snooze, at its time (use-cases/tickets/end-snooze.ts);
 * - `presence-sweep`: repeated every `presenceSweepMs`, sets online agents without a console away
 *   (use-cases/agents/mark-absent-agents-away.ts);
 * - `snooze-sweep`: repeated every SNOOZE_SWEEP_MS, ends snoozes whose delayed job was lost (e.g.
 *   enqueuing failed after the snooze was saved);
 * - `send-scheduled`: a delayed job per scheduled message (reminders, refills), at its time, whose
 *   job id is the message's id (use-cases/scheduled-messages/send-scheduled-message.ts);
 * - `scheduled-sweep`: repeated every SCHEDULED_SWEEP_MS, sends scheduled messages due whose
 *   delayed job was lost;
 * - `sla-timing`: repeated every SLA_TIMING_MS, gives the tickets opened, reopened, classified or
 *   transferred to a team in the last SLA_TIMING_LOOKBACK_MS the due times of their response-time
 *   target policy (use-cases/sla/time-tickets.ts), so a new ticket shows its time left within
 *   about a second without any work added to the inbound pipeline, then records the breaches
 *   whose due time passed in that window (use-cases/sla/record-sla-breaches.ts, a range of the
 *   due times' partial indexes), so a breach is recorded about a second after its due time;
 * - `sla-check`: repeated every SLA_CHECK_MS (and requested at once by `requestSlaCheck` when a
 *   policy, a team's categories, a channel's team or its business hours change), gives every
 *   active ticket that needs them its due times and records every breach due (the safety net,
 *   use-cases/sla/check-sla.ts);
 * - `channel-check`: repeated every CHANNEL_CHECK_MS, asks each enabled channel's driver for its
 *   state and records changes (use-cases/channels/check-channel-states.ts);
 * - `template-sync`: repeated every TEMPLATE_SYNC_MS, syncs the Cloud API channels' message
 *   templates from Meta (use-cases/templates/sync-all-templates.ts);
 * - `rollup-compaction`: repeated every ROLLUP_COMPACTION_MS, sums the report's hourly message
 *   counts of past hours into one row each (use-cases/reports/compact-report-rollups.ts);
 * - `assignment-sweep`: repeated every ASSIGNMENT_SWEEP_MS, requests an assignment run, so a waiting
 *   ticket whose request was lost with a killed worker is still assigned
 *   (use-cases/assignment/sweep-waiting-tickets.ts).
 */
import type { Queue } from 'bullmq';

/**
 * How often every Cloud API channel's message templates are synced from Meta (the `template-sync`
 * job, use-cases/templates/sync-all-templates.ts), ms: 6 hours.
 */
export const TEMPLATE_SYNC_MS = 6 * 3_600_000;

/** How often every enabled channel's state is checked (the `channel-check` job), ms. */
export const CHANNEL_CHECK_MS = 30_000;

/** How often response-time targets are timed and breaches recorded (the `sla-check` job), ms. */
export const SLA_CHECK_MS = 20_000;

/** How often the tickets changed lately get their due times (the `sla-timing` job), ms. */
export const SLA_TIMING_MS = 1_000;

/**
 * How far back the `sla-timing` job looks for ticket changes and passed due times, ms: several
 * runs, so a change committed a little after its event's time, or a run that was late, is still
 * seen (a ticket already timed, a breach already recorded, is skipped; the `sla-check` sweep
 * catches anything older).
 */
export const SLA_TIMING_LOOKBACK_MS = 10_000;

export const SCHEDULED_QUEUE = 'scheduled';

export type ScheduledJob =
  | {
      kind: 'end-snooze';
      ticketId: string;
      /** The snooze time (ISO 8601): the job only ends a snooze that is still to this time. */
      until: string;
    }
  | {
      kind: 'send-scheduled';
      /** The scheduled message (its id is also the job's id, so one message never has two jobs). */
      scheduledMessageId: string;
    }
  | { kind: 'scheduled-sweep' }
  | { kind: 'presence-sweep' }
  | { kind: 'snooze-sweep' }
  | { kind: 'channel-check' }
  | { kind: 'template-sync' }
  | { kind: 'sla-timing' }
  | { kind: 'sla-check' }
  | { kind: 'rollup-compaction' }
  | { kind: 'assignment-sweep' };

/** How often the report's hourly message counts are folded to one row per past hour, ms. */
export const ROLLUP_COMPACTION_MS = 3_600_000;

/**
 * How often waiting tickets are offered to the agents with a free place regardless of any request
 * (the `assignment-sweep` job), ms: a run when nobody has a free place costs one statement.
 */
export const ASSIGNMENT_SWEEP_MS = 30_000;

/** How often scheduled messages due but unsent (their delayed job lost) are looked for, ms. */
export const SCHEDULED_SWEEP_MS = 30_000;

/**
 * Schedules the sending of a scheduled message at `sendAt`, as a delayed job whose id is the
 * message's id (enqueuing it again adds nothing). A job that runs for a message moved later, or
 * already sent or cancelled, does nothing (use-cases/scheduled-messages/send-scheduled-message.ts).
 * @param replace remove a waiting job of the message first (its time changed).
 * @throws when Redis fails (the `scheduled-sweep` still sends it, up to SCHEDULED_SWEEP_MS late).
 */
export async function enqueueScheduledSend(
  queue: Queue<ScheduledJob>,
  scheduledMessageId: string,
  sendAt: Date,
  options: { replace?: boolean; now?: Date } = {},
): Promise<void> {
  if (options.replace) await queue.remove(scheduledMessageId).catch(() => 0);
  const now = options.now ?? new Date();
  await queue.add(
    'send-scheduled',
    { kind: 'send-scheduled', scheduledMessageId },
    {
      jobId: scheduledMessageId,
      delay: Math.max(0, sendAt.getTime() - now.getTime()),
      // Its id must be free again should the message be rescheduled after a run.
      removeOnComplete: true,
    },
  );
}

/**
 * Asks for an `sla-check` run now (a policy, a team's categories or a channel's team changed, so
 * other policies may apply to many tickets). Requests made while one waits are one run; one made
 * while it runs gets a run after it (BullMQ deduplication, keepLastIfActive), so no change is missed.
 * @throws when Redis fails (the repeated sla-check still applies it, within SLA_CHECK_MS).
 */
export async function requestSlaCheck(queue: Queue<ScheduledJob>): Promise<void> {
  await queue.add(
    'sla-check',
    { kind: 'sla-check' },
    {
      deduplication: { id: 'sla-check-requested', keepLastIfActive: true },
      attempts: 1,
      removeOnComplete: true,
      removeOnFail: true,
    },
  );
}

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
    'scheduled-sweep',
    { every: SCHEDULED_SWEEP_MS },
    { name: 'scheduled-sweep', data: { kind: 'scheduled-sweep' }, opts },
  );
  await queue.upsertJobScheduler(
    'channel-check',
    { every: CHANNEL_CHECK_MS },
    { name: 'channel-check', data: { kind: 'channel-check' }, opts },
  );
  await queue.upsertJobScheduler(
    'template-sync',
    { every: TEMPLATE_SYNC_MS },
    { name: 'template-sync', data: { kind: 'template-sync' }, opts },
  );
  await queue.upsertJobScheduler(
    'sla-timing',
    { every: SLA_TIMING_MS },
    { name: 'sla-timing', data: { kind: 'sla-timing' }, opts },
  );
  await queue.upsertJobScheduler(
    'sla-check',
    { every: SLA_CHECK_MS },
    { name: 'sla-check', data: { kind: 'sla-check' }, opts },
  );
  await queue.upsertJobScheduler(
    'rollup-compaction',
    { every: ROLLUP_COMPACTION_MS },
    { name: 'rollup-compaction', data: { kind: 'rollup-compaction' }, opts },
  );
  await queue.upsertJobScheduler(
    'assignment-sweep',
    { every: ASSIGNMENT_SWEEP_MS },
    { name: 'assignment-sweep', data: { kind: 'assignment-sweep' }, opts },
  );
}
