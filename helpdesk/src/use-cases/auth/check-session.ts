/**
 * Whether a session still holds (checked by open event streams).
 */
import type { Deps } from '../../context';
import { findSessionState } from '../../store/agent-sessions';

/** True while the session exists, has not expired and its agent is active. */
export async function isSessionValid(db: Deps['db'], sessionId: string, now = new Date()): Promise<boolean> {
  const session = await findSessionState(db, sessionId);
  return Boolean(session && session.expiresAt > now && session.agentActive);
}
