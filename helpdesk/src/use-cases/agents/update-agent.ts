/**
 * An admin changes an agent (name, role, capacity, active). Deactivating ends the agent's sessions,
 * sets them offline and returns their open tickets to the waiting queue; more capacity,
 * reactivation and deactivation assign waiting tickets.
 */
import type { AgentRole } from '../../domain/agents';
import { ACTIVE_STATUSES, type Actor } from '../../domain/ticket-rules';
import { AppError } from '../../errors';
import { deleteAgentSessions } from '../../store/agent-sessions';
import { findAgentById, updateAgentFields, type AgentView } from '../../store/agents';
import { assignAndPublish } from '../assignment/assign-and-publish';
import type { TicketActionDependencies } from '../tickets/ticket-action-dependencies';
import { getAgentView } from './get-agent';

export interface AgentChanges {
  name?: string;
  role?: AgentRole;
  /** Maximum open or pending tickets, 0–1000. */
  capacity?: number;
  active?: boolean;
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
  const before = await findAgentById(deps.db, agentId);
  if (!before) throw new AppError('not_found', `agent: no agent ${agentId}`);
  if (agentId === actor.id && changes.active === false) {
    throw new AppError('conflict', 'active: admins cannot deactivate themselves');
  }
  if (agentId === actor.id && changes.role === 'agent') {
    throw new AppError('conflict', 'role: admins cannot remove their own admin role');
  }
  const deactivating = before.active && changes.active === false;
  const released = await updateAgentFields(
    deps.pool,
    agentId,
    { ...changes, ...(deactivating ? { availability: 'offline' as const } : {}) },
    deactivating
      ? { byAgentId: actor.id, activeStatuses: ACTIVE_STATUSES, reason: 'agent deactivated' }
      : null,
  );
  if (released === null) throw new AppError('not_found', `agent: no agent ${agentId}`);
  if (deactivating) {
    await deleteAgentSessions(deps.db, agentId);
    for (const ticketId of released) {
      await deps.realtime.publishTicketEvent(
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
