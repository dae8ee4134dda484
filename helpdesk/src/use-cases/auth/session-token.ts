/**
 * Agents' session tokens: opaque random strings; only their sha256 is stored (table
 * agent_sessions), so a database leak yields no usable token.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AgentRole } from '../../domain/agents';

/** The signed-in agent a request acts as. */
export interface SessionAgent {
  id: string;
  name: string;
  email: string;
  role: AgentRole;
  sessionId: string;
  /** When the session ends. */
  expiresAt: Date;
}

/** Hex sha256 of a token, as stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new token: 32 random bytes, 43 URL-safe characters. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}
