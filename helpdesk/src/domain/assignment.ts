/**
 * Who gets the next ticket (SPEC section 5, step 4): the available agent (online, active, under
 * capacity) with the fewest open tickets; ties go to the one idle longest (earliest last
 * assignment, never-assigned first). Pure; the assignment service calls it under a database lock.
 */

export interface AgentLoad {
  id: string;
  capacity: number;
  /** Tickets assigned to the agent in status open or pending. */
  openTickets: number;
  lastAssignedAt: Date | null;
}

/** A ticket given to an agent by the automatic assignment. */
export interface Assignment {
  ticketId: string;
  ticketNumber: number;
  agentId: string;
  /** When the ticket started waiting (opened, reopened or put back in the queue) and when it was assigned. */
  waitingSince: Date;
  assignedAt: Date;
}

/**
 * Picks the agent for the next ticket.
 * @param candidates online and active agents with their current load.
 * @returns the chosen agent, or null when every agent is at capacity (the ticket waits).
 */
export function selectAgent(candidates: readonly AgentLoad[]): AgentLoad | null {
  let best: AgentLoad | null = null;
  for (const agent of candidates) {
    if (agent.openTickets >= agent.capacity) continue;
    if (!best || compare(agent, best) < 0) best = agent;
  }
  return best;
}

function compare(a: AgentLoad, b: AgentLoad): number {
  if (a.openTickets !== b.openTickets) return a.openTickets - b.openTickets;
  const idleA = a.lastAssignedAt?.getTime() ?? -Infinity;
  const idleB = b.lastAssignedAt?.getTime() ?? -Infinity;
  if (idleA !== idleB) return idleA < idleB ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
