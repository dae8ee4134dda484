/**
 * Every agent with their load (admins' view, the CLI).
 */
import type { Deps } from '../../context';
import { ACTIVE_STATUSES } from '../../domain/ticket-rules';
import { listAgentsWithLoad, type AgentView } from '../../store/agents';

/** Every agent, oldest first, with their open (open or pending) ticket count. */
export async function listAgents(db: Deps['db']): Promise<AgentView[]> {
  return listAgentsWithLoad(db, ACTIVE_STATUSES);
}
