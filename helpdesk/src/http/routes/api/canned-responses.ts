/**
 * Canned responses ("fast replies"): `GET /api/canned-responses` (the shared ones and the
 * caller's personal ones), `POST /api/canned-responses` (personal: any agent; shared: admins),
 * `PATCH` and `DELETE /api/canned-responses/:id` (own personal ones; admins for shared ones).
 */
import {
  cannedResponseChangesBodySchema,
  cannedResponseListSchema,
  cannedResponseSchema,
  newCannedResponseBodySchema,
} from '@whatsapp-helpdesk/contract/api';
import type { Context } from '../../../context';
import { createCannedResponse } from '../../../use-cases/canned-responses/create-canned-response';
import { deleteCannedResponse } from '../../../use-cases/canned-responses/delete-canned-response';
import { listCannedResponses } from '../../../use-cases/canned-responses/list-canned-responses';
import { updateCannedResponse } from '../../../use-cases/canned-responses/update-canned-response';
import { idParams, type ApiRouter } from './api-route';
import { toJson } from './views';

/** Registers the canned-response routes. */
export function registerCannedResponseRoutes(router: ApiRouter, context: Context): void {
  router.add({
    method: 'GET',
    url: '/api/canned-responses',
    tag: 'canned-responses',
    summary: "Canned responses: the shared ones and the caller's personal ones",
    description:
      'Sorted by shortcut. Bodies may hold {{customer.name}}, {{agent.name}} and {{ticket.number}}, ' +
      'which the console fills (renderCannedResponse in the contract).',
    auth: 'agent',
    response: cannedResponseListSchema,
    async handler({ agent }) {
      return { items: toJson(await listCannedResponses(context.db, agent)) };
    },
  });

  router.add({
    method: 'POST',
    url: '/api/canned-responses',
    tag: 'canned-responses',
    summary: 'Add a canned response (personal: any agent; shared: admins)',
    description:
      'The shortcut is stored trimmed, lower-cased, without a leading "/" and with Arabic-Indic ' +
      'digits as 0-9. 409 when the caller (personal) or the shared set already has it.',
    auth: 'agent',
    body: newCannedResponseBodySchema,
    status: 201,
    response: cannedResponseSchema,
    errors: [409],
    async handler({ agent, body }) {
      return toJson(await createCannedResponse(context.db, agent, body));
    },
  });

  router.add({
    method: 'PATCH',
    url: '/api/canned-responses/:id',
    tag: 'canned-responses',
    summary: 'Change a canned response (own personal ones; admins for shared ones)',
    description: "404 for another agent's personal one; the scope never changes.",
    auth: 'agent',
    params: idParams,
    body: cannedResponseChangesBodySchema,
    response: cannedResponseSchema,
    errors: [404, 409],
    async handler({ agent, params, body }) {
      return toJson(await updateCannedResponse(context.db, agent, params.id, body));
    },
  });

  router.add({
    method: 'DELETE',
    url: '/api/canned-responses/:id',
    tag: 'canned-responses',
    summary: 'Delete a canned response (own personal ones; admins for shared ones)',
    auth: 'agent',
    params: idParams,
    status: 204,
    errors: [404],
    async handler({ agent, params }) {
      await deleteCannedResponse(context.db, agent, params.id);
    },
  });
}
