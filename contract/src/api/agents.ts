/**
 * Agents and sessions: the full agent (admins and `/api/me`), the directory entry other agents
 * see, the signed-in session, the login answer, and the agent and auth requests.
 */
import { z } from 'zod';
import { dateTimeSchema } from './common.ts';

export const AGENT_ROLES = ['agent', 'admin'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];
export const AVAILABILITIES = ['online', 'away', 'offline'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

export const agentSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    email: z.string(),
    role: z.enum(AGENT_ROLES),
    availability: z.enum(AVAILABILITIES),
    capacity: z.number().int().describe('most open or pending tickets at once'),
    active: z.boolean(),
    openTickets: z.number().int(),
  })
  .meta({ id: 'Agent' });
export type Agent = z.infer<typeof agentSchema>;

export const sessionAgentSchema = agentSchema
  .pick({ id: true, name: true, email: true, role: true })
  .extend({ sessionId: z.uuid(), expiresAt: dateTimeSchema })
  .meta({ id: 'SessionAgent' });
export type SessionAgent = z.infer<typeof sessionAgentSchema>;

export const loginSchema = z
  .object({
    token: z.string().describe('send as "Authorization: Bearer <token>"; also set as an HttpOnly cookie'),
    expiresAt: dateTimeSchema,
    agent: sessionAgentSchema,
  })
  .meta({ id: 'Login' });
export type Login = z.infer<typeof loginSchema>;

export const agentDirectoryEntrySchema = agentSchema
  .pick({ id: true, name: true, role: true, availability: true, active: true })
  .meta({ id: 'AgentDirectoryEntry' });
export type AgentDirectoryEntry = z.infer<typeof agentDirectoryEntrySchema>;

/** An agent as `GET /api/agents` shows admins: with their teams and whether a console is open now. */
export const agentOverviewSchema = agentSchema
  .extend({
    teamIds: z.array(z.uuid()).describe('the teams the agent is a member of'),
    consoleLive: z
      .boolean()
      .describe("a console of theirs (GET /api/stream) was seen within the last few seconds' heartbeats"),
  })
  .meta({ id: 'AgentOverview' });
export type AgentOverview = z.infer<typeof agentOverviewSchema>;

export const agentListSchema = z
  .object({ items: z.array(z.union([agentOverviewSchema, agentDirectoryEntrySchema])) })
  .meta({ id: 'AgentList', description: 'admins get full agents; agents get directory entries' });
export type AgentList = z.infer<typeof agentListSchema>;

const PASSWORD_RULE = 'at least 10 characters, at most 72 bytes, at least 5 different characters';

/** `POST /api/auth/login`. */
export const loginBodySchema = z.object({
  email: z.string().trim().min(1, 'is required').max(320),
  password: z.string().min(1, 'is required').max(200),
});
export type LoginBody = z.input<typeof loginBodySchema>;

/** `POST /api/auth/password` (the strength rule is checked by the server). */
export const passwordChangeBodySchema = z.object({
  currentPassword: z.string().min(1, 'is required').max(200),
  newPassword: z.string().min(1, 'is required').max(200).describe(PASSWORD_RULE),
});
export type PasswordChangeBody = z.input<typeof passwordChangeBodySchema>;

/** `PUT /api/me/availability`. */
export const availabilityBodySchema = z.object({ availability: z.enum(AVAILABILITIES) });
export type AvailabilityBody = z.input<typeof availabilityBodySchema>;

/** `PATCH /api/agents/:id`: at least one field; `email` is stored in lower case and must be unused. */
export const agentChangesBodySchema = z
  .object({
    name: z.string().trim().min(1, 'is required').max(200).optional(),
    email: z
      .email({ message: 'must be an email address' })
      .max(320)
      .transform((email) => email.toLowerCase())
      .optional(),
    role: z.enum(AGENT_ROLES).optional(),
    capacity: z.number().int('must be a whole number').min(0).max(1000).optional(),
    active: z.boolean().optional(),
  })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), {
    message: 'name, email, role, capacity or active: give at least one',
  });
export type AgentChangesBody = z.input<typeof agentChangesBodySchema>;

/** `POST /api/agents/:id/password` (the strength rule is checked by the server). */
export const passwordResetBodySchema = z.object({
  password: z.string().min(1, 'is required').max(200).describe(PASSWORD_RULE),
});
export type PasswordResetBody = z.input<typeof passwordResetBodySchema>;
