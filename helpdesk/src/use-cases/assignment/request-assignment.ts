/**
 * Assignment for the workers, after a ticket was committed: they do not queue up behind the lock.
 * `requestAssignment` first looks whether any online agent has a free place (no run when nobody
 * has), then bumps a request counter (a sequence) and tries the lock; whoever holds it
 * re-runs until no request arrived during its run, so a ticket committed before its request is
 * always seen by some run.
 */
import type { Deps } from '../../context';
import { freePlaces, type Assignment } from '../../domain/assignment';
import { ACTIVE_STATUSES } from '../../domain/ticket-rules';
import { countAssignmentRequest, loadOnlineAgents, readAssignmentRequests } from '../../store/assignment';
import { runAssignment } from './run-assignment';

export type { Assignment } from '../../domain/assignment';

/**
 * Asks for waiting tickets to be assigned without waiting on a running assignment (which then
 * runs again and sees them).
 * @returns the assignments this call made (empty when another process did the work).
 */
export async function requestAssignment(pool: Deps['pool']): Promise<Assignment[]> {
  // Nobody has a free place (every online agent at capacity, or nobody online): a run could assign
  // nothing, so none starts. Whatever frees a place later either starts its own run
  // (assign-and-publish.ts, set-availability.ts) or leaves it for the next request, and either
  // sees the tickets committed before now. One statement instead of the request count's two and a
  // run's four, for each inbound batch while the queue waits (BENCHMARKS.md, 2026-11-29 midday).
  if (freePlaces(await loadOnlineAgents(pool, ACTIVE_STATUSES)).anyone === 0) return [];
  let seen = await countAssignmentRequest(pool);
  const made: Assignment[] = [];
  for (;;) {
    const assignments = await runAssignment(pool, 'try');
    if (assignments === null) return made; // the holder will see our request
    made.push(...assignments);
    const latest = await readAssignmentRequests(pool);
    if (latest === seen) return made;
    seen = latest;
  }
}
