/**
 * An agent signs in with email and password (bcrypt hash) and gets an opaque token for a session
 * that expires after SESSION_TTL_HOURS.
 */
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcrypt';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { deleteExpiredSessions, insertSession } from '../../store/agent-sessions';
import { findAgentWithPasswordByEmail } from '../../store/agents';
import { verifyPassword } from '../agents/passwords';
import { recordAudit } from '../audit/record-audit';
import { hashToken, newToken, type SessionAgent } from './session-token';

export interface LoginResult {
  /** The bearer token (43 URL-safe characters); shown once, never stored. */
  token: string;
  expiresAt: Date;
  agent: SessionAgent;
}

/** A valid hash for an impossible password: unknown emails cost as much time as wrong passwords. */
const DUMMY_HASH = bcrypt.hashSync(randomBytes(16).toString('hex'), 10);

/**
 * Checks the credentials and opens a session.
 * @param credentials.email matched case-insensitively.
 * @param ttlMs session lifetime in ms.
 * @throws AppError unauthorized (one message for unknown email, wrong password and inactive agent).
 */
export async function login(
  db: Deps['db'],
  credentials: { email: string; password: string },
  ttlMs: number,
  now = new Date(),
): Promise<LoginResult> {
  const agent = await findAgentWithPasswordByEmail(db, credentials.email.trim().toLowerCase());
  const matches = await verifyPassword(credentials.password, agent?.passwordHash ?? DUMMY_HASH);
  if (!agent || !matches || !agent.active) {
    await recordAudit(db, {
      action: 'auth.sign_in_failed',
      subjectType: 'agent',
      subjectId: agent?.id ?? null,
      actorAgentId: null,
      data: {
        email: credentials.email.trim().toLowerCase(),
        reason: !agent ? 'unknown_email' : !matches ? 'wrong_password' : 'deactivated',
      },
    });
    throw new AppError('unauthorized', 'email or password is wrong, or the account is deactivated');
  }
  const token = newToken();
  const expiresAt = new Date(now.getTime() + ttlMs);
  // Housekeeping: expired sessions are useless; drop them while we are here.
  await deleteExpiredSessions(db, now);
  const sessionId = await insertSession(db, {
    agentId: agent.id,
    tokenHash: hashToken(token),
    expiresAt,
    createdAt: now,
  });
  await recordAudit(db, {
    action: 'auth.sign_in',
    subjectType: 'agent',
    subjectId: agent.id,
    actorAgentId: agent.id,
    data: { email: agent.email },
  });
  return {
    token,
    expiresAt,
    agent: { id: agent.id, name: agent.name, email: agent.email, role: agent.role, sessionId, expiresAt },
  };
}
