/**
 * The live queue (`GET /api/queue`, admins): a wallboard of the tickets waiting for an agent
 * (oldest first), the agents with their availability, open console, load and last reply, and the
 * WhatsApp numbers' connection state. The console refetches it on realtime events.
 */
import { z } from 'zod';
import { AGENT_ROLES, AVAILABILITIES } from './agents.ts';
import { CHANNEL_STATES } from './channels.ts';
import { dateTimeSchema, nullableDateTimeSchema } from './common.ts';

/** A response-time target (SLA) of a waiting ticket, as the ticket list carries it. */
export const queueSlaSchema = z.object({
  kind: z.enum(['first_response', 'resolution']),
  dueAt: dateTimeSchema,
  state: z.enum(['ok', 'at_risk', 'breached']),
});

export const queueTicketSchema = z
  .object({
    id: z.uuid(),
    number: z.number().int(),
    customer: z.object({ id: z.uuid(), name: z.string().nullable(), phone: z.string().nullable() }),
    channel: z.object({
      key: z.string(),
      provider: z.string(),
      name: z.string().nullable().describe("the channel's name; null when it is no channel any more"),
    }),
    category: z.string().nullable(),
    waitingSince: dateTimeSchema.describe(
      'when it last started waiting: opened, reopened or returned to the queue',
    ),
    sla: queueSlaSchema.nullable().describe('the next response-time target, when a policy applies'),
  })
  .meta({ id: 'QueueTicket' });
export type QueueTicket = z.infer<typeof queueTicketSchema>;

export const queueAgentSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    role: z.enum(AGENT_ROLES),
    availability: z.enum(AVAILABILITIES),
    consoleOpen: z.boolean().describe('a console of theirs was seen within AGENT_PRESENCE_GRACE_MS'),
    openTickets: z.number().int().describe('open or pending tickets assigned to them'),
    capacity: z.number().int(),
    lastReplyAt: nullableDateTimeSchema.describe('their last message to a customer'),
  })
  .meta({ id: 'QueueAgent' });
export type QueueAgent = z.infer<typeof queueAgentSchema>;

export const queueChannelSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    provider: z.string(),
    key: z.string(),
    enabled: z.boolean(),
    state: z.enum(CHANNEL_STATES),
    phone: z.string().nullable(),
    since: nullableDateTimeSchema,
  })
  .meta({ id: 'QueueChannel' });
export type QueueChannel = z.infer<typeof queueChannelSchema>;

export const liveQueueSchema = z
  .object({
    at: dateTimeSchema.describe("the server's time of the answer"),
    waiting: z
      .array(queueTicketSchema)
      .describe('unassigned open or pending tickets not snoozed, oldest first (at most 500)'),
    agents: z.array(queueAgentSchema).describe('active agents by name'),
    channels: z.array(queueChannelSchema).describe('every channel by name'),
  })
  .meta({ id: 'LiveQueue' });
export type LiveQueue = z.infer<typeof liveQueueSchema>;
