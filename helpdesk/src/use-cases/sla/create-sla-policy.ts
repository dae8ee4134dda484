/**
 * An admin adds a response-time target policy. The sla-check job gives its due times to the
 * active tickets it applies to at its next run (within SLA_CHECK_MS). The addition is audited.
 */
import type { Deps } from '../../context';
import { insertSlaPolicy } from '../../store/sla-policies';
import { recordAudit } from '../audit/record-audit';
import { checkPolicyMatch, hoursToMinutes, policyView, policyWriteError } from './check-policy-fields';

/**
 * Adds a policy.
 * @param fields as the route checked them (contract `slaPolicyCreateBodySchema`): hours may hold
 *   fractions and are stored as whole minutes.
 * @returns the new policy.
 * @throws AppError validation_failed naming `category`, `channelKey` or `teamId`; conflict naming
 *   `name`, or the match fields when another policy has the same match.
 */
export async function createSlaPolicy(
  deps: Pick<Deps, 'db' | 'bot' | 'channels'>,
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
  return policyView(policy);
}
