/**
 * Agents: creation with a hashed password, availability (going online assigns waiting tickets),
 * listing, and the first admin of a new deployment.
 */
import bcrypt from 'bcryptjs';
import type pg from 'pg';
import { z } from 'zod';
import { AppError, validationError } from '../errors';
import { isUniqueViolation, type Database } from '../infra/db';
import { assignWaitingTickets, type Assignment } from './assignment';

export const AVAILABILITIES = ['online', 'away', 'offline'] as const;
export type AgentAvailability = (typeof AVAILABILITIES)[number];

export const newAgentSchema = z.object({
  name: z.string().trim().min(1, 'is required').max(200),
  email: z.email({ message: 'must be an email address' }).transform((email) => email.toLowerCase()),
  password: z.string().min(8, 'must be at least 8 characters').max(200),
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
 * Creates an agent.
 * @throws AppError validation_failed naming the field; conflict when the email is taken.
 */
export async function addAgent(db: Database, input: NewAgent): Promise<AgentView> {
  const parsed = newAgentSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const { password, ...fields } = parsed.data;
  try {
    const agent = await db.agent.create({
      data: { ...fields, passwordHash: await bcrypt.hash(password, BCRYPT_COST) },
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

/** Checks a password against an agent's stored hash. */
export function verifyPassword(password: string, passwordHash: string): Promise<boolean> {
  return bcrypt.compare(password, passwordHash);
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
