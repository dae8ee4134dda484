/**
 * Admins' oversight: `GET /api/audit` (who did what: sign-ins, passwords, agent, channel and team
 * changes, and ticket assignment, transfer, status and category) and `GET /api/queue` (the live
 * queue wallboard: waiting tickets, agents, numbers).
 */
import { auditPageSchema, auditQuerySchema, liveQueueSchema } from '@whatsapp-helpdesk/contract/api';
import type { Context } from '../../../context';
import { listAudit } from '../../../use-cases/audit/list-audit';
import { getLiveQueue } from '../../../use-cases/queue/get-live-queue';
import type { ApiRouter } from './api-route';
import { toJson } from './views';

/** Registers the audit log and live queue routes. */
export function registerAuditRoutes(router: ApiRouter, context: Context): void {
  router.add({
    method: 'GET',
    url: '/api/audit',
    tag: 'audit',
    summary: 'The audit log: who did what, newest first (admins)',
    description:
      'Merges audit events (auth.sign_in, auth.sign_in_failed with the email, agent.password_set, ' +
      'agent.created, agent.updated with { changes: { field: { before, after } } }, channel.*, team.*, ' +
      'ticket.labels_set) with ticket events (ticket.assigned, ticket.transferred, ticket.status_changed, ' +
      'ticket.classified, …). Filters: `actor` (agent id), `action` (comma-separated), `from` ' +
      '(inclusive) and `to` (exclusive). Pages: pass `nextCursor` back as `cursor`.',
    auth: 'admin',
    query: auditQuerySchema,
    response: auditPageSchema,
    async handler({ query }) {
      return toJson(await listAudit(context, query));
    },
  });

  router.add({
    method: 'GET',
    url: '/api/queue',
    tag: 'audit',
    summary: 'The live queue: waiting tickets, agents and numbers now (admins)',
    description:
      'Waiting: unassigned open or pending tickets not snoozed, longest waiting first, with ' +
      '`waitingSince` and the next response-time target (`sla`). Agents: active ones with availability, ' +
      'whether a console is open, open tickets against capacity and their last reply. Channels: each ' +
      "number's connection state. Refetch on the stream's message.created, ticket.assigned, " +
      'ticket.status, agent.availability and channel.state events.',
    auth: 'admin',
    response: liveQueueSchema,
    async handler() {
      return toJson(await getLiveQueue(context));
    },
  });
}
