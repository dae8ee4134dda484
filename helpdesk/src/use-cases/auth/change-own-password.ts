/**
 * An agent changes their own password: the current one is required, the new one follows
 * `passwordSchema`, and every other session of the agent ends (this one stays signed in).
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { findPasswordHash } from '../../store/agents';
import { verifyPassword } from '../agents/passwords';
import { setAgentPassword } from '../agents/set-password';
import { recordAudit } from '../audit/record-audit';
import type { SessionAgent } from './session-token';

/**
 * @returns how many other sessions were ended.
 * @throws AppError forbidden `currentPassword` when it is wrong; validation_failed `newPassword`.
 */
export async function changeOwnPassword(
  db: Deps['db'],
  agent: Pick<SessionAgent, 'id' | 'sessionId'>,
  passwords: { currentPassword: string; newPassword: string },
): Promise<number> {
  const stored = await findPasswordHash(db, agent.id);
  if (!stored || !(await verifyPassword(passwords.currentPassword, stored))) {
    await recordAudit(db, {
      action: 'auth.password_change_failed',
      subjectType: 'agent',
      subjectId: agent.id,
      actorAgentId: agent.id,
    });
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
