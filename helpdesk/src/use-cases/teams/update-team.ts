/**
 * An admin renames a team or changes its members. The channels routed to it take the new members
 * from the assignment run that follows at once (a new member may take tickets that were waiting).
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { assignAndPublish } from '../assignment/assign-and-publish';
import { updateTeam as writeTeam, type TeamView } from '../../store/teams';
import { checkMembers, teamWriteError } from './check-members';

/**
 * Changes a team (fields left out stay; `memberIds` replaces the members).
 * @returns the team after the change.
 * @throws AppError not_found; validation_failed naming `memberIds`; conflict naming `name`.
 */
export async function updateTeam(
  deps: Pick<Deps, 'db' | 'pool' | 'realtime' | 'log'>,
  teamId: string,
  changes: { name?: string; memberIds?: readonly string[] },
): Promise<TeamView> {
  const memberIds = changes.memberIds ? await checkMembers(deps.db, changes.memberIds) : undefined;
  let updated: TeamView | null;
  try {
    updated = await writeTeam(deps.db, teamId, {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(memberIds ? { memberIds } : {}),
    });
  } catch (error) {
    throw teamWriteError(error, changes.name);
  }
  if (!updated) throw new AppError('not_found', `team: no team ${teamId}`);
  if (memberIds) await assignAndPublish(deps);
  return updated;
}
