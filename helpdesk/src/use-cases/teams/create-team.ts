/** An admin adds a team of agents (a channel may then route its tickets to it). */
import type { Deps } from '../../context';
import { insertTeam, type TeamView } from '../../store/teams';
import { recordAudit } from '../audit/record-audit';
import { checkCategories, checkMembers, teamWriteError } from './check-members';

/**
 * Adds a team.
 * @param fields name (trimmed, 1–80 characters), members' agent ids and ticket categories routed to
 *   it (default none), checked by the route.
 * @returns the new team.
 * @throws AppError validation_failed naming `memberIds` for an id that is no agent or `categories`
 *   for an id that is no ticket category; conflict naming
 *   `name` when another team has the name.
 */
export async function createTeam(
  deps: Pick<Deps, 'db' | 'bot'>,
  fields: { name: string; memberIds?: readonly string[]; categories?: readonly string[] },
): Promise<TeamView> {
  const categories = checkCategories(deps.bot, fields.categories ?? []);
  const memberIds = await checkMembers(deps.db, fields.memberIds ?? []);
  try {
    const team = await insertTeam(deps.db, { name: fields.name, memberIds, categories });
    await recordAudit(deps.db, {
      action: 'team.created',
      subjectType: 'team',
      subjectId: team.id,
      data: { name: team.name, memberIds, categories },
    });
    return team;
  } catch (error) {
    throw teamWriteError(error, fields.name);
  }
}
