/**
 * An admin adds a response-time target policy. An sla-check run requested at once gives its due
 * times to the active tickets it applies to (retime-active-tickets.ts). The addition is audited.
 */
import type { Deps } from '../../context';
import { insertSlaPolicy } from '../../store/sla-policies';
import { recordAudit } from '../audit/record-audit';
import { checkPolicyMatch, hoursToMinutes, policyView, policyWriteError } from './check-policy-fields';
import { retimeActiveTickets } from './retime-active-tickets';

/**
 * Adds a policy.
 * @param fields as the route checked them (contract `slaPolicyCreateBodySchema`): hours may hold
 *   fractions and are stored as whole minutes.
 * @returns the new policy.
 * @throws AppError validation_failed naming `category`, `channelKey` or `teamId`; conflict naming
 *   `name`, or the match fields when another policy has the same match.
 */
export async function createSlaPolicy(
  deps: Pick<Deps, 'db' | 'bot' | 'channels' | 'queues' | 'log'>,
  fields: {
    name: string;
    category: string | null;
    channelKey: string | null;
    teamId: string | null;
    firstResponseMinutes: number;
    resolutionHours: number;
    businessHours: boolean;
  },
) {
  await checkPolicyMatch(deps, fields);
  const { resolutionHours, ...rest } = fields;
  let policy;
  try {
    policy = await insertSlaPolicy(deps.db, { ...rest, resolutionMinutes: hoursToMinutes(resolutionHours) });
  } catch (error) {
    throw policyWriteError(error, fields.name);
  }
  const { id, createdAt: _createdAt, updatedAt: _updatedAt, ...audited } = policy;
  await recordAudit(deps.db, {
    action: 'sla_policy.created',
    subjectType: 'sla_policy',
    subjectId: id,
    data: audited,
  });
  await retimeActiveTickets(deps);
  return policyView(policy);
}
