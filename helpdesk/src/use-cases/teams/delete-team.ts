/**
 * An admin deletes a team. Its channels then route to every agent and its tickets (transferred to
 * it) return to the usual routing (the database sets their team to none); the channel directory is
 * reloaded and waiting tickets are assigned at once.
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { deleteTeam as removeTeam } from '../../store/teams';
import { assignAndPublish } from '../assignment/assign-and-publish';
import { recordAudit } from '../audit/record-audit';

/** @throws AppError not_found when there is no such team. */
export async function deleteTeam(
  deps: Pick<Deps, 'db' | 'channels' | 'pool' | 'realtime' | 'log'>,
  teamId: string,
): Promise<void> {
  if (!(await removeTeam(deps.db, teamId))) throw new AppError('not_found', `team: no team ${teamId}`);
  await recordAudit(deps.db, { action: 'team.deleted', subjectType: 'team', subjectId: teamId });
  await deps.channels.reload();
  await assignAndPublish(deps);
}
