/**
 * `POST /api/tickets/:id/messages/:messageId/retry`: send a failed outbound message again.
 */
import { messageSchema, ticketMessageParamsSchema } from '@whatsapp-helpdesk/contract/api';
import { retryOutboundMessage } from '../../../use-cases/messages/retry-outbound-message';
import type { TicketActionDependencies } from '../../../use-cases/tickets/ticket-action-dependencies';
import type { ApiRouter } from './api-route';
import { messageJson } from './views';

/** Registers the retry route. @param deps database, queues, realtime and log (as for replies). */
export function registerMessageRetryRoutes(router: ApiRouter, deps: TicketActionDependencies): void {
  router.add({
    method: 'POST',
    url: '/api/tickets/:id/messages/:messageId/retry',
    tag: 'tickets',
    summary: 'Send a failed message again',
    description:
      'For an outbound message whose deliveryStatus is `failed`: it goes back to `queued` (error ' +
      'cleared) and is sent once more through the WhatsApp driver; the outcome is pushed as ' +
      '`message.status`. Who and when as for replying: the assignee or an admin, an open or pending ' +
      "ticket, and (Cloud API) within 24 hours of the customer's last message. 409 when the message " +
      'is not a failed outbound one.',
    auth: 'agent',
    params: ticketMessageParamsSchema,
    status: 202,
    response: messageSchema,
    errors: [404, 409, 503],
    async handler({ agent, params }) {
      return messageJson(await retryOutboundMessage(deps, agent, params.id, params.messageId));
    },
  });
}
