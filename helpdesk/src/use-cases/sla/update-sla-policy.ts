/**
 * An admin changes a response-time target policy. The active tickets that had it get their due
 * times again from an sla-check run requested at once (a changed match may hand them to another
 * policy, and tickets of another policy to this one).
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { updateSlaPolicy as writePolicy, type SlaPolicyFields } from '../../store/sla-policies';
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
  let updated;
  try {
    updated = await writePolicy(deps.db, id, fields);
  } catch (error) {
    throw policyWriteError(error, changes.name);
  }
  if (!updated) throw new AppError('not_found', `sla policy: no policy ${id}`);
  await retimeActiveTickets(deps);
  return policyView(updated);
}
