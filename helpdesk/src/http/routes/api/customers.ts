/**
 * Customers: `GET /api/customers` (search), `GET /api/customers/:id` (with ticket history),
 * `PATCH /api/customers/:id` (name, tags, notes). Any signed-in agent.
 */
import {
  customerChangesBodySchema,
  customerHistorySchema,
  customerPageSchema,
  customerSchema,
  customerSearchQuerySchema,
} from '@whatsapp-helpdesk/contract/api';
import type { Context } from '../../../context';
import { getCustomerHistory } from '../../../use-cases/customers/get-customer-history';
import { searchCustomers } from '../../../use-cases/customers/search-customers';
import { updateCustomer } from '../../../use-cases/customers/update-customer';
import { idParams, type ApiRouter } from './api-route';
import { customerHistoryJson, toJson } from './views';

/** Registers the customer routes. */
export function registerCustomerRoutes(router: ApiRouter, context: Context): void {
  router.add({
    method: 'GET',
    url: '/api/customers',
    tag: 'customers',
    summary: 'Search customers by name, phone or tag',
    auth: 'agent',
    query: customerSearchQuerySchema,
    response: customerPageSchema,
    async handler({ query }) {
      return toJson(
        await searchCustomers(context.pool, { search: query.q, cursor: query.cursor, limit: query.limit }),
      );
    },
  });

  router.add({
    method: 'GET',
    url: '/api/customers/:id',
    tag: 'customers',
    summary: 'One customer with their ticket history',
    auth: 'agent',
    params: idParams,
    response: customerHistorySchema,
    errors: [404],
    async handler({ params }) {
      return customerHistoryJson(await getCustomerHistory(context.pool, params.id));
    },
  });

  router.add({
    method: 'PATCH',
    url: '/api/customers/:id',
    tag: 'customers',
    summary: "Edit a customer's name, tags or notes",
    description: 'Fields left out stay as they are; null clears name or notes; tags replace the list.',
    auth: 'agent',
    params: idParams,
    body: customerChangesBodySchema,
    response: customerSchema,
    errors: [404],
    async handler({ params, body }) {
      return toJson(await updateCustomer(context, params.id, body));
    },
  });
}
