/**
 * An admin pauses (running → paused) or cancels (draft, running or paused → cancelled) a
 * broadcast: its waiting jobs are removed; a send already in progress finishes, and a job that
 * starts afterwards finds the broadcast not running and sends nothing. Resume enqueues the
 * recipients still pending.
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { removeBroadcastJobs } from '../../jobs/broadcast-queue';
import { changeBroadcastStatus, findBroadcast, pendingPhones } from '../../store/broadcasts';

export type StopBroadcastDependencies = Pick<Deps, 'pool' | 'queues' | 'log'>;

/** @throws AppError not_found; conflict when the broadcast cannot be paused or cancelled now. */
export async function stopBroadcast(
  deps: StopBroadcastDependencies,
  id: string,
  to: 'paused' | 'cancelled',
): Promise<void> {
  const broadcast = await findBroadcast(deps.pool, id);
  if (!broadcast) throw new AppError('not_found', `broadcast: no broadcast ${id}`);
  const from: Array<'draft' | 'running' | 'paused'> =
    to === 'paused' ? ['running'] : ['draft', 'running', 'paused'];
  if (!(await changeBroadcastStatus(deps.pool, id, from, to))) {
    throw new AppError('conflict', `status: a ${broadcast.status} broadcast cannot be ${to}`);
  }
  await removeBroadcastJobs(deps.queues.broadcast, id, await pendingPhones(deps.pool, id));
  deps.log.info({ broadcastId: id, status: to }, 'broadcast stopped');
}
