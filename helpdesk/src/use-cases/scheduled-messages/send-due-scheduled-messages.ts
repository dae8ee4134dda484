/**
 * The safety net of scheduled messages (the `scheduled-sweep` job, every SCHEDULED_SWEEP_MS): sends
 * those due whose delayed job never ran (not enqueued, or lost by Redis), and enqueues again the
 * sends of those stored but never enqueued (the worker died between the commit and the enqueue).
 */
import { enqueueOutbound } from '../../jobs/queues';
import { findDueScheduledMessages, findUnqueuedScheduledSends } from '../../store/scheduled-messages';
import { sendScheduledMessage, type SendScheduledDependencies } from './send-scheduled-message';

const BATCH = 100;
/** A stored reminder whose send no job took this long after is enqueued again, ms. */
const UNQUEUED_AFTER_MS = 10_000;

/**
 * @returns how many scheduled messages were handled (sent, cancelled or failed) and re-enqueued.
 * @throws when PostgreSQL fails (the next sweep tries again).
 */
export async function sendDueScheduledMessages(
  deps: SendScheduledDependencies,
  now = new Date(),
): Promise<{ handled: number; requeued: number }> {
  let handled = 0;
  for (;;) {
    const due = await findDueScheduledMessages(deps.pool, now, BATCH);
    let handledNow = 0;
    for (const id of due) if ((await sendScheduledMessage(deps, id, now)) !== 'skipped') handledNow += 1;
    handled += handledNow;
    // A batch where nothing moved would be found again: stop rather than loop.
    if (due.length < BATCH || handledNow === 0) break;
  }
  const unqueued = await findUnqueuedScheduledSends(
    deps.pool,
    new Date(now.getTime() - UNQUEUED_AFTER_MS),
    BATCH,
  );
  for (const { id, messageId } of unqueued)
    await enqueueOutbound(deps.queues, `scheduled|${id}`, [messageId]);
  return { handled, requeued: unqueued.length };
}
