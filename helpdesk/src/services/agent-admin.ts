/**
 * Agents as the agents' API manages them: an agent's own availability, and admins' changes to any
 * agent (name, role, capacity, active). Deactivating an agent ends their sessions, sets them
 * offline and returns their open tickets to the waiting queue; more capacity, reactivation and
 * going online assign waiting tickets.
 */
import type { Actor } from '../domain/ticket-rules';
import { AppError } from '../errors';
import { listAgents, setAvailability, type AgentAvailability, type AgentView } from './agents';
import { endAgentSessions } from './auth';
import { assignAndPublish, type TicketActionDependencies } from './ticket-actions';

/** What an agent (not an admin) sees of colleagues: enough to pick a transfer target. */
export interface AgentDirectoryEntry {
  id: string;
  name: string;
  role: 'agent' | 'admin';
  availability: AgentAvailability;
  active: boolean;
}

export interface AgentChanges {
  name?: string;
  role?: 'agent' | 'admin';
  /** Maximum open or pending tickets, 0–1000. */
  capacity?: number;
  active?: boolean;
}

/** Every agent: full views (email, capacity, load) for admins, directory entries for agents. */
export async function listAgentsFor(
  deps: Pick<TicketActionDependencies, 'db'>,
  actor: Actor,
): Promise<AgentView[] | AgentDirectoryEntry[]> {
  const agents = await listAgents(deps.db);
  if (actor.role === 'admin') return agents;
  return agents.map(({ id, name, role, availability, active }) => ({ id, name, role, availability, active }));
}

/** One agent's full view. @throws AppError not_found. */
export async function getAgentView(
  deps: Pick<TicketActionDependencies, 'db'>,
  agentId: string,
): Promise<AgentView> {
  const agent = (await listAgents(deps.db)).find((candidate) => candidate.id === agentId);
  if (!agent) throw new AppError('not_found', `agent: no agent ${agentId}`);
  return agent;
}

/**
 * Sets the acting agent's own availability; going online assigns waiting tickets (published).
 * @returns the agent after the change.
 */
export async function setOwnAvailability(
  deps: TicketActionDependencies,
  agent: { id: string; email: string },
  availability: AgentAvailability,
): Promise<AgentView> {
  const assignments = await setAvailability(deps.pool, agent.email, availability);
  await deps.realtime?.publishAssignments(assignments);
  return getAgentView(deps, agent.id);
}

/**
 * Changes an agent (admins only; the route checks the role).
 * @param actor the admin; may not deactivate or demote themselves (no lock-out).
 * @returns the agent after the change.
 * @throws AppError not_found, conflict (self-deactivation or self-demotion).
 */
export async function updateAgent(
  deps: TicketActionDependencies,
  actor: Actor,
  agentId: string,
  changes: AgentChanges,
): Promise<AgentView> {
  const before = await deps.db.agent.findUnique({ where: { id: agentId } });
  if (!before) throw new AppError('not_found', `agent: no agent ${agentId}`);
  if (agentId === actor.id && changes.active === false) {
    throw new AppError('conflict', 'active: admins cannot deactivate themselves');
  }
  if (agentId === actor.id && changes.role === 'agent') {
    throw new AppError('conflict', 'role: admins cannot remove their own admin role');
  }
  const deactivating = before.active && changes.active === false;
  const released = await deps.db.$transaction(async (tx) => {
    await tx.agent.update({
      where: { id: agentId },
      data: {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.role !== undefined ? { role: changes.role } : {}),
        ...(changes.capacity !== undefined ? { capacity: changes.capacity } : {}),
        ...(changes.active !== undefined ? { active: changes.active } : {}),
        ...(deactivating ? { availability: 'offline' as const } : {}),
      },
    });
    if (!deactivating) return [];
    const tickets = await tx.ticket.findMany({
      where: { assigneeId: agentId, status: { in: ['open', 'pending'] } },
      select: { id: true },
    });
    if (tickets.length === 0) return [];
    await tx.ticket.updateMany({
      where: { id: { in: tickets.map((ticket) => ticket.id) } },
      data: { assigneeId: null, assignedAt: null },
    });
    await tx.ticketEvent.createMany({
      data: tickets.map((ticket) => ({
        ticketId: ticket.id,
        type: 'unassigned',
        agentId: actor.id,
        data: { from: agentId, to: null, reason: 'agent deactivated' },
      })),
    });
    return tickets.map((ticket) => ticket.id);
  });
  if (deactivating) {
    await endAgentSessions(deps.db, agentId);
    for (const ticketId of released) {
      await deps.realtime?.publishTicketEvent(
        ticketId,
        'ticket.assigned',
        { assigneeId: null, previousAssigneeId: agentId, by: actor.id },
        { alsoAgentIds: [agentId], everyone: true },
      );
    }
  }
  if (
    deactivating ||
    (changes.capacity !== undefined && changes.capacity > before.capacity) ||
    (changes.active === true && !before.active)
  ) {
    await assignAndPublish(deps);
  }
  return getAgentView(deps, agentId);
}
