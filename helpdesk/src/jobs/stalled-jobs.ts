/**
 * How every BullMQ worker of the helpdesk hands a dead worker's job to another (BullMQ's guide,
 * "Stalled Jobs"): a job's lock lasts `lockMs` (JOB_LOCK_MS) and is renewed while the job runs;
 * each worker looks for expired locks every half lock (at least once a second) and moves those
 * jobs back to wait; a job stalled more than five times fails. Every queue takes the same settings,
 * so a worker killed mid-job delays any of its jobs by about one and a half `lockMs`, whichever
 * queue the job is in.
 * @param lockMs the lock's duration, ms.
 * @returns BullMQ `WorkerOptions` fields: `lockDuration`, `stalledInterval` (ms) and `maxStalledCount`.
 */
export function stalledJobSettings(lockMs: number): {
  lockDuration: number;
  stalledInterval: number;
  maxStalledCount: number;
} {
  return {
    lockDuration: lockMs,
    stalledInterval: Math.max(1000, Math.floor(lockMs / 2)),
    maxStalledCount: 5,
  };
}
