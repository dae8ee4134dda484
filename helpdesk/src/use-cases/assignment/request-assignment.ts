/**
 * Assignment for the workers, after a ticket was committed: they do not queue up behind the lock.
 * `requestAssignment` bumps a request counter (a sequence) and tries the lock; whoever holds it
 * re-runs until no request arrived during its run, so a ticket committed before its request is
 * always seen by some run.
 */
import type { Deps } from '../../context';
import type { Assignment } from '../../domain/assignment';
import { countAssignmentRequest, readAssignmentRequests } from '../../store/assignment';
import { runAssignment } from './run-assignment';

export type { Assignment } from '../../domain/assignment';

/**
 * Asks for waiting tickets to be assigned without waiting on a running assignment (which then
 * runs again and sees them).
 * @returns the assignments this call made (empty when another process did the work).
 */
export async function requestAssignment(pool: Deps['pool']): Promise<Assignment[]> {
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
