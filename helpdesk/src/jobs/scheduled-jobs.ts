/**
 * The worker of the `scheduled` queue (scheduled-queue.ts): ends snoozes at their time, and runs
 * the repeated presence and snooze sweeps, the channels' state check and the response-time
 * targets' timing (with the breaches just due) and check. A snooze end stopped by the infrastructure waits and
 * retries without using an attempt (infrastructure-retry.ts); a failed sweep is simply run again
 * at its next repetition.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DelayedError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Context } from '../context';
import { presenceSweepMs } from '../domain/presence';
import { timeJob } from '../infra/metrics';
import { markAbsentAgentsAway } from '../use-cases/agents/mark-absent-agents-away';
import { checkChannelStates } from '../use-cases/channels/check-channel-states';
import { compactReportRollups } from '../use-cases/reports/compact-report-rollups';
import { sweepWaitingTickets } from '../use-cases/assignment/sweep-waiting-tickets';
import { checkSla } from '../use-cases/sla/check-sla';
import { recordBreaches } from '../use-cases/sla/record-sla-breaches';
import { timeTickets } from '../use-cases/sla/time-tickets';
import { sendDueScheduledMessages } from '../use-cases/scheduled-messages/send-due-scheduled-messages';
import {
  scheduledMessageDueLater,
  sendScheduledMessage,
} from '../use-cases/scheduled-messages/send-scheduled-message';
import { endOverdueSnoozes } from '../use-cases/tickets/end-overdue-snoozes';
import { syncAllTemplates } from '../use-cases/templates/sync-all-templates';
import { endSnooze } from '../use-cases/tickets/end-snooze';
import { withInfrastructureRetry } from './infrastructure-retry';
import { stalledJobSettings } from './stalled-jobs';
import {
  ensureScheduledJobs,
  SCHEDULED_QUEUE,
  SLA_TIMING_LOOKBACK_MS,
  type ScheduledJob,
} from './scheduled-queue';

/** What the scheduled jobs need from the process context. */
export type ScheduledJobDependencies = Pick<
  Context,
  'pool' | 'redis' | 'config' | 'realtime' | 'log' | 'queues' | 'databaseHealth' | 'channels' | 'drivers'
>;

/**
 * Runs one scheduled job.
 * @returns its outcome (the metrics' label): `ended`/`skipped` for a snooze end, `swept` for a sweep.
 */
export async function handleScheduledJob(
  deps: ScheduledJobDependencies,
  job: Job<ScheduledJob>,
  token?: string,
): Promise<string> {
  const data = job.data;
  switch (data.kind) {
    case 'end-snooze':
      return (await endSnooze(deps, data.ticketId, new Date(data.until))) ? 'ended' : 'skipped';
    case 'send-scheduled': {
      const outcome = await sendScheduledMessage(deps, data.scheduledMessageId);
      // Run before its time (clocks apart, or moved later while running): wait for it, not the sweep.
      const dueAt =
        outcome === 'skipped' && token ? await scheduledMessageDueLater(deps, data.scheduledMessageId) : null;
      if (dueAt && token) {
        await job.moveToDelayed(dueAt.getTime(), token);
        throw new DelayedError();
      }
      return outcome;
    }
    case 'scheduled-sweep':
      await sendDueScheduledMessages(deps);
      return 'swept';
    case 'presence-sweep':
      await markAbsentAgentsAway(deps);
      return 'swept';
    case 'snooze-sweep':
      await endOverdueSnoozes(deps);
      return 'swept';
    case 'channel-check':
      await checkChannelStates(deps);
      return 'checked';
    case 'template-sync':
      await syncAllTemplates(deps);
      return 'synced';
    case 'sla-timing': {
      const now = new Date();
      const since = new Date(now.getTime() - SLA_TIMING_LOOKBACK_MS);
      await timeTickets(deps, { changedSince: since }, now);
      // The due times passed since its last runs: a breach is recorded about a second after it.
      await recordBreaches(deps, { dueAfter: since }, now);
      return 'timed';
    }
    case 'sla-check':
      await checkSla(deps);
      return 'checked';
    case 'rollup-compaction':
      await compactReportRollups(deps);
      return 'compacted';
    case 'assignment-sweep':
      await sweepWaitingTickets(deps);
      return 'swept';
  }
}

/**
 * Starts the worker of the scheduled queue and creates (or updates) its repeated jobs.
 * @param connection a worker connection (maxRetriesPerRequest null).
 * @returns its `close()`, which waits for the job in progress.
 */
export function startScheduledWorker(
  connection: Redis,
  deps: ScheduledJobDependencies,
  settings: { lockMs: number; backoffMs: number; infrastructureRetryMaxMs: number },
): { close(): Promise<void> } {
  const { log } = deps;
  const retry = {
    queue: SCHEDULED_QUEUE,
    baseMs: settings.backoffMs,
    maxMs: settings.infrastructureRetryMaxMs,
    databaseHealth: deps.databaseHealth,
    log,
  };
  const worker = new Worker<ScheduledJob>(
    SCHEDULED_QUEUE,
    (job, token) =>
      timeJob(SCHEDULED_QUEUE, () =>
        job.data.kind === 'end-snooze' || job.data.kind === 'send-scheduled'
          ? withInfrastructureRetry(job, token, retry, () => handleScheduledJob(deps, job, token))
          : handleScheduledJob(deps, job, token),
      ),
    {
      connection,
      prefix: deps.config.queuePrefix,
      concurrency: 4,
      ...stalledJobSettings(settings.lockMs),
    },
  );
  worker.on('failed', (job, error) =>
    log.warn({ queue: SCHEDULED_QUEUE, jobId: job?.id, kind: job?.data.kind, err: error }, 'job failed'),
  );
  worker.on('error', (error) => log.error({ queue: SCHEDULED_QUEUE, err: error }, 'worker error'));
  const stopping = new AbortController();
  const scheduling = (async () => {
    // Until Redis takes them (it may be failing over at start), without blocking the start.
    for (let waitMs = settings.backoffMs; !stopping.signal.aborted; waitMs = Math.min(waitMs * 2, 30_000)) {
      try {
        await ensureScheduledJobs(
          deps.queues.scheduled,
          presenceSweepMs(deps.config.agentsApi.presenceGraceMs),
        );
        return;
      } catch (error) {
        log.warn({ queue: SCHEDULED_QUEUE, err: error, waitMs }, 'repeated jobs not scheduled yet; retrying');
        await sleep(waitMs, undefined, { signal: stopping.signal }).catch(() => {});
      }
    }
  })();
  return {
    async close() {
      stopping.abort();
      await worker.close();
      await scheduling;
    },
  };
}
