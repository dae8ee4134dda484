/**
 * An admin renames a team or changes its members or categories. The channels routed to it take the new members
 * from the assignment run that follows at once (a new member may take tickets that were waiting).
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { assignAndPublish } from '../assignment/assign-and-publish';
import { recordAudit } from '../audit/record-audit';
import { updateTeam as writeTeam, type TeamView } from '../../store/teams';
import { checkCategories, checkMembers, teamWriteError } from './check-members';

/**
 * Changes a team (fields left out stay; `memberIds` replaces the members, `categories` the
 * ticket categories routed to it). New members or categories run the assignment at once.
 * @returns the team after the change.
 * @throws AppError not_found; validation_failed naming `memberIds` or `categories`; conflict naming `name`.
 */
export async function updateTeam(
  deps: Pick<Deps, 'db' | 'pool' | 'realtime' | 'log' | 'bot'>,
  teamId: string,
  changes: { name?: string; memberIds?: readonly string[]; categories?: readonly string[] },
): Promise<TeamView> {
  const categories = changes.categories ? checkCategories(deps.bot, changes.categories) : undefined;
  const memberIds = changes.memberIds ? await checkMembers(deps.db, changes.memberIds) : undefined;
  let updated: TeamView | null;
  try {
    updated = await writeTeam(deps.db, teamId, {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(memberIds ? { memberIds } : {}),
      ...(categories ? { categories } : {}),
    });
  } catch (error) {
    throw teamWriteError(error, changes.name);
  }
  if (!updated) throw new AppError('not_found', `team: no team ${teamId}`);
  await recordAudit(deps.db, {
    action: 'team.updated',
    subjectType: 'team',
    subjectId: teamId,
    data: { changes },
  });
  if (memberIds || categories) await assignAndPublish(deps);
  return updated;
}
