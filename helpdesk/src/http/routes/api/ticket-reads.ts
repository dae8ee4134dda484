/**
 * Nobody missed: `GET /api/tickets/counts` (the caller's inbox badges) and
 * `POST /api/tickets/:id/read` (the caller has read a ticket). Registered before the ticket
 * routes, so `/api/tickets/counts` is not taken for a ticket id.
 */
import { idParamsSchema, ticketCountsQuerySchema, ticketCountsSchema } from '@whatsapp-helpdesk/contract/api';
import type { Context } from '../../../context';
import { countTicketsForAgent } from '../../../use-cases/tickets/count-tickets-for-agent';
import { markTicketRead } from '../../../use-cases/tickets/mark-ticket-read';
import type { ApiRouter } from './api-route';

/** Registers the read-marker and inbox-count routes. */
export function registerTicketReadRoutes(router: ApiRouter, context: Context): void {
  router.add({
    method: 'GET',
    url: '/api/tickets/counts',
    tag: 'tickets',
    summary: "The caller's inbox counts",
    description:
      'mine: your open and pending tickets; unassigned: open and pending tickets waiting for an ' +
      'agent (the unassigned view); unreadTickets / unreadMessages: among your open and pending ' +
      "tickets, those with customer messages you haven't read, and how many such messages. " +
      "channel: count only that channel's tickets (a key from GET /api/channels).",
    auth: 'agent',
    query: ticketCountsQuerySchema,
    response: ticketCountsSchema,
    async handler({ agent, query }) {
      return countTicketsForAgent(context.pool, agent, query.channel);
    },
  });

  router.add({
    method: 'POST',
    url: '/api/tickets/:id/read',
    tag: 'tickets',
    summary: 'Mark a ticket read by the caller',
    description:
      "The ticket's customer messages so far stop counting in the caller's unreadCount (other " +
      "agents' counts are their own). Whoever may open the thread may mark it read.",
    auth: 'agent',
    params: idParamsSchema,
    status: 204,
    errors: [404],
    async handler({ agent, params }) {
      await markTicketRead(context.db, agent, params.id);
    },
  });
}
