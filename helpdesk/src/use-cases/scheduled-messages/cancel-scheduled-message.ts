/**
 * An agent cancels a scheduled message before it is sent (status `cancelled`, reason
 * `cancelled by an agent`); its delayed job, if it runs, then finds nothing to send.
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import {
  endScheduledMessage,
  findScheduledMessage,
  type ScheduledMessageRow,
} from '../../store/scheduled-messages';

/**
 * @returns the cancelled message.
 * @throws AppError not_found; conflict (already sent, cancelled or failed).
 */
export async function cancelScheduledMessage(
  deps: Pick<Deps, 'pool' | 'queues' | 'log'>,
  id: string,
): Promise<ScheduledMessageRow> {
  const cancelled = await endScheduledMessage(deps.pool, id, 'cancelled', 'cancelled by an agent');
  if (cancelled) {
    // Best effort: a job left behind finds the message cancelled and does nothing.
    await deps.queues.scheduled.remove(id).catch(() => 0);
    return cancelled;
  }
  const current = await findScheduledMessage(deps.pool, id);
  if (!current) throw new AppError('not_found', `scheduled message: no scheduled message ${id}`);
  throw new AppError(
    'conflict',
    `scheduled message: it is ${current.status}; only a scheduled one can be cancelled`,
  );
}
