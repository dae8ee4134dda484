/**
 * The integration API creates or updates a customer by phone (issue 17): `name` (null clears it)
 * and `tags` (replacing the customer's tags), as the pharmacy's own systems know them.
 */
import type { Deps } from '../../context';
import { upsertCustomerByPhone } from '../../store/integrations';
import { integrationPhone } from './send-integration-message';

/** @throws AppError validation_failed (phone). */
export async function updateIntegrationCustomer(
  deps: Pick<Deps, 'pool' | 'config'>,
  phoneInput: string,
  changes: { name?: string | null; tags?: string[] },
): Promise<{ id: string; phone: string; name: string | null; tags: string[]; created: boolean }> {
  const phone = integrationPhone(phoneInput, deps.config.defaultCountry);
  const tags = changes.tags ? [...new Set(changes.tags)] : undefined;
  return upsertCustomerByPhone(deps.pool, phone, { name: changes.name, tags });
}
