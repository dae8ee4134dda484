/**
 * Online agents without an open console for longer than the grace period (AGENT_PRESENCE_GRACE_MS)
 * become `away`, so new tickets go to colleagues who are really there (rules: domain/presence.ts).
 * Run by the presence job (jobs/scheduled-jobs.ts) every `presenceSweepMs`.
 */
import type { Deps } from '../../context';
import { decidePresence } from '../../domain/presence';
import { ConsolePresence } from '../../realtime/console-presence';
import { listOnlineAgentIds, markAgentsAway } from '../../store/agents';

export type PresenceDependencies = Pick<Deps, 'pool' | 'redis' | 'config' | 'realtime' | 'log'>;

/**
 * Sets absent online agents away, tells each of them (`agent.availability` with reason
 * `no_console`) and starts the grace period of online agents never seen. While no API process is
 * up (consoles cannot connect) nobody is set away.
 * @param now the time of the check (default: now).
 * @returns the ids of the agents set away.
 * @throws when PostgreSQL or Redis fails (the next run tries again).
 */
export async function markAbsentAgentsAway(deps: PresenceDependencies, now = new Date()): Promise<string[]> {
  const presence = new ConsolePresence(deps.redis, deps.config.queuePrefix);
  const graceMs = deps.config.agentsApi.presenceGraceMs;
  const online = await listOnlineAgentIds(deps.pool);
  const lastSeen = await presence.lastSeenOrGraceStart(online);
  const apiUpSince = await presence.apiUpSince();
  const decision = decidePresence(online, lastSeen, apiUpSince, now.getTime(), graceMs);
  await presence.startGrace(decision.unseen, now.getTime());
  const away = await markAgentsAway(deps.pool, decision.absent);
  const stillOnline = new Set(online);
  for (const agentId of away) stillOnline.delete(agentId);
  await presence.forgetAllBut([...stillOnline]);
  for (const agentId of away) {
    deps.log.info(
      { agentId, lastSeenAt: new Date(lastSeen.get(agentId) ?? 0).toISOString(), graceMs },
      'agent set away: no open console',
    );
  }
  await deps.realtime.publishAll(
    away.map((agentId) => ({
      type: 'agent.availability' as const,
      ticketId: null,
      ticketNumber: null,
      data: { agentId, availability: 'away', reason: 'no_console' },
      audience: { agentIds: [agentId], everyone: false },
    })),
  );
  return away;
}
