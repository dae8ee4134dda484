/**
 * One agent's full view (email, capacity, load).
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import type { AgentView } from '../../store/agents';
import { listAgents } from './list-agents';

/** @throws AppError not_found. */
export async function getAgentView(deps: Pick<Deps, 'db'>, agentId: string): Promise<AgentView> {
  const agent = (await listAgents(deps.db)).find((candidate) => candidate.id === agentId);
  if (!agent) throw new AppError('not_found', `agent: no agent ${agentId}`);
  return agent;
}
