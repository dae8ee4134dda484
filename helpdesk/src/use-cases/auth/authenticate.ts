/**
 * Which agent a bearer token belongs to (every authenticated request).
 */
import type { Deps } from '../../context';
import { findSessionByTokenHash } from '../../store/agent-sessions';
import { hashToken, type SessionAgent } from './session-token';

/** @returns the agent, or null for an unknown or expired token, or a deactivated agent. */
export async function authenticate(
  db: Deps['pool'],
  token: string,
  now = new Date(),
): Promise<SessionAgent | null> {
  if (!token || token.length > 200) return null;
  const session = await findSessionByTokenHash(db, hashToken(token));
  if (!session || session.expiresAt <= now || !session.agent.active) return null;
  const { id, name, email, role } = session.agent;
  return { id, name, email, role, sessionId: session.id, expiresAt: session.expiresAt };
}
