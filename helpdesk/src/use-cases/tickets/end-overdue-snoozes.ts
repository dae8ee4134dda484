/**
 * The safety net of snoozes: ends those whose time has passed but whose delayed job never ran (it
 * could not be enqueued, or Redis lost it). Run by the `snooze-sweep` job every SNOOZE_SWEEP_MS.
 */
import { findOverdueSnoozes } from '../../store/tickets-snooze';
import { endSnooze, type EndSnoozeDependencies } from './end-snooze';

const BATCH = 100;

/**
 * Ends every snooze due at `now` (in batches).
 * @returns how many tickets returned to open.
 * @throws when PostgreSQL fails (the next sweep tries again).
 */
export async function endOverdueSnoozes(deps: EndSnoozeDependencies, now = new Date()): Promise<number> {
  let ended = 0;
  for (;;) {
    const due = await findOverdueSnoozes(deps.pool, now, BATCH);
    let endedNow = 0;
    for (const ticket of due) if (await endSnooze(deps, ticket.id, ticket.snoozedUntil, now)) endedNow += 1;
    ended += endedNow;
    // A batch where nothing ended would be found again: stop rather than loop.
    if (due.length < BATCH || endedNow === 0) return ended;
  }
}
