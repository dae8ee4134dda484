/**
 * An agent changes a scheduled message's text or time while it is still scheduled; a new time
 * replaces its delayed job.
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { enqueueScheduledSend } from '../../jobs/scheduled-queue';
import {
  findScheduledMessage,
  updateScheduledMessage,
  type ScheduledMessageRow,
} from '../../store/scheduled-messages';

/**
 * @param changes `text` (not empty) and/or `sendAt` (ISO 8601, in the future).
 * @returns the message after the change.
 * @throws AppError not_found; conflict (already sent, cancelled or failed); validation_failed
 *   naming `sendAt` (in the past) or `text` (a template message has no text to change).
 */
export async function changeScheduledMessage(
  deps: Pick<Deps, 'pool' | 'queues' | 'log'>,
  id: string,
  changes: { text?: string; sendAt?: string },
  now = new Date(),
): Promise<ScheduledMessageRow> {
  const current = await findScheduledMessage(deps.pool, id);
  if (!current) throw new AppError('not_found', `scheduled message: no scheduled message ${id}`);
  if (current.status !== 'scheduled') {
    throw new AppError(
      'conflict',
      `scheduled message: it is ${current.status}; only a scheduled one can change`,
    );
  }
  const sendAt = changes.sendAt ? new Date(changes.sendAt) : undefined;
  if (sendAt && sendAt.getTime() <= now.getTime()) {
    throw new AppError('validation_failed', 'sendAt: must be in the future');
  }
  if (changes.text !== undefined && current.template && !current.text) {
    throw new AppError(
      'validation_failed',
      'text: this message sends a template; cancel it and schedule a new one',
    );
  }
  const changed = await updateScheduledMessage(deps.pool, id, { text: changes.text, sendAt });
  if (!changed) throw new AppError('conflict', 'scheduled message: it was sent or cancelled meanwhile');
  if (sendAt) {
    try {
      await enqueueScheduledSend(deps.queues.scheduled, id, sendAt, { replace: true, now });
    } catch (error) {
      deps.log.warn(
        { err: error, scheduledMessageId: id },
        'scheduled send not re-enqueued; the sweep will send it',
      );
    }
  }
  return changed;
}
