/**
 * The `agent_sessions` table: signed-in agents' sessions, stored by their token's sha256.
 */
import type { AgentRole } from '../domain/agents';
import type { Database } from './database';
import { row, type Queryable } from './sql';

/** A session with the facts of its agent. */
export interface SessionRecord {
  id: string;
  expiresAt: Date;
  agent: { id: string; name: string; email: string; role: AgentRole; active: boolean };
}

/** Stores a session. @returns its id. */
export async function insertSession(
  db: Database,
  session: { agentId: string; tokenHash: string; expiresAt: Date; createdAt: Date },
): Promise<string> {
  return (await db.agentSession.create({ data: session, select: { id: true } })).id;
}

/** Deletes sessions that expired before `now`. */
export async function deleteExpiredSessions(db: Database, now: Date): Promise<void> {
  await db.agentSession.deleteMany({ where: { expiresAt: { lt: now } } });
}

/**
 * A session by its token's hash, with its agent, or null. Plain SQL, one named statement: it runs
 * on every authenticated request.
 */
export async function findSessionByTokenHash(
  db: Queryable,
  tokenHash: string,
): Promise<SessionRecord | null> {
  const found = await row<{
    id: string;
    expiresAt: Date;
    agentId: string;
    name: string;
    email: string;
    role: AgentRole;
    active: boolean;
  }>(
    db,
    `SELECT s.id, s.expires_at AS "expiresAt", a.id AS "agentId", a.name, a.email, a.role::text AS role, a.active
       FROM agent_sessions s JOIN agents a ON a.id = s.agent_id
      WHERE s.token_hash = $1`,
    [tokenHash],
    'session-by-token-hash',
  );
  if (!found) return null;
  const { id, expiresAt, agentId, name, email, role, active } = found;
  return { id, expiresAt, agent: { id: agentId, name, email, role, active } };
}

/** A session's expiry and whether its agent is active, or null for an unknown session. */
export async function findSessionState(
  db: Database,
  sessionId: string,
): Promise<{ expiresAt: Date; agentActive: boolean } | null> {
  const session = await db.agentSession.findUnique({
    where: { id: sessionId },
    select: { expiresAt: true, agent: { select: { active: true } } },
  });
  return session ? { expiresAt: session.expiresAt, agentActive: session.agent.active } : null;
}

/** Deletes one session (nothing when it is already gone). */
export async function deleteSession(db: Database, sessionId: string): Promise<void> {
  await db.agentSession.deleteMany({ where: { id: sessionId } });
}

/** Deletes every session of an agent. @returns how many were deleted. */
export async function deleteAgentSessions(db: Database, agentId: string): Promise<number> {
  return (await db.agentSession.deleteMany({ where: { agentId } })).count;
}

/**
 * Which of these sessions still hold: they exist, have not expired at `now` and their agent is
 * active (one query, for the open event streams' presence).
 */
export async function findLiveSessionIds(
  db: Database,
  sessionIds: readonly string[],
  now: Date,
): Promise<Set<string>> {
  if (sessionIds.length === 0) return new Set();
  const live = await db.agentSession.findMany({
    where: { id: { in: [...sessionIds] }, expiresAt: { gt: now }, agent: { active: true } },
    select: { id: true },
  });
  return new Set(live.map((session) => session.id));
}
