/**
 * Response-time target policies (`sla_policies`, Prisma). Names are unique (sla_policies_name_key)
 * and so is a match (sla_policies_match_key: category, channel key and team, null counting as
 * "any"); a deleted team takes its policies with it, and a deleted policy leaves its tickets
 * without one (tickets.sla_policy_id set null) until the sla-check job chooses again. Returns
 * plain objects.
 */
import { slaSpecificity } from '../domain/sla';
import { isUniqueViolation, type Database } from './database';

/** A policy as stored. */
export interface SlaPolicyRow {
  id: string;
  name: string;
  category: string | null;
  channelKey: string | null;
  teamId: string | null;
  firstResponseMinutes: number;
  resolutionMinutes: number;
  businessHours: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** The fields an admin writes. */
export type SlaPolicyFields = Omit<SlaPolicyRow, 'id' | 'createdAt' | 'updatedAt'>;

/** Another policy has this name (`field` name) or this match (`field` match). */
export class DuplicateSlaPolicy extends Error {
  constructor(readonly field: 'name' | 'match') {
    super(field === 'name' ? 'another policy has this name' : 'another policy has this match');
    this.name = 'DuplicateSlaPolicy';
  }
}

const select = {
  id: true,
  name: true,
  category: true,
  channelKey: true,
  teamId: true,
  firstResponseMinutes: true,
  resolutionMinutes: true,
  businessHours: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** A unique violation as DuplicateSlaPolicy naming what clashed (the name when another policy has it). */
async function duplicate(
  db: Database,
  error: unknown,
  name: string | undefined,
  id?: string,
): Promise<unknown> {
  if (!isUniqueViolation(error)) return error;
  const named =
    name !== undefined &&
    (await db.slaPolicy.count({ where: { name, ...(id ? { id: { not: id } } : {}) } })) > 0;
  return new DuplicateSlaPolicy(named ? 'name' : 'match');
}

/** Every policy, most specific first, then by name. */
export async function listSlaPolicies(db: Database): Promise<SlaPolicyRow[]> {
  const policies = await db.slaPolicy.findMany({ select, orderBy: { name: 'asc' } });
  return policies.sort((a, b) => slaSpecificity(b) - slaSpecificity(a));
}

/** The policy with this id, or null. */
export async function findSlaPolicy(db: Database, id: string): Promise<SlaPolicyRow | null> {
  return db.slaPolicy.findUnique({ where: { id }, select });
}

/**
 * Adds a policy.
 * @throws DuplicateSlaPolicy for a name or match another policy has.
 */
export async function insertSlaPolicy(db: Database, fields: SlaPolicyFields): Promise<SlaPolicyRow> {
  try {
    return await db.slaPolicy.create({ data: fields, select });
  } catch (error) {
    throw await duplicate(db, error, fields.name);
  }
}

/**
 * Changes a policy (fields left out stay) and lets the sla-check job choose and time again the
 * active tickets that had it (their sla_policy_id is cleared in the same transaction; due times
 * and recorded breaches stay until then).
 * @returns the policy after, or null when there is none.
 * @throws DuplicateSlaPolicy for a name or match another policy has.
 */
export async function updateSlaPolicy(
  db: Database,
  id: string,
  fields: Partial<SlaPolicyFields>,
): Promise<SlaPolicyRow | null> {
  try {
    return await db.$transaction(async (tx) => {
      const { count } = await tx.slaPolicy.updateMany({
        where: { id },
        data: { ...fields, updatedAt: new Date() },
      });
      if (count === 0) return null;
      await tx.ticket.updateMany({
        where: { slaPolicyId: id, status: { in: ['open', 'pending'] } },
        data: { slaPolicyId: null },
      });
      return tx.slaPolicy.findUnique({ where: { id }, select });
    });
  } catch (error) {
    throw await duplicate(db, error, fields.name, id);
  }
}

/** Deletes a policy. @returns false when there was none. */
export async function deleteSlaPolicy(db: Database, id: string): Promise<boolean> {
  const { count } = await db.slaPolicy.deleteMany({ where: { id } });
  return count > 0;
}
