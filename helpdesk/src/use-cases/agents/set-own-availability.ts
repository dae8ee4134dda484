/**
 * The signed-in agent sets their own availability; going online assigns waiting tickets, which the
 * consoles are told about.
 */
import type { AgentAvailability } from '../../domain/agents';
import type { AgentView } from '../../store/agents';
import type { TicketActionDependencies } from '../tickets/ticket-action-dependencies';
import { getAgentView } from './get-agent';
import { setAvailability } from './set-availability';

/** @returns the agent after the change. @throws AppError not_found. */
export async function setOwnAvailability(
  deps: TicketActionDependencies,
  agent: { id: string; email: string },
  availability: AgentAvailability,
): Promise<AgentView> {
  const assignments = await setAvailability(deps.pool, agent.email, availability);
  await deps.realtime.publishAssignments(assignments);
  // Admins (who receive every event) see it on the live queue; the agent's own consoles do not.
  await deps.realtime.publish({
    type: 'agent.availability',
    ticketId: null,
    ticketNumber: null,
    data: { agentId: agent.id, availability, reason: 'chosen' },
    audience: { agentIds: [], everyone: false },
  });
  return getAgentView(deps, agent.id);
}
