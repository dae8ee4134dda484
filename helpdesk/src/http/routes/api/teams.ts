/**
 * Teams: groups of agents a channel may route its tickets to. `GET /api/teams` for every signed-in
 * agent; `POST|PATCH|DELETE /api/teams[/:id]` for admins. A change of which tickets are a team's
 * (its categories, or the team gone) asks for their response-time targets to be timed again at
 * once (the admin CLI, which has no queues, leaves that to the sla-check sweep within 20 s).
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
import { retimeActiveTickets } from '../../../use-cases/sla/retime-active-tickets';
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
      handler: async (body) => {
        const team = await createTeam(context, body);
        if (team.categories.length > 0) await retimeActiveTickets(context);
        return team;
      },
    },
    update: {
      summary: 'Rename a team or change its members or categories (admins)',
      description:
        'Fields left out stay; memberIds replaces the members, categories the ticket categories ' +
        'routed to the team (400 naming categories for an unknown one). Waiting tickets are assigned ' +
        'again at once.',
      schema: teamChangesBodySchema,
      errors: [409],
      handler: async (id, body) => {
        const team = await updateTeam(context, id, body);
        if (body.categories) await retimeActiveTickets(context);
        return team;
      },
    },
    remove: {
      summary: 'Delete a team (admins); its channels and tickets then route as if it never was',
      handler: async (id) => {
        await deleteTeam(context, id);
        await retimeActiveTickets(context);
      },
    },
  });
}
