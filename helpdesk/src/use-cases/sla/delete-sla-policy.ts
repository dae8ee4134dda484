/**
 * An admin deletes a response-time target policy. Its tickets lose it (sla_policy_id set null) and
 * an sla-check run requested at once gives them the next matching policy's due times, or clears them.
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { deleteSlaPolicy as removePolicy } from '../../store/sla-policies';
import { retimeActiveTickets } from './retime-active-tickets';

/** @throws AppError not_found when there is no such policy. */
export async function deleteSlaPolicy(deps: Pick<Deps, 'db' | 'queues' | 'log'>, id: string): Promise<void> {
  if (!(await removePolicy(deps.db, id))) throw new AppError('not_found', `sla policy: no policy ${id}`);
  await retimeActiveTickets(deps);
}
