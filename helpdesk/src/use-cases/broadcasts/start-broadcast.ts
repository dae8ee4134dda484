/**
 * An admin starts (draft) or resumes (paused) a broadcast: it becomes running and its pending
 * recipients are enqueued in the `broadcast` queue at its pace (jobs/broadcast-queue.ts).
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { enqueueBroadcastRecipients } from '../../jobs/broadcast-queue';
import { changeBroadcastStatus, findBroadcast, pendingPhones } from '../../store/broadcasts';

export type StartBroadcastDependencies = Pick<Deps, 'pool' | 'queues' | 'log'>;

/**
 * @param from `draft` (start) or `paused` (resume).
 * @throws AppError not_found; conflict when the broadcast is not in `from`, or another broadcast is
 *   running (the `broadcast` queue has one pace, so one runs at a time).
 */
export async function startBroadcast(
  deps: StartBroadcastDependencies,
  id: string,
  from: 'draft' | 'paused',
): Promise<void> {
  const broadcast = await findBroadcast(deps.pool, id);
  if (!broadcast) throw new AppError('not_found', `broadcast: no broadcast ${id}`);
  if (!(await changeBroadcastStatus(deps.pool, id, [from], 'running'))) {
    throw new AppError('conflict', `status: the broadcast is ${broadcast.status}, not ${from}`);
  }
  const phones = await pendingPhones(deps.pool, id);
  await enqueueBroadcastRecipients(deps.queues.broadcast, id, phones, broadcast.ratePerMinute);
  deps.log.info(
    { broadcastId: id, recipients: phones.length, ratePerMinute: broadcast.ratePerMinute },
    'broadcast running',
  );
}
