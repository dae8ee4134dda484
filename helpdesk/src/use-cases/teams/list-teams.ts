/** Every team with its members (any signed-in agent: the console names a channel's team). */
import type { Deps } from '../../context';
import { listTeams as readTeams, type TeamView } from '../../store/teams';

/** @returns every team, by name, each with its members' agent ids. */
export async function listTeams(deps: Pick<Deps, 'db'>): Promise<TeamView[]> {
  return readTeams(deps.db);
}
