/**
 * One assignment run under the lock (store/assignment.ts): as many waiting tickets (open or
 * pending, unassigned), oldest first, as free capacity allows, each to the agent `selectAgent`
 * picks. Shared by `assignWaitingTickets` and `requestAssignment`; a ticket is only ever assigned
 * while its assignee is null.
 */
import type { Deps } from '../../context';
import { selectAgent, type Assignment } from '../../domain/assignment';
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
    const free = agents.reduce((sum, agent) => sum + Math.max(0, agent.capacity - agent.openTickets), 0);
    if (free === 0) return [];
    const waiting = await store.loadWaitingTickets(ACTIVE_STATUSES, free);
    const assignments: Assignment[] = [];
    let clock = Date.now();
    for (const ticket of waiting) {
      const agent = selectAgent(agents);
      if (!agent) break;
      const assignedAt = new Date(clock++); // distinct times keep "idle longest" exact within a run
      agent.openTickets += 1;
      agent.lastAssignedAt = assignedAt;
      assignments.push({
        ticketId: ticket.id,
        ticketNumber: ticket.number,
        agentId: agent.id,
        waitingSince: ticket.waitingSince,
        assignedAt,
      });
    }
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
