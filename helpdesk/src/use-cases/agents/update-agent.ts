/**
 * An admin changes an agent (name, role, capacity, active). Deactivating ends the agent's sessions,
 * sets them offline and returns their open tickets to the waiting queue; more capacity,
 * reactivation and deactivation assign waiting tickets.
 */
import type { AgentRole } from '../../domain/agents';
import { ACTIVE_STATUSES, type Actor } from '../../domain/ticket-rules';
import { AppError } from '../../errors';
import { deleteAgentSessions } from '../../store/agent-sessions';
import { DuplicateAgentEmail, findAgentById, updateAgentFields, type AgentView } from '../../store/agents';
import { assignAndPublish } from '../assignment/assign-and-publish';
import { auditChanges, recordAudit } from '../audit/record-audit';
import type { TicketActionDependencies } from '../tickets/ticket-action-dependencies';
import { getAgentView } from './get-agent';

export interface AgentChanges {
  name?: string;
  /** Lower case (the route's schema makes it so). */
  email?: string;
  role?: AgentRole;
  /** Maximum open or pending tickets, 0–1000. */
  capacity?: number;
  active?: boolean;
}

/**
 * Changes an agent (admins only; the route checks the role).
 * @param actor the admin; may not deactivate or demote themselves (no lock-out). null: the admin
 *   CLI (events it causes name no agent).
 * @returns the agent after the change.
 * @throws AppError not_found, conflict (self-deactivation or self-demotion, or an email another
 *   agent has, naming `email`).
 */
export async function updateAgent(
  deps: Pick<TicketActionDependencies, 'db' | 'pool' | 'realtime' | 'log'>,
  actor: Actor | null,
  agentId: string,
  changes: AgentChanges,
): Promise<AgentView> {
  const before = await findAgentById(deps.db, agentId);
  if (!before) throw new AppError('not_found', `agent: no agent ${agentId}`);
  if (agentId === actor?.id && changes.active === false) {
    throw new AppError('conflict', 'active: admins cannot deactivate themselves');
  }
  if (agentId === actor?.id && changes.role === 'agent') {
    throw new AppError('conflict', 'role: admins cannot remove their own admin role');
  }
  const deactivating = before.active && changes.active === false;
  const released = await updateAgentFields(
    deps.pool,
    agentId,
    { ...changes, ...(deactivating ? { availability: 'offline' as const } : {}) },
    deactivating
      ? { byAgentId: actor?.id ?? null, activeStatuses: ACTIVE_STATUSES, reason: 'agent deactivated' }
      : null,
  ).catch((error: unknown) => {
    if (error instanceof DuplicateAgentEmail) {
      throw new AppError('conflict', `email: an agent with email ${error.email} already exists`);
    }
    throw error;
  });
  if (released === null) throw new AppError('not_found', `agent: no agent ${agentId}`);
  await recordAudit(deps.db, {
    action: 'agent.updated',
    subjectType: 'agent',
    subjectId: agentId,
    actorAgentId: actor?.id ?? null,
    data: { changes: auditChanges(before, changes, Object.keys(changes)) },
  });
  if (deactivating) {
    await deleteAgentSessions(deps.db, agentId);
    for (const ticketId of released) {
      await deps.realtime.publishTicketEvent(
        ticketId,
        'ticket.assigned',
        { assigneeId: null, previousAssigneeId: agentId, by: actor?.id ?? null },
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
