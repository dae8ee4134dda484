/**
 * Agents: creation with a hashed password, availability (going online assigns waiting tickets),
 * listing, and the first admin of a new deployment.
 */
import bcrypt from 'bcrypt';
import type pg from 'pg';
import { z } from 'zod';
import { AppError, validationError } from '../errors';
import { isUniqueViolation, type Database } from '../infra/db';
import { assignWaitingTickets, type Assignment } from './assignment';

export const AVAILABILITIES = ['online', 'away', 'offline'] as const;
export type AgentAvailability = (typeof AVAILABILITIES)[number];

/** Fewest characters of a password. */
export const PASSWORD_MIN_LENGTH = 10;
/** bcrypt reads at most 72 bytes; a longer password would silently be cut, so it is refused. */
const PASSWORD_MAX_BYTES = 72;
/** Fewest different characters: refuses `aaaaaaaaaa`, `1212121212` and the like. */
const PASSWORD_MIN_DISTINCT = 5;

/** The rule every agent's password follows (creation, change, reset, CLI). */
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .refine(
    (password) => Buffer.byteLength(password, 'utf8') <= PASSWORD_MAX_BYTES,
    `must be at most ${PASSWORD_MAX_BYTES} bytes (about 36 Arabic or 72 Latin characters)`,
  )
  .refine(
    (password) => new Set(password).size >= PASSWORD_MIN_DISTINCT,
    `must use at least ${PASSWORD_MIN_DISTINCT} different characters`,
  );

export const newAgentSchema = z.object({
  name: z.string().trim().min(1, 'is required').max(200),
  email: z.email({ message: 'must be an email address' }).transform((email) => email.toLowerCase()),
  password: passwordSchema,
  capacity: z.coerce.number().int('must be a whole number').min(0).max(1000),
  role: z.enum(['agent', 'admin']).default('agent'),
});
export type NewAgent = z.input<typeof newAgentSchema>;

export interface AgentView {
  id: string;
  name: string;
  email: string;
  role: 'agent' | 'admin';
  availability: AgentAvailability;
  capacity: number;
  active: boolean;
  openTickets: number;
}

const BCRYPT_COST = 10;

/**
 * Hashes a password with bcrypt (cost 10) on libuv's thread pool (native `bcrypt`), so the event
 * loop that answers webhooks keeps running meanwhile.
 * @returns a `$2b$` hash.
 */
export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

/**
 * Creates an agent.
 * @throws AppError validation_failed naming the field; conflict when the email is taken.
 */
export async function addAgent(db: Database, input: NewAgent): Promise<AgentView> {
  const parsed = newAgentSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const { password, ...fields } = parsed.data;
  try {
    const agent = await db.agent.create({
      data: { ...fields, passwordHash: await hashPassword(password) },
    });
    return { ...view(agent), openTickets: 0 };
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('conflict', `email: an agent with ${fields.email} exists`);
    throw error;
  }
}

/**
 * Sets an agent's availability; going online assigns waiting tickets.
 * @returns the assignments this made.
 * @throws AppError not_found for an unknown email.
 */
export async function setAvailability(
  pool: pg.Pool,
  email: string,
  availability: AgentAvailability,
): Promise<Assignment[]> {
  const result = await pool.query(
    `UPDATE agents SET availability = $2::"Availability", updated_at = now() WHERE email = $1`,
    [email.toLowerCase(), availability],
  );
  if (result.rowCount === 0) throw new AppError('not_found', `email: no agent with ${email}`);
  return availability === 'online' ? assignWaitingTickets(pool) : [];
}

/** Every agent with their open (open or pending) ticket count. */
export async function listAgents(db: Database): Promise<AgentView[]> {
  const [agents, loads] = await Promise.all([
    db.agent.findMany({ orderBy: { createdAt: 'asc' } }),
    db.ticket.groupBy({
      by: ['assigneeId'],
      where: { status: { in: ['open', 'pending'] } },
      _count: { _all: true },
    }),
  ]);
  const load = new Map(loads.map((row) => [row.assigneeId, row._count._all]));
  return agents.map((agent) => ({ ...view(agent), openTickets: load.get(agent.id) ?? 0 }));
}

/**
 * Creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD when the deployment has no admin.
 * @returns true when an admin was created.
 */
export async function ensureFirstAdmin(
  db: Database,
  admin: { email: string; password: string } | null,
): Promise<boolean> {
  if (!admin) return false;
  if ((await db.agent.count({ where: { role: 'admin' } })) > 0) return false;
  try {
    await addAgent(db, {
      name: 'Administrator',
      email: admin.email,
      password: admin.password,
      capacity: 0,
      role: 'admin',
    });
    return true;
  } catch (error) {
    if (error instanceof AppError && error.code === 'conflict') return false; // another process won the race
    throw error;
  }
}

/**
 * Checks a password against a stored bcrypt hash (`$2a$`/`$2b$`, also those bcryptjs made), off the
 * event loop (libuv's thread pool).
 * @returns false for a wrong password or a malformed hash.
 */
export async function verifyPassword(password: string, passwordHash: string): Promise<boolean> {
  return bcrypt.compare(password, passwordHash).catch(() => false);
}

/**
 * Sets an agent's password and ends their sessions (all, or all but `keepSessionId`), in one
 * transaction: a stolen session does not outlive a password change.
 * @param password checked with `passwordSchema`.
 * @param keepSessionId the session the change was made from (it stays signed in), or null.
 * @returns how many sessions were ended.
 * @throws AppError validation_failed naming `field` (default `password`); not_found.
 */
export async function setAgentPassword(
  db: Database,
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
  const passwordHash = await hashPassword(parsed.data);
  return db.$transaction(async (tx) => {
    const updated = await tx.agent.updateMany({ where: { id: agentId }, data: { passwordHash } });
    if (updated.count === 0) throw new AppError('not_found', `agent: no agent ${agentId}`);
    const ended = await tx.agentSession.deleteMany({
      where: { agentId, ...(options.keepSessionId ? { id: { not: options.keepSessionId } } : {}) },
    });
    return ended.count;
  });
}

function view(agent: {
  id: string;
  name: string;
  email: string;
  role: 'agent' | 'admin';
  availability: AgentAvailability;
  capacity: number;
  active: boolean;
}): Omit<AgentView, 'openTickets'> {
  const { id, name, email, role, availability, capacity, active } = agent;
  return { id, name, email, role, availability, capacity, active };
}
