/**
 * An admin (API or CLI) creates an agent with a hashed password.
 */
import type { Deps } from '../../context';
import { newAgentSchema, type NewAgent } from '../../domain/agents';
import { AppError, validationError } from '../../errors';
import { insertAgent, type AgentView } from '../../store/agents';
import { recordAudit } from '../audit/record-audit';
import { hashPassword } from './passwords';

/**
 * Creates an agent.
 * @param input name, email (stored in lower case), password (`passwordSchema`), capacity 0–1000,
 *   role (default agent).
 * @returns the agent with no open tickets.
 * @throws AppError validation_failed naming the field; conflict when the email is taken.
 */
export async function addAgent(db: Deps['db'], input: NewAgent): Promise<AgentView> {
  const parsed = newAgentSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const { password, ...fields } = parsed.data;
  const agent = await insertAgent(db, { ...fields, passwordHash: await hashPassword(password) });
  if (!agent) throw new AppError('conflict', `email: an agent with ${fields.email} exists`);
  await recordAudit(db, {
    action: 'agent.created',
    subjectType: 'agent',
    subjectId: agent.id,
    data: { name: agent.name, email: agent.email, role: agent.role, capacity: agent.capacity },
  });
  return { ...agent, openTickets: 0 };
}
