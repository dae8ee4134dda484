/**
 * An agent signs in with email and password (bcrypt hash) and gets an opaque token for a session
 * that expires after SESSION_TTL_HOURS.
 */
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

/**
 * A valid cost-10 bcrypt hash (of 32 random bytes, not kept), compared when the email is unknown so
 * that an unknown email costs as much time as a wrong password. The sign-in fails whatever the
 * comparison says, so the hash guards nothing; a constant spares every process start (each CLI
 * command, each worker) the 50 ms of hashing one at import.
 */
const DUMMY_HASH = '$2b$10$Xv4H/3vnf/3xMTIpJdAKFea.AHBNX41xs7x.vtryaJor1ed38AAMa';

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
