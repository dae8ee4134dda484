/**
 * `GET /api/customers/:id/media`: the files a customer sent or was sent across their tickets,
 * newest first, with each file's download URL. Any signed-in agent (like the customer's history);
 * the files themselves follow GET /api/attachments/:id's rule.
 */
import { customerMediaListSchema, customerMediaQuerySchema } from '@whatsapp-helpdesk/contract/api';
import type { Context } from '../../../context';
import { listCustomerMedia } from '../../../use-cases/customers/list-customer-media';
import { idParams, type ApiRouter } from './api-route';
import { customerMediaJson } from './views';

/** Registers the customer media route. */
export function registerCustomerMediaRoutes(router: ApiRouter, context: Context): void {
  router.add({
    method: 'GET',
    url: '/api/customers/:id/media',
    tag: 'customers',
    summary: 'Files shared with a customer before, newest first',
    description:
      'Attachments of messages from or to the customer in any of their tickets (limit 1–100, default 30).',
    auth: 'agent',
    params: idParams,
    query: customerMediaQuerySchema,
    response: customerMediaListSchema,
    errors: [404],
    async handler({ params, query }) {
      return customerMediaJson(await listCustomerMedia(context, params.id, query.limit));
    },
  });
}
