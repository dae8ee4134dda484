/**
 * Labels and a ticket's classification: `GET /api/labels` (any agent), `POST|PATCH|DELETE
 * /api/labels[/:id]` (admins), `PUT /api/tickets/:id/labels`, `GET /api/ticket-categories` and
 * `PUT /api/tickets/:id/category` (whoever may add a note to the ticket).
 */
import {
  labelChangesBodySchema,
  labelCreateBodySchema,
  labelListSchema,
  labelSchema,
  ticketCategoryBodySchema,
  ticketCategoryListSchema,
  ticketLabelsBodySchema,
  ticketSchema,
} from '@whatsapp-helpdesk/contract/api';
import type { Context } from '../../../context';
import { createLabel } from '../../../use-cases/labels/create-label';
import { deleteLabel } from '../../../use-cases/labels/delete-label';
import { listLabels } from '../../../use-cases/labels/list-labels';
import { updateLabel } from '../../../use-cases/labels/update-label';
import { listTicketCategories } from '../../../use-cases/tickets/list-ticket-categories';
import { setTicketCategory } from '../../../use-cases/tickets/set-ticket-category';
import { setTicketLabels } from '../../../use-cases/tickets/set-ticket-labels';
import { idParams, type ApiRouter } from './api-route';
import { addResourceRoutes } from './resource-routes';
import { ticketJson } from './views';

/** Registers the label and category routes. */
export function registerLabelRoutes(router: ApiRouter, context: Context): void {
  addResourceRoutes(router, {
    url: '/api/labels',
    tag: 'labels',
    item: labelSchema,
    list: {
      summary: 'Every label, by name',
      schema: labelListSchema,
      handler: async () => ({ items: await listLabels(context.db) }),
    },
    create: {
      summary: 'Add a label (admins)',
      description: 'Names are unique regardless of letter case (409); colour as #rrggbb.',
      schema: labelCreateBodySchema,
      errors: [409],
      handler: (body) => createLabel(context, body),
    },
    update: {
      summary: 'Rename or recolour a label (admins)',
      description: 'Fields left out stay; tickets keep the label.',
      schema: labelChangesBodySchema,
      errors: [409],
      handler: (id, body) => updateLabel(context, id, body),
    },
    remove: {
      summary: 'Delete a label (admins); it comes off every ticket',
      handler: (id) => deleteLabel(context, id),
    },
  });

  router.add({
    method: 'PUT',
    url: '/api/tickets/:id/labels',
    tag: 'tickets',
    summary: "Set a ticket's labels",
    description:
      'The ticket gets exactly these labels (empty: none). Whoever may add a note: admins, the ' +
      'assignee, anyone while the ticket waits. Unknown label ids: 400 naming labelIds.',
    auth: 'agent',
    params: idParams,
    body: ticketLabelsBodySchema,
    response: ticketSchema,
    errors: [404],
    async handler({ agent, params, body }) {
      return ticketJson(await setTicketLabels(context, agent, params.id, body.labelIds), agent);
    },
  });

  router.add({
    method: 'GET',
    url: '/api/ticket-categories',
    tag: 'tickets',
    summary: 'The categories a ticket may have (the bot menu options), in Arabic and English',
    auth: 'agent',
    response: ticketCategoryListSchema,
    async handler() {
      return { items: listTicketCategories(context) };
    },
  });

  router.add({
    method: 'PUT',
    url: '/api/tickets/:id/category',
    tag: 'tickets',
    summary: "Set or correct a ticket's category",
    description:
      'A category id from GET /api/ticket-categories, or null for none; recorded as a `classified` ' +
      'event by the agent. Whoever may add a note to the ticket.',
    auth: 'agent',
    params: idParams,
    body: ticketCategoryBodySchema,
    response: ticketSchema,
    errors: [404],
    async handler({ agent, params, body }) {
      return ticketJson(await setTicketCategory(context, agent, params.id, body.category), agent);
    },
  });
}
