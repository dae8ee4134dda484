/**
 * Customers: `GET /api/customers` (search), `GET /api/customers/:id` (with ticket history),
 * `PATCH /api/customers/:id` (name, tags, notes). Any signed-in agent.
 */
import { z } from 'zod';
import type { Context } from '../../../context';
import { getCustomerHistory, searchCustomers, updateCustomer } from '../../../services/customer-directory';
import { idParams, type ApiRouter } from './api-route';
import { customerHistoryView, customerPageView, customerView } from './views';

const searchQuery = z.object({
  q: z.string().max(200).optional().describe('name, phone digits or a tag'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int('must be a whole number').min(1).max(100).default(25),
});

const customerChanges = z
  .object({
    name: z.string().max(200, 'must be at most 200 characters').nullable().optional(),
    tags: z
      .array(z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters'))
      .max(30, 'at most 30 tags')
      .optional(),
    notes: z.string().max(10_000, 'must be at most 10000 characters').nullable().optional(),
  })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), {
    message: 'name, tags or notes: give at least one',
  });

/** Registers the customer routes. */
export function registerCustomerRoutes(router: ApiRouter, context: Context): void {
  router.add({
    method: 'GET',
    url: '/api/customers',
    tag: 'customers',
    summary: 'Search customers by name, phone or tag',
    auth: 'agent',
    query: searchQuery,
    response: customerPageView,
    async handler({ query }) {
      return searchCustomers(context.db, { search: query.q, cursor: query.cursor, limit: query.limit });
    },
  });

  router.add({
    method: 'GET',
    url: '/api/customers/:id',
    tag: 'customers',
    summary: 'One customer with their ticket history',
    auth: 'agent',
    params: idParams,
    response: customerHistoryView,
    errors: [404],
    async handler({ params }) {
      return getCustomerHistory(context.db, params.id);
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
    body: customerChanges,
    response: customerView,
    errors: [404],
    async handler({ params, body }) {
      return updateCustomer(context.db, params.id, body);
    },
  });
}
