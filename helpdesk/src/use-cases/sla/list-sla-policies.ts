/** An admin lists the response-time target policies. */
import type { Deps } from '../../context';
import { listSlaPolicies as readPolicies } from '../../store/sla-policies';
import { policyView } from './check-policy-fields';

/** Every policy, most specific first, then by name. */
export async function listSlaPolicies(deps: Pick<Deps, 'db'>) {
  return { items: (await readPolicies(deps.db)).map(policyView) };
}
