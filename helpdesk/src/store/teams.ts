/**
 * Teams (Prisma): named groups of agents a channel may route its tickets to, and their members.
 * Names are unique (the index teams_name_key); a deleted team leaves its channels routing to every
 * agent (channels.team_id is set null) and its memberships go with it (team_members cascades).
 * Returns plain objects.
 */
import { isUniqueViolation, type Database, type Prisma } from './database';

/** A team as the API shows it. */
export interface TeamView {
  id: string;
  name: string;
  /** Agent ids, sorted. */
  memberIds: string[];
  /** Ticket categories routed to the team, as given. */
  categories: string[];
}

/** Another team already has this name. */
export class DuplicateTeamName extends Error {
  constructor(readonly teamName: string) {
    super(`a team named "${teamName}" already exists`);
    this.name = 'DuplicateTeamName';
  }
}

const teamSelect = {
  id: true,
  name: true,
  categories: true,
  members: { select: { agentId: true } },
} as const;

function view(team: {
  id: string;
  name: string;
  categories: string[];
  members: Array<{ agentId: string }>;
}): TeamView {
  return {
    id: team.id,
    name: team.name,
    memberIds: team.members.map((member) => member.agentId).sort(),
    categories: team.categories,
  };
}

/**
 * Runs a read in one REPEATABLE READ snapshot. Prisma reads a relation (the members) with a
 * second statement; under READ COMMITTED that statement may see a team change committed after
 * the first, showing the new members beside the old categories.
 */
function atOneMoment<T>(db: Database, read: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return db.$transaction(read, { isolationLevel: 'RepeatableRead' });
}

/** Every team, by name (letter case ignored). */
export async function listTeams(db: Database): Promise<TeamView[]> {
  const teams = await atOneMoment(db, (tx) => tx.team.findMany({ select: teamSelect }));
  return teams
    .map(view)
    .sort(
      (a, b) =>
        a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.name.localeCompare(b.name),
    );
}

/** The team with this id, or null. */
export async function findTeam(db: Database, teamId: string): Promise<TeamView | null> {
  const team = await atOneMoment(db, (tx) =>
    tx.team.findUnique({ where: { id: teamId }, select: teamSelect }),
  );
  return team ? view(team) : null;
}

/** Whether a team with this id exists. */
export async function teamExists(db: Database, teamId: string): Promise<boolean> {
  return (await db.team.count({ where: { id: teamId } })) > 0;
}

/** Which of `agentIds` are agents. */
export async function findExistingAgentIds(db: Database, agentIds: readonly string[]): Promise<Set<string>> {
  if (agentIds.length === 0) return new Set();
  const found = await db.agent.findMany({ where: { id: { in: [...agentIds] } }, select: { id: true } });
  return new Set(found.map((agent) => agent.id));
}

/**
 * Adds a team with its members, in one transaction.
 * @throws DuplicateTeamName when another team has the name.
 */
export async function insertTeam(
  db: Database,
  fields: { name: string; memberIds: readonly string[]; categories?: readonly string[] },
): Promise<TeamView> {
  try {
    const team = await db.team.create({
      data: {
        name: fields.name,
        categories: [...(fields.categories ?? [])],
        members: { createMany: { data: fields.memberIds.map((agentId) => ({ agentId })) } },
      },
      select: teamSelect,
    });
    return view(team);
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateTeamName(fields.name);
    throw error;
  }
}

/**
 * Renames a team, makes its members exactly `memberIds` and/or its categories `categories`, in one
 * transaction.
 * @returns the team after the change, or null when there is no such team.
 * @throws DuplicateTeamName when another team has the new name.
 */
export async function updateTeam(
  db: Database,
  teamId: string,
  fields: { name?: string; memberIds?: readonly string[]; categories?: readonly string[] },
): Promise<TeamView | null> {
  try {
    return await db.$transaction(async (tx) => {
      const { count } = await tx.team.updateMany({
        where: { id: teamId },
        data: {
          ...(fields.name !== undefined ? { name: fields.name } : {}),
          ...(fields.categories !== undefined ? { categories: [...fields.categories] } : {}),
          updatedAt: new Date(),
        },
      });
      if (count === 0) return null;
      if (fields.memberIds) {
        const memberIds = [...fields.memberIds];
        await tx.teamMember.deleteMany({ where: { teamId, agentId: { notIn: memberIds } } });
        await tx.teamMember.createMany({
          data: memberIds.map((agentId) => ({ teamId, agentId })),
          skipDuplicates: true,
        });
      }
      const team = await tx.team.findUnique({ where: { id: teamId }, select: teamSelect });
      return team ? view(team) : null;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateTeamName(fields.name ?? '');
    throw error;
  }
}

/** Deletes a team (its channels then route to every agent). @returns false when there was none. */
export async function deleteTeam(db: Database, teamId: string): Promise<boolean> {
  const { count } = await db.team.deleteMany({ where: { id: teamId } });
  return count > 0;
}
