/**
 * An admin deletes a response-time target policy. Its tickets lose it (sla_policy_id set null) and
 * the sla-check job gives them the next matching policy's due times, or clears them.
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { deleteSlaPolicy as removePolicy } from '../../store/sla-policies';

/** @throws AppError not_found when there is no such policy. */
export async function deleteSlaPolicy(deps: Pick<Deps, 'db'>, id: string): Promise<void> {
  if (!(await removePolicy(deps.db, id))) throw new AppError('not_found', `sla policy: no policy ${id}`);
}
