/**
 * An admin changes a response-time target policy. The active tickets that had it get their due
 * times again from an sla-check run requested at once (a changed match may hand them to another
 * policy, and tickets of another policy to this one). The change is audited with each field's value
 * before and after.
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import {
  findSlaPolicy,
  updateSlaPolicy as writePolicy,
  type SlaPolicyFields,
} from '../../store/sla-policies';
import { auditChanges, recordAudit } from '../audit/record-audit';
import { checkPolicyMatch, hoursToMinutes, policyView, policyWriteError } from './check-policy-fields';
import { retimeActiveTickets } from './retime-active-tickets';

/**
 * Changes a policy (fields left out stay; null clears a match field: any).
 * @returns the policy after the change.
 * @throws AppError not_found; validation_failed naming `category`, `channelKey` or `teamId`;
 *   conflict naming `name` or the match fields.
 */
export async function updateSlaPolicy(
  deps: Pick<Deps, 'db' | 'bot' | 'channels' | 'queues' | 'log'>,
  id: string,
  changes: {
    name?: string;
    category?: string | null;
    channelKey?: string | null;
    teamId?: string | null;
    firstResponseMinutes?: number;
    resolutionHours?: number;
    businessHours?: boolean;
  },
) {
  await checkPolicyMatch(deps, changes);
  const { resolutionHours, ...rest } = changes;
  const fields: Partial<SlaPolicyFields> = Object.fromEntries(
    Object.entries(rest).filter(([, value]) => value !== undefined),
  );
  if (resolutionHours !== undefined) fields.resolutionMinutes = hoursToMinutes(resolutionHours);
  const before = await findSlaPolicy(deps.db, id);
  let updated;
  try {
    updated = before ? await writePolicy(deps.db, id, fields) : null;
  } catch (error) {
    throw policyWriteError(error, changes.name);
  }
  if (!before || !updated) throw new AppError('not_found', `sla policy: no policy ${id}`);
  await recordAudit(deps.db, {
    action: 'sla_policy.updated',
    subjectType: 'sla_policy',
    subjectId: id,
    data: { changes: auditChanges(before, updated, Object.keys(fields)) },
  });
  await retimeActiveTickets(deps);
  return policyView(updated);
}
