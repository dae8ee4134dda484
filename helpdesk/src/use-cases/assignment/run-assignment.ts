/**
 * One assignment run under the lock (store/assignment.ts): waiting tickets (open or pending,
 * unassigned), oldest first, as many as free capacity allows, each to the agent
 * domain/assignment.ts picks among those it may go to (its channel's team, or anyone). A ticket
 * whose team has nobody free keeps waiting without holding back the tickets behind it. Three
 * statements under the lock: the agents, the waiting tickets, the writes. Shared by
 * `assignWaitingTickets` and `requestAssignment`; a ticket is only ever assigned while its
 * assignee is null.
 */
import type { Deps } from '../../context';
import { freePlaces, planAssignments, type Assignment } from '../../domain/assignment';
import { ACTIVE_STATUSES } from '../../domain/ticket-rules';
import { assignmentWait } from '../../infra/metrics';
import { withAssignmentLock } from '../../store/assignment';

/**
 * @param mode wait: wait for a running assignment to finish; try: give up when one runs.
 * @returns the assignments made, in order; null when `mode` is `try` and another run holds the lock.
 */
export async function runAssignment(pool: Deps['pool'], mode: 'wait' | 'try'): Promise<Assignment[] | null> {
  return withAssignmentLock(pool, mode, async (store) => {
    const agents = await store.loadOnlineAgents(ACTIVE_STATUSES);
    const places = freePlaces(agents);
    if (places.anyone === 0) return [];
    const waiting = await store.loadWaitingTickets(ACTIVE_STATUSES, places);
    const assignments = planAssignments(agents, waiting, new Date());
    if (assignments.length === 0) return [];
    await store.saveAssignments(assignments);
    for (const assignment of assignments) {
      assignmentWait.observe(
        Math.max(0, (assignment.assignedAt.getTime() - assignment.waitingSince.getTime()) / 1000),
      );
    }
    return assignments;
  });
}
