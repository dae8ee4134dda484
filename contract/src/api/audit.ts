/**
 * The audit log (`GET /api/audit`, admins): who did what — sign-ins, password changes and resets,
 * agent, channel and team changes, API keys, outgoing webhooks, SLA policies and auto-replies (the
 * `audit_events` table) — merged with the ticket events an
 * admin audits (assignment, transfer, status, category: `ticket_events`), newest first.
 */
import { z } from 'zod';
import { dateTimeSchema, listParam, pageOf } from './common.ts';

/**
 * What `audit_events` records (its `action` column), with each one's `data`:
 * - `auth.sign_in` `{ email }`; `auth.sign_in_failed` `{ email, reason: unknown_email|wrong_password|deactivated }`
 * - `auth.password_change_failed` `{}` (wrong current password); `agent.password_set` `{ own, endedSessions }`
 * - `agent.created` `{ name, email, role, capacity }`; `agent.updated` `{ changes: { field: { before, after } } }`
 * - `channel.created` `{ name, provider, key }`; `channel.updated` `{ changes }`; `channel.deleted`
 *   `{ name, provider, key, force }`; `channel.logged_out`, `channel.restarted` `{ name }`
 * - `team.created` `{ name, memberIds }`; `team.updated` `{ changes }`; `team.deleted` `{}`
 * - `ticket.labels_set` `{ labelIds }`
 * - `api_key.created` `{ name, scopes }`; `api_key.revoked` `{ name }` (never the key, nor its prefix)
 * - `webhook.created` `{ name, url, events, enabled }`; `webhook.updated` `{ changes }`;
 *   `webhook.deleted` `{ name, url }` (never the signing secret; a URL without its user, password or query)
 * - `sla_policy.created` `{ name, category, channelKey, teamId, firstResponseMinutes, resolutionMinutes,
 *   businessHours }`; `sla_policy.updated` `{ changes }`; `sla_policy.deleted` `{ name }`
 * - `auto_reply.created` `{ keywords, channelKey, enabled }`; `auto_reply.updated` `{ changes }`;
 *   `auto_reply.deleted` `{ keywords }`
 */
export const AUDIT_EVENT_ACTIONS = [
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.password_change_failed',
  'agent.password_set',
  'agent.created',
  'agent.updated',
  'channel.created',
  'channel.updated',
  'channel.deleted',
  'channel.logged_out',
  'channel.restarted',
  'team.created',
  'team.updated',
  'team.deleted',
  'ticket.labels_set',
  'api_key.created',
  'api_key.revoked',
  'webhook.created',
  'webhook.updated',
  'webhook.deleted',
  'sla_policy.created',
  'sla_policy.updated',
  'sla_policy.deleted',
  'auto_reply.created',
  'auto_reply.updated',
  'auto_reply.deleted',
] as const;
export type AuditEventAction = (typeof AUDIT_EVENT_ACTIONS)[number];

/** The ticket events the audit log shows, as `ticket.<type>` with the event's own data. */
export const AUDITED_TICKET_EVENT_TYPES = [
  'assigned',
  'unassigned',
  'transferred',
  'team_transferred',
  'status_changed',
  'classified',
  'reopened',
  'merged',
] as const;

/** Every action `GET /api/audit` answers and filters by. */
export const AUDIT_ACTIONS = [
  ...AUDIT_EVENT_ACTIONS,
  ...AUDITED_TICKET_EVENT_TYPES.map((type) => `ticket.${type}` as const),
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_SUBJECT_TYPES = [
  'agent',
  'channel',
  'team',
  'ticket',
  'api_key',
  'webhook',
  'sla_policy',
  'auto_reply',
] as const;
export type AuditSubjectType = (typeof AUDIT_SUBJECT_TYPES)[number];

export const auditEntrySchema = z
  .object({
    id: z.string().describe('opaque and unique across both logs'),
    at: dateTimeSchema,
    action: z.string().describe('one of AUDIT_ACTIONS (a newer server may add more)'),
    actor: z
      .object({ id: z.uuid(), name: z.string().nullable().describe('null: the agent was deleted') })
      .nullable()
      .describe('the agent who acted; null: nobody signed in (failed sign-in, the system, the customer)'),
    subject: z.object({
      type: z
        .string()
        .describe(
          'one of AUDIT_SUBJECT_TYPES: agent, channel, team, ticket, api_key, webhook, sla_policy, auto_reply',
        ),
      id: z.string().nullable(),
      name: z
        .string()
        .nullable()
        .describe(
          "the agent's, channel's, team's, API key's, webhook's or SLA policy's name now, an auto-reply's keywords; null when gone",
        ),
      number: z.number().int().nullable().describe("the ticket's number (tickets only)"),
    }),
    data: z
      .record(z.string(), z.unknown())
      .describe('details, e.g. { email } or { changes: { capacity: { before, after } } }'),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditPageSchema = pageOf(auditEntrySchema, 'AuditPage');
export type AuditPage = z.infer<typeof auditPageSchema>;

/** `GET /api/audit` query. */
export const auditQuerySchema = z.object({
  actor: z.uuid({ message: 'must be an agent id (UUID)' }).optional().describe('only what this agent did'),
  action: listParam(
    z.enum(AUDIT_ACTIONS, { message: `must be one of ${AUDIT_ACTIONS.join(', ')}` }),
  ).describe('only these actions'),
  from: dateTimeSchema.optional().describe('inclusive'),
  to: dateTimeSchema.optional().describe('exclusive'),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  limit: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(1)
    .max(200)
    .default(50),
});
export type AuditQuery = z.input<typeof auditQuerySchema>;
