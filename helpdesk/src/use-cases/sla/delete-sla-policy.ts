/**
 * An admin deletes a response-time target policy. Its tickets lose it (sla_policy_id set null) and
 * an sla-check run requested at once gives them the next matching policy's due times, or clears them.
 * Audited with its name.
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { deleteSlaPolicy as removePolicy, findSlaPolicy } from '../../store/sla-policies';
import { recordAudit } from '../audit/record-audit';
import { retimeActiveTickets } from './retime-active-tickets';

/** @throws AppError not_found when there is no such policy. */
export async function deleteSlaPolicy(deps: Pick<Deps, 'db' | 'queues' | 'log'>, id: string): Promise<void> {
  const policy = await findSlaPolicy(deps.db, id);
  if (!policy || !(await removePolicy(deps.db, id))) {
    throw new AppError('not_found', `sla policy: no policy ${id}`);
  }
  await recordAudit(deps.db, {
    action: 'sla_policy.deleted',
    subjectType: 'sla_policy',
    subjectId: id,
    data: { name: policy.name },
  });
  await retimeActiveTickets(deps);
}
