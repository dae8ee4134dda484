/**
 * Which sessions still hold, in one query (the open event streams' presence heartbeat).
 */
import type { Deps } from '../../context';
import { findLiveSessionIds } from '../../store/agent-sessions';

/**
 * @param sessionIds the sessions of the open streams.
 * @returns those that exist, have not expired and whose agent is active (signed out: missing).
 */
export async function findLiveSessions(
  db: Deps['db'],
  sessionIds: readonly string[],
  now = new Date(),
): Promise<Set<string>> {
  return findLiveSessionIds(db, sessionIds, now);
}
