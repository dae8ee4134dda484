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
import { idParams, type ApiRouter } from './api-route';

/** Registers the team routes. */
export function registerTeamRoutes(router: ApiRouter, context: Context): void {
  router.add({
    method: 'GET',
    url: '/api/teams',
    tag: 'teams',
    summary: 'Every team with its members, by name',
    auth: 'agent',
    response: teamListSchema,
    async handler() {
      return listTeams(context);
    },
  });

  router.add({
    method: 'POST',
    url: '/api/teams',
    tag: 'teams',
    summary: 'Add a team (admins)',
    description:
      'memberIds: agent ids (default none); categories: ticket category ids routed to the team ' +
      '(default none). 400 naming memberIds for an id that is no agent, categories for an id that ' +
      'is no category; 409 when the name is taken.',
    auth: 'admin',
    body: teamCreateBodySchema,
    status: 201,
    response: teamSchema,
    errors: [409],
    async handler({ body }) {
      const team = await createTeam(context, body);
      if (team.categories.length > 0) await retimeActiveTickets(context);
      return team;
    },
  });

  router.add({
    method: 'PATCH',
    url: '/api/teams/:id',
    tag: 'teams',
    summary: 'Rename a team or change its members or categories (admins)',
    description:
      'Fields left out stay; memberIds replaces the members, categories the ticket categories ' +
      'routed to the team (400 naming categories for an unknown one). Waiting tickets are assigned ' +
      'again at once.',
    auth: 'admin',
    params: idParams,
    body: teamChangesBodySchema,
    response: teamSchema,
    errors: [404, 409],
    async handler({ params, body }) {
      const team = await updateTeam(context, params.id, body);
      if (body.categories) await retimeActiveTickets(context);
      return team;
    },
  });

  router.add({
    method: 'DELETE',
    url: '/api/teams/:id',
    tag: 'teams',
    summary: 'Delete a team (admins); its channels and tickets then route as if it never was',
    auth: 'admin',
    params: idParams,
    status: 204,
    errors: [404],
    async handler({ params }) {
      await deleteTeam(context, params.id);
      await retimeActiveTickets(context);
    },
  });
}
