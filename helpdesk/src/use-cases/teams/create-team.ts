/** An admin adds a team of agents (a channel may then route its tickets to it). */
import type { Deps } from '../../context';
import { insertTeam, type TeamView } from '../../store/teams';
import { checkMembers, teamWriteError } from './check-members';

/**
 * Adds a team.
 * @param fields name (trimmed, 1–80 characters) and members' agent ids (default none), checked by the route.
 * @returns the new team.
 * @throws AppError validation_failed naming `memberIds` for an id that is no agent; conflict naming
 *   `name` when another team has the name.
 */
export async function createTeam(
  deps: Pick<Deps, 'db'>,
  fields: { name: string; memberIds?: readonly string[] },
): Promise<TeamView> {
  const memberIds = await checkMembers(deps.db, fields.memberIds ?? []);
  try {
    return await insertTeam(deps.db, { name: fields.name, memberIds });
  } catch (error) {
    throw teamWriteError(error, fields.name);
  }
}
