/**
 * Agents: `GET /api/me`, `PUT /api/me/availability` (own availability; online assigns waiting
 * tickets), `GET /api/agents` (directory; admins see everything), and for admins
 * `POST /api/agents`, `GET /api/agents/:id`, `PATCH /api/agents/:id` (name, email, role, capacity, active),
 * `POST /api/agents/:id/password` (set a new password; ends that agent's sessions).
 */
import {
  agentChangesBodySchema,
  agentListSchema,
  agentSchema,
  availabilityBodySchema,
  passwordResetBodySchema,
} from '@whatsapp-helpdesk/contract/api';
import type { Context } from '../../../context';
import { newAgentSchema } from '../../../domain/agents';
import { addAgent } from '../../../use-cases/agents/create-agent';
import { getAgentView } from '../../../use-cases/agents/get-agent';
import { listAgentsFor } from '../../../use-cases/agents/list-agent-directory';
import { setOwnAvailability } from '../../../use-cases/agents/set-own-availability';
import { setAgentPassword } from '../../../use-cases/agents/set-password';
import { updateAgent } from '../../../use-cases/agents/update-agent';
import type { TicketActionDependencies } from '../../../use-cases/tickets/ticket-action-dependencies';
import { idParams, type ApiRouter } from './api-route';

/** Registers the agent routes. */
export function registerAgentRoutes(
  router: ApiRouter,
  context: Context,
  deps: TicketActionDependencies,
): void {
  router.add({
    method: 'GET',
    url: '/api/me',
    tag: 'agents',
    summary: 'The signed-in agent (availability, capacity, open tickets)',
    auth: 'agent',
    response: agentSchema,
    async handler({ agent }) {
      return getAgentView(deps, agent.id);
    },
  });

  router.add({
    method: 'PUT',
    url: '/api/me/availability',
    tag: 'agents',
    summary: 'Set own availability (online, away, offline)',
    description: 'Going online assigns waiting tickets at once.',
    auth: 'agent',
    body: availabilityBodySchema,
    response: agentSchema,
    async handler({ agent, body }) {
      return setOwnAvailability(deps, agent, body.availability);
    },
  });

  router.add({
    method: 'GET',
    url: '/api/agents',
    tag: 'agents',
    summary: 'All agents (transfer targets; admins also see email, capacity, load, teams and live console)',
    description:
      'Admins get each agent with openTickets (open or pending) against capacity, teamIds, and ' +
      'consoleLive: whether a console of theirs (GET /api/stream) is open now (seen within two ' +
      'presence heartbeats). Agents get directory entries.',
    auth: 'agent',
    response: agentListSchema,
    async handler({ agent }) {
      return { items: await listAgentsFor(context, agent) };
    },
  });

  router.add({
    method: 'POST',
    url: '/api/agents',
    tag: 'agents',
    summary: 'Create an agent (admins)',
    auth: 'admin',
    body: newAgentSchema,
    status: 201,
    response: agentSchema,
    errors: [409],
    async handler({ body }) {
      return addAgent(context.db, body);
    },
  });

  router.add({
    method: 'GET',
    url: '/api/agents/:id',
    tag: 'agents',
    summary: 'One agent (admins)',
    auth: 'admin',
    params: idParams,
    response: agentSchema,
    errors: [404],
    async handler({ params }) {
      return getAgentView(deps, params.id);
    },
  });

  router.add({
    method: 'PATCH',
    url: '/api/agents/:id',
    tag: 'agents',
    summary: 'Change an agent: name, email, role, capacity, active (admins)',
    description:
      'Deactivating ends their sessions, sets them offline and returns their open tickets to the ' +
      'queue; more capacity or reactivation assigns waiting tickets. Admins cannot deactivate or ' +
      'demote themselves. email is stored in lower case; 409 naming email when another agent has it.',
    auth: 'admin',
    params: idParams,
    body: agentChangesBodySchema,
    response: agentSchema,
    errors: [404, 409],
    async handler({ agent, params, body }) {
      return updateAgent(deps, agent, params.id, body);
    },
  });

  router.add({
    method: 'POST',
    url: '/api/agents/:id/password',
    tag: 'agents',
    summary: "Set an agent's password (admins)",
    description:
      'Ends every session of that agent (an admin resetting their own keeps this one). Tell them ' +
      'the new password out of band; they can change it with POST /api/auth/password.',
    auth: 'admin',
    params: idParams,
    body: passwordResetBodySchema,
    status: 204,
    errors: [404],
    async handler({ agent, params, body }) {
      await setAgentPassword(context.db, params.id, body.password, {
        keepSessionId: params.id === agent.id ? agent.sessionId : null,
      });
    },
  });
}
