/** The files a customer has sent or been sent, across all their tickets, for any signed-in agent. */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { listCustomerMedia as readCustomerMedia, type CustomerMediaRow } from '../../store/customer-media';
import { customerExists } from '../../store/customers';

/**
 * @param limit how many files, 1–100 (checked by the route).
 * @returns the newest `limit` attachments of the customer's messages, newest first.
 * @throws AppError not_found for an unknown customer.
 */
export async function listCustomerMedia(
  deps: Pick<Deps, 'pool'>,
  customerId: string,
  limit: number,
): Promise<CustomerMediaRow[]> {
  if (!(await customerExists(deps.pool, customerId))) {
    throw new AppError('not_found', `customer: no customer ${customerId}`);
  }
  return readCustomerMedia(deps.pool, customerId, Math.min(Math.max(limit, 1), 100));
}
