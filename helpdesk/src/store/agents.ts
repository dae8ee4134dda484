/**
 * The `agents` table: creation, look-ups, availability, admins' changes and passwords, with each
 * agent's load (open or pending tickets). Admin changes that return tickets to the queue run in one
 * transaction with the tickets' `unassigned` events.
 */
import type { TicketStatus } from '@whatsapp-helpdesk/contract/api';
import type pg from 'pg';
import type { AgentAvailability, AgentRole } from '../domain/agents';
import { isUniqueViolation, type Database } from './database';
import { row, transaction } from './sql';
import { insertTicketEvents } from './ticket-events';
import { releaseAgentTickets } from './tickets';

/** An agent as the API shows them (no password hash). */
export interface AgentRecord {
  id: string;
  name: string;
  email: string;
  role: AgentRole;
  availability: AgentAvailability;
  capacity: number;
  active: boolean;
}

export interface AgentView extends AgentRecord {
  /** Open or pending tickets assigned to the agent. */
  openTickets: number;
}

const RECORD_FIELDS = {
  id: true,
  name: true,
  email: true,
  role: true,
  availability: true,
  capacity: true,
  active: true,
} as const;

/**
 * Stores a new agent.
 * @returns the agent, or null when the email is taken.
 */
export async function insertAgent(
  db: Database,
  agent: { name: string; email: string; role: AgentRole; capacity: number; passwordHash: string },
): Promise<AgentRecord | null> {
  try {
    return await db.agent.create({ data: agent, select: RECORD_FIELDS });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/** Each agent's team ids (agents in no team are missing). */
export async function findAgentTeamIds(db: Database): Promise<Map<string, string[]>> {
  const memberships = await db.teamMember.findMany({ select: { agentId: true, teamId: true } });
  const teams = new Map<string, string[]>();
  for (const { agentId, teamId } of memberships) teams.set(agentId, [...(teams.get(agentId) ?? []), teamId]);
  for (const ids of teams.values()) ids.sort();
  return teams;
}

/** Every agent, oldest first, with their open or pending ticket count. */
export async function listAgentsWithLoad(
  db: Database,
  activeStatuses: readonly TicketStatus[],
): Promise<AgentView[]> {
  const [agents, loads] = await Promise.all([
    db.agent.findMany({ orderBy: { createdAt: 'asc' }, select: RECORD_FIELDS }),
    db.ticket.groupBy({
      by: ['assigneeId'],
      where: { status: { in: [...activeStatuses] } },
      _count: { _all: true },
    }),
  ]);
  const load = new Map(loads.map((entry) => [entry.assigneeId, entry._count._all]));
  return agents.map((agent) => ({ ...agent, openTickets: load.get(agent.id) ?? 0 }));
}

/** An agent by id, or null. */
export async function findAgentById(db: Database, agentId: string): Promise<AgentRecord | null> {
  return db.agent.findUnique({ where: { id: agentId }, select: RECORD_FIELDS });
}

/** An agent by email (lower case), or null. */
export async function findAgentByEmail(db: Database, email: string): Promise<AgentRecord | null> {
  return db.agent.findUnique({ where: { email }, select: RECORD_FIELDS });
}

/** An agent with their password hash by email (lower case), or null. */
export async function findAgentWithPasswordByEmail(
  db: Database,
  email: string,
): Promise<(AgentRecord & { passwordHash: string }) | null> {
  return db.agent.findUnique({ where: { email }, select: { ...RECORD_FIELDS, passwordHash: true } });
}

/** An agent's password hash, or null for an unknown agent. */
export async function findPasswordHash(db: Database, agentId: string): Promise<string | null> {
  const agent = await db.agent.findUnique({ where: { id: agentId }, select: { passwordHash: true } });
  return agent?.passwordHash ?? null;
}

/** How many admins exist (active or not). */
export async function countAdmins(db: Database): Promise<number> {
  return db.agent.count({ where: { role: 'admin' } });
}

/**
 * Sets an agent's availability by email (lower case).
 * @returns false for an unknown email.
 */
export async function updateAvailabilityByEmail(
  pool: pg.Pool,
  email: string,
  availability: AgentAvailability,
): Promise<boolean> {
  const result = await pool.query(
    `UPDATE agents SET availability = $2::"Availability", updated_at = now() WHERE email = $1`,
    [email, availability],
  );
  return result.rowCount !== 0;
}

/** Fields an admin changes (undefined: unchanged). */
export interface AgentFieldChanges {
  name?: string;
  /** Lower case; another agent's email: DuplicateAgentEmail. */
  email?: string;
  role?: AgentRole;
  capacity?: number;
  active?: boolean;
  availability?: AgentAvailability;
}

/** Another agent already has this email. */
export class DuplicateAgentEmail extends Error {
  constructor(readonly email: string) {
    super(`an agent with email ${email} already exists`);
    this.name = 'DuplicateAgentEmail';
  }
}

/**
 * Changes an agent; with `release`, also returns their active tickets to the waiting queue and
 * records an `unassigned` event per ticket (by `release.byAgentId`), in one transaction.
 * @returns the released tickets' ids (empty without `release`), or null for an unknown agent.
 * @throws DuplicateAgentEmail when `changes.email` is another agent's.
 */
export async function updateAgentFields(
  pool: pg.Pool,
  agentId: string,
  changes: AgentFieldChanges,
  release: { byAgentId: string | null; activeStatuses: readonly TicketStatus[]; reason: string } | null,
): Promise<string[] | null> {
  return transaction(pool, async (client) => {
    const updated = await row<{ id: string }>(
      client,
      `UPDATE agents
          SET name = COALESCE($2, name), email = COALESCE($7, email), role = COALESCE($3::"AgentRole", role),
              capacity = COALESCE($4, capacity), active = COALESCE($5, active),
              availability = COALESCE($6::"Availability", availability), updated_at = now()
        WHERE id = $1
        RETURNING id`,
      [
        agentId,
        changes.name ?? null,
        changes.role ?? null,
        changes.capacity ?? null,
        changes.active ?? null,
        changes.availability ?? null,
        changes.email ?? null,
      ],
    ).catch((error: unknown) => {
      if (changes.email !== undefined && isUniqueViolation(error))
        throw new DuplicateAgentEmail(changes.email);
      throw error;
    });
    if (!updated) return null;
    if (!release) return [];
    const now = new Date();
    const released = await releaseAgentTickets(client, agentId, release.activeStatuses, now);
    await insertTicketEvents(
      client,
      released.map((ticketId) => ({
        ticketId,
        type: 'unassigned' as const,
        agentId: release.byAgentId,
        data: { from: agentId, to: null, reason: release.reason },
      })),
    );
    return released;
  });
}

/**
 * Sets an agent's password hash and deletes their sessions (all, or all but `keepSessionId`), in
 * one transaction.
 * @returns how many sessions were deleted, or null for an unknown agent.
 */
export async function updatePasswordEndingSessions(
  db: Database,
  agentId: string,
  passwordHash: string,
  keepSessionId: string | null,
): Promise<number | null> {
  return db.$transaction(async (tx) => {
    const updated = await tx.agent.updateMany({ where: { id: agentId }, data: { passwordHash } });
    if (updated.count === 0) return null;
    const ended = await tx.agentSession.deleteMany({
      where: { agentId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) },
    });
    return ended.count;
  });
}

/** The ids of the active agents set online. */
export async function listOnlineAgentIds(pool: pg.Pool): Promise<string[]> {
  const result = await pool.query<{ id: string }>(
    `SELECT id FROM agents WHERE active AND availability = 'online' ORDER BY id`,
  );
  return result.rows.map((agent) => agent.id);
}

/**
 * Sets these agents away, those still online (an agent who chose another availability meanwhile
 * is left alone).
 * @returns the ids of the agents set away.
 */
export async function markAgentsAway(pool: pg.Pool, agentIds: readonly string[]): Promise<string[]> {
  if (agentIds.length === 0) return [];
  const result = await pool.query<{ id: string }>(
    `UPDATE agents SET availability = 'away', updated_at = now()
      WHERE id = ANY($1::uuid[]) AND availability = 'online'
      RETURNING id`,
    [agentIds],
  );
  return result.rows.map((agent) => agent.id);
}
