/**
 * The agents an agent sees: everything for admins (with each agent's teams and whether a console
 * of theirs is open now), enough to pick a transfer target for others.
 */
import type { Deps } from '../../context';
import type { AgentAvailability, AgentRole } from '../../domain/agents';
import { presenceRefreshMs } from '../../domain/presence';
import type { Actor } from '../../domain/ticket-rules';
import { ConsolePresence } from '../../realtime/console-presence';
import { findAgentTeamIds, type AgentView } from '../../store/agents';
import { listAgents } from './list-agents';

/** What an agent (not an admin) sees of colleagues. */
export interface AgentDirectoryEntry {
  id: string;
  name: string;
  role: AgentRole;
  availability: AgentAvailability;
  active: boolean;
}

/** What an admin sees of each agent. */
export interface AgentOverview extends AgentView {
  /** The teams the agent is a member of, sorted. */
  teamIds: string[];
  /**
   * A console of theirs was seen by an API process within the last two heartbeats (each API
   * process marks the agents of its open event streams every `presenceRefreshMs`).
   */
  consoleLive: boolean;
}

/**
 * Every agent: overviews (email, capacity, load, teams, live console) for admins, directory
 * entries for agents. When Redis cannot be read, consoles count as not live (logged).
 */
export async function listAgentsFor(
  deps: Pick<Deps, 'db' | 'redis' | 'config' | 'log'>,
  actor: Actor,
): Promise<AgentOverview[] | AgentDirectoryEntry[]> {
  const agents = await listAgents(deps.db);
  if (actor.role !== 'admin') {
    return agents.map(({ id, name, role, availability, active }) => ({
      id,
      name,
      role,
      availability,
      active,
    }));
  }
  const teams = await findAgentTeamIds(deps.db);
  const presence = new ConsolePresence(deps.redis, deps.config.queuePrefix);
  const windowMs = 2 * presenceRefreshMs(deps.config.agentsApi.presenceGraceMs);
  const now = Date.now();
  const seen = await presence.lastSeen(agents.map((agent) => agent.id)).catch((error: unknown) => {
    deps.log.warn({ err: error }, 'console presence not read');
    return new Map<string, number>();
  });
  return agents.map((agent) => {
    const lastSeen = seen.get(agent.id);
    return {
      ...agent,
      teamIds: teams.get(agent.id) ?? [],
      consoleLive: agent.active && lastSeen !== undefined && now - lastSeen <= windowMs,
    };
  });
}
