/**
 * Agents' login sessions: email and password (bcrypt hash) in, an opaque random token out. Only the
 * token's sha256 is stored (table agent_sessions), so a database leak yields no usable token.
 * Sessions expire after SESSION_TTL_HOURS and end on logout or when the agent is deactivated.
 */
import { createHash, randomBytes } from 'node:crypto';
import bcrypt from 'bcrypt';
import { AppError } from '../errors';
import type { Database } from '../infra/db';
import { setAgentPassword, verifyPassword } from './agents';

/** The signed-in agent a request acts as. */
export interface SessionAgent {
  id: string;
  name: string;
  email: string;
  role: 'agent' | 'admin';
  sessionId: string;
  /** When the session ends. */
  expiresAt: Date;
}

export interface LoginResult {
  /** The bearer token (43 URL-safe characters); shown once, never stored. */
  token: string;
  expiresAt: Date;
  agent: SessionAgent;
}

/** A valid hash for an impossible password: unknown emails cost as much time as wrong passwords. */
const DUMMY_HASH = bcrypt.hashSync(randomBytes(16).toString('hex'), 10);

/** Hex sha256 of a token, as stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Checks the credentials and opens a session.
 * @param credentials.email matched case-insensitively.
 * @param ttlMs session lifetime in ms.
 * @throws AppError unauthorized (one message for unknown email, wrong password and inactive agent).
 */
export async function login(
  db: Database,
  credentials: { email: string; password: string },
  ttlMs: number,
  now = new Date(),
): Promise<LoginResult> {
  const agent = await db.agent.findUnique({ where: { email: credentials.email.trim().toLowerCase() } });
  const matches = await verifyPassword(credentials.password, agent?.passwordHash ?? DUMMY_HASH);
  if (!agent || !matches || !agent.active) {
    throw new AppError('unauthorized', 'email or password is wrong, or the account is deactivated');
  }
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlMs);
  // Housekeeping: expired sessions are useless; drop them while we are here.
  await db.agentSession.deleteMany({ where: { expiresAt: { lt: now } } });
  const session = await db.agentSession.create({
    data: { agentId: agent.id, tokenHash: hashToken(token), expiresAt, createdAt: now },
  });
  return {
    token,
    expiresAt,
    agent: {
      id: agent.id,
      name: agent.name,
      email: agent.email,
      role: agent.role,
      sessionId: session.id,
      expiresAt,
    },
  };
}

/**
 * The agent a token belongs to.
 * @returns null for an unknown or expired token, or a deactivated agent.
 */
export async function authenticate(
  db: Database,
  token: string,
  now = new Date(),
): Promise<SessionAgent | null> {
  if (!token || token.length > 200) return null;
  const session = await db.agentSession.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { agent: { select: { id: true, name: true, email: true, role: true, active: true } } },
  });
  if (!session || session.expiresAt <= now || !session.agent.active) return null;
  const { id, name, email, role } = session.agent;
  return { id, name, email, role, sessionId: session.id, expiresAt: session.expiresAt };
}

/** True while the session exists, has not expired and its agent is active (checked by open streams). */
export async function isSessionValid(db: Database, sessionId: string, now = new Date()): Promise<boolean> {
  const session = await db.agentSession.findUnique({
    where: { id: sessionId },
    select: { expiresAt: true, agent: { select: { active: true } } },
  });
  return Boolean(session && session.expiresAt > now && session.agent.active);
}

/** Ends one session (logout). Ending an already ended session is not an error. */
export async function endSession(db: Database, sessionId: string): Promise<void> {
  await db.agentSession.deleteMany({ where: { id: sessionId } });
}

/** Ends every session of an agent (deactivation). @returns how many were ended. */
export async function endAgentSessions(db: Database, agentId: string): Promise<number> {
  return (await db.agentSession.deleteMany({ where: { agentId } })).count;
}

/**
 * An agent changes their own password: the current one is required, the new one follows
 * `passwordSchema`, and every other session of the agent ends (this one stays signed in).
 * @returns how many other sessions were ended.
 * @throws AppError forbidden `currentPassword` when it is wrong; validation_failed `newPassword`.
 */
export async function changeOwnPassword(
  db: Database,
  agent: Pick<SessionAgent, 'id' | 'sessionId'>,
  passwords: { currentPassword: string; newPassword: string },
): Promise<number> {
  const stored = await db.agent.findUnique({ where: { id: agent.id }, select: { passwordHash: true } });
  if (!stored || !(await verifyPassword(passwords.currentPassword, stored.passwordHash))) {
    throw new AppError('forbidden', 'currentPassword: is wrong');
  }
  if (passwords.newPassword === passwords.currentPassword) {
    throw new AppError('validation_failed', 'newPassword: must differ from the current password');
  }
  return setAgentPassword(db, agent.id, passwords.newPassword, {
    keepSessionId: agent.sessionId,
    field: 'newPassword',
  });
}
