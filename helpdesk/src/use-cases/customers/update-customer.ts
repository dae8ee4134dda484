/** Update what agents keep about a customer: display name, tags and notes. */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { updateCustomerFields, type CustomerView } from '../../store/customers';

export interface CustomerChanges {
  name?: string | null;
  /** Replaces the tags; trimmed, duplicates dropped. */
  tags?: string[];
  notes?: string | null;
}

/**
 * Edits a customer's name, tags or notes (fields left out stay as they are; null clears). A name
 * is trimmed, blank notes clear them.
 * @returns the customer after the change. @throws AppError not_found.
 */
export async function updateCustomer(
  deps: Pick<Deps, 'pool'>,
  customerId: string,
  changes: CustomerChanges,
): Promise<CustomerView> {
  const updated = await updateCustomerFields(deps.pool, customerId, {
    ...(changes.name !== undefined ? { name: changes.name?.trim() || null } : {}),
    ...(changes.notes !== undefined ? { notes: changes.notes?.trim() ? changes.notes : null } : {}),
    ...(changes.tags !== undefined
      ? { tags: [...new Set(changes.tags.map((tag) => tag.trim()).filter(Boolean))] }
      : {}),
  });
  if (!updated) throw new AppError('not_found', `customer: no customer ${customerId}`);
  return updated;
}
