/**
 * An agent's password is set (by an admin, the CLI, or the agent): a stolen session does not
 * outlive a password change.
 */
import type { Deps } from '../../context';
import { passwordSchema } from '../../domain/agents';
import { AppError } from '../../errors';
import { updatePasswordEndingSessions } from '../../store/agents';
import { recordAudit } from '../audit/record-audit';
import { hashPassword } from './passwords';

/**
 * Sets an agent's password and ends their sessions (all, or all but `keepSessionId`), in one
 * transaction.
 * @param password checked with `passwordSchema`.
 * @param options.keepSessionId the session the change was made from (it stays signed in), or null;
 *   options.field the field named in errors (default `password`).
 * @returns how many sessions were ended.
 * @throws AppError validation_failed naming `field`; not_found.
 */
export async function setAgentPassword(
  db: Deps['db'],
  agentId: string,
  password: string,
  options: { keepSessionId?: string | null; field?: string } = {},
): Promise<number> {
  const parsed = passwordSchema.safeParse(password);
  if (!parsed.success) {
    throw new AppError(
      'validation_failed',
      `${options.field ?? 'password'}: ${parsed.error.issues[0]?.message}`,
    );
  }
  const ended = await updatePasswordEndingSessions(
    db,
    agentId,
    await hashPassword(parsed.data),
    options.keepSessionId ?? null,
  );
  if (ended === null) throw new AppError('not_found', `agent: no agent ${agentId}`);
  await recordAudit(db, {
    action: 'agent.password_set',
    subjectType: 'agent',
    subjectId: agentId,
    data: { endedSessions: ended },
  });
  return ended;
}
