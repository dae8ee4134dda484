/**
 * Who gets the next ticket (SPEC section 5, step 4, and section 9): the available agent (online,
 * active, under capacity) with the fewest open tickets; ties go to the one idle longest (earliest
 * last assignment, never-assigned first). A ticket with a team goes only to that team's members:
 * the team it was transferred to, else the team its category routes to, else the team its channel
 * routes to; any other ticket goes to any available agent. Pure; the
 * assignment service calls it under a database lock.
 */

export interface AgentLoad {
  id: string;
  capacity: number;
  /** Tickets assigned to the agent in status open or pending. */
  openTickets: number;
  lastAssignedAt: Date | null;
  /** The teams the agent is a member of (none when absent). */
  teamIds?: readonly string[];
}

/** A ticket waiting for an agent, as the assignment sees it. */
export interface WaitingTicket {
  id: string;
  number: number;
  /** When it started waiting (opened, reopened or put back in the queue). */
  waitingSince: Date;
  /** The team that may take it (its own, its category's or its channel's); null: anyone. */
  teamId: string | null;
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
 * @param teamId the team the ticket's channel routes to: only its members are candidates;
 *   null or absent: every agent is.
 * @returns the chosen agent, or null when every eligible agent is at capacity (the ticket waits).
 */
export function selectAgent(
  candidates: readonly AgentLoad[],
  teamId: string | null = null,
): AgentLoad | null {
  let best: AgentLoad | null = null;
  for (const agent of candidates) {
    if (agent.openTickets >= agent.capacity) continue;
    if (teamId !== null && !agent.teamIds?.includes(teamId)) continue;
    if (!best || compare(agent, best) < 0) best = agent;
  }
  return best;
}

/**
 * Free places per group of waiting tickets, to bound how many tickets of each group one run can
 * assign: `anyone` is the agents' total free capacity (what tickets of channels without a team can
 * take), `teams` the free capacity of each team's members (teams with none are left out).
 */
export function freePlaces(agents: readonly AgentLoad[]): { anyone: number; teams: Map<string, number> } {
  let anyone = 0;
  const teams = new Map<string, number>();
  for (const agent of agents) {
    const free = Math.max(0, agent.capacity - agent.openTickets);
    if (free === 0) continue;
    anyone += free;
    for (const teamId of new Set(agent.teamIds ?? [])) teams.set(teamId, (teams.get(teamId) ?? 0) + free);
  }
  return { anyone, teams };
}

/**
 * Plans one assignment run: each waiting ticket, in the given order (oldest first), to the agent
 * `selectAgent` picks among those it may go to. A ticket nobody eligible can take stays waiting
 * and the next tickets are still considered (a busy team does not hold other channels' tickets
 * back). Updates `agents`' loads and last assignments as it goes.
 * @param start the first assignment's time; each next one is 1 ms later, so "idle longest" stays
 *   exact within a run.
 * @returns the assignments, in the tickets' order.
 */
export function planAssignments(
  agents: AgentLoad[],
  waiting: readonly WaitingTicket[],
  start: Date,
): Assignment[] {
  const assignments: Assignment[] = [];
  let clock = start.getTime();
  let free = freePlaces(agents).anyone;
  for (const ticket of waiting) {
    if (free === 0) break;
    const agent = selectAgent(agents, ticket.teamId);
    if (!agent) continue;
    const assignedAt = new Date(clock++);
    agent.openTickets += 1;
    agent.lastAssignedAt = assignedAt;
    free -= 1;
    assignments.push({
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      agentId: agent.id,
      waitingSince: ticket.waitingSince,
      assignedAt,
    });
  }
  return assignments;
}

function compare(a: AgentLoad, b: AgentLoad): number {
  if (a.openTickets !== b.openTickets) return a.openTickets - b.openTickets;
  const idleA = a.lastAssignedAt?.getTime() ?? -Infinity;
  const idleB = b.lastAssignedAt?.getTime() ?? -Infinity;
  if (idleA !== idleB) return idleA < idleB ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
