/** Get one customer with their ticket history, for any signed-in agent. */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import {
  findCustomer,
  findCustomerTickets,
  type CustomerTicket,
  type CustomerView,
} from '../../store/customers';

export interface CustomerHistory extends CustomerView {
  /** Every ticket, newest first. */
  tickets: CustomerTicket[];
}

/** One customer with their ticket history. @throws AppError not_found. */
export async function getCustomerHistory(db: Deps['pool'], customerId: string): Promise<CustomerHistory> {
  const customer = await findCustomer(db, customerId);
  if (!customer) throw new AppError('not_found', `customer: no customer ${customerId}`);
  return { ...customer, tickets: await findCustomerTickets(db, customerId) };
}
