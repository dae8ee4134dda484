/**
 * A customer's scheduled messages, as the customer panel lists them: still scheduled first
 * (soonest first), then sent, cancelled and failed ones (newest first).
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { customerExists } from '../../store/customers';
import {
  listCustomerScheduledMessages as readCustomerScheduledMessages,
  type ScheduledMessageRow,
} from '../../store/scheduled-messages';

/** @throws AppError not_found for an unknown customer. */
export async function listCustomerScheduledMessages(
  deps: Pick<Deps, 'pool'>,
  customerId: string,
): Promise<ScheduledMessageRow[]> {
  if (!(await customerExists(deps.pool, customerId))) {
    throw new AppError('not_found', `customer: no customer ${customerId}`);
  }
  return readCustomerScheduledMessages(deps.pool, customerId);
}
