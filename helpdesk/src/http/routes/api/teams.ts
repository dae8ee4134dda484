/**
 * Teams: groups of agents a channel may route its tickets to. `GET /api/teams` for every signed-in
 * agent; `POST|PATCH|DELETE /api/teams[/:id]` for admins.
 */
import {
  teamChangesBodySchema,
  teamCreateBodySchema,
  teamListSchema,
  teamSchema,
} from '@whatsapp-helpdesk/contract/api';
import type { Context } from '../../../context';
import { createTeam } from '../../../use-cases/teams/create-team';
import { deleteTeam } from '../../../use-cases/teams/delete-team';
import { listTeams } from '../../../use-cases/teams/list-teams';
import { updateTeam } from '../../../use-cases/teams/update-team';
import type { ApiRouter } from './api-route';
import { addResourceRoutes } from './resource-routes';

/** Registers the team routes. */
export function registerTeamRoutes(router: ApiRouter, context: Context): void {
  addResourceRoutes(router, {
    url: '/api/teams',
    tag: 'teams',
    item: teamSchema,
    list: {
      summary: 'Every team with its members, by name',
      schema: teamListSchema,
      handler: () => listTeams(context),
    },
    create: {
      summary: 'Add a team (admins)',
      description:
        'memberIds: agent ids (default none); categories: ticket category ids routed to the team ' +
        '(default none). 400 naming memberIds for an id that is no agent, categories for an id that ' +
        'is no category; 409 when the name is taken.',
      schema: teamCreateBodySchema,
      errors: [409],
      handler: (body) => createTeam(context, body),
    },
    update: {
      summary: 'Rename a team or change its members or categories (admins)',
      description:
        'Fields left out stay; memberIds replaces the members, categories the ticket categories ' +
        'routed to the team (400 naming categories for an unknown one). Waiting tickets are assigned ' +
        'again at once.',
      schema: teamChangesBodySchema,
      errors: [409],
      handler: (id, body) => updateTeam(context, id, body),
    },
    remove: {
      summary: 'Delete a team (admins); its channels and tickets then route as if it never was',
      handler: (id) => deleteTeam(context, id),
    },
  });
}
