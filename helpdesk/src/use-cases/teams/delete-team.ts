/**
 * An admin deletes a team. Its channels then route to every agent (their team is set to none by
 * the database); the channel directory is reloaded and waiting tickets are assigned at once.
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { deleteTeam as removeTeam } from '../../store/teams';
import { assignAndPublish } from '../assignment/assign-and-publish';

/** @throws AppError not_found when there is no such team. */
export async function deleteTeam(
  deps: Pick<Deps, 'db' | 'channels' | 'pool' | 'realtime' | 'log'>,
  teamId: string,
): Promise<void> {
  if (!(await removeTeam(deps.db, teamId))) throw new AppError('not_found', `team: no team ${teamId}`);
  await deps.channels.reload();
  await assignAndPublish(deps);
}
