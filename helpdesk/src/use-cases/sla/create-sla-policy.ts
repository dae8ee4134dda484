/**
 * An admin adds a response-time target policy. The sla-check job gives its due times to the
 * active tickets it applies to at its next run (within SLA_CHECK_MS).
 */
import type { Deps } from '../../context';
import { insertSlaPolicy } from '../../store/sla-policies';
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
  try {
    return policyView(
      await insertSlaPolicy(deps.db, { ...rest, resolutionMinutes: hoursToMinutes(resolutionHours) }),
    );
  } catch (error) {
    throw policyWriteError(error, fields.name);
  }
}
