/**
 * The assignment's safety net, run by the `assignment-sweep` job every ASSIGNMENT_SWEEP_MS: a
 * ticket waits for an assignment request (an inbound message, an agent online, capacity freed), and
 * a request can be lost with the process that made it (killed between its commit and its request,
 * or while it re-ran for others' requests). The sweep requests one, so such a ticket waits at most
 * one sweep while an agent has a free place.
 */
import type { Deps } from '../../context';
import { requestAssignment } from './request-assignment';

/**
 * Requests an assignment run (none when no online agent has a free place, none when another run is
 * under way: that run sees the waiting tickets) and tells the consoles of the assignments made.
 * @returns how many tickets this sweep assigned.
 * @throws when the database cannot be reached (the next sweep tries again).
 */
export async function sweepWaitingTickets(deps: Pick<Deps, 'pool' | 'realtime'>): Promise<number> {
  const assignments = await requestAssignment(deps.pool);
  await deps.realtime.publishAssignments(assignments);
  return assignments.length;
}
