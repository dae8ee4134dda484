/**
 * The agents an agent sees: everything for admins, enough to pick a transfer target for others.
 */
import type { Deps } from '../../context';
import type { AgentAvailability, AgentRole } from '../../domain/agents';
import type { Actor } from '../../domain/ticket-rules';
import type { AgentView } from '../../store/agents';
import { listAgents } from './list-agents';

/** What an agent (not an admin) sees of colleagues. */
export interface AgentDirectoryEntry {
  id: string;
  name: string;
  role: AgentRole;
  availability: AgentAvailability;
  active: boolean;
}

/** Every agent: full views (email, capacity, load) for admins, directory entries for agents. */
export async function listAgentsFor(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
): Promise<AgentView[] | AgentDirectoryEntry[]> {
  const agents = await listAgents(deps.db);
  if (actor.role === 'admin') return agents;
  return agents.map(({ id, name, role, availability, active }) => ({ id, name, role, availability, active }));
}
