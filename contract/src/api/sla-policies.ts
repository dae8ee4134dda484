/**
 * Response-time targets (SLA policies): the first human reply within N minutes and the resolution
 * within N hours of a ticket that matches the policy's category, channel key and team (a field
 * left null matches any). When several policies match, the most specific one applies:
 * category + channel > category + team > category > channel + team > channel > team > none
 * (a policy with no match field applies to every ticket no other policy matches).
 * With `businessHours` the time counts only while the business is open (BUSINESS_HOURS and
 * BUSINESS_TIMEZONE, or the ticket's channel's overrides). Kept by admins.
 */
import { z } from 'zod';
import { channelKeyOrNullSchema, dateTimeSchema, listOf, someChange, typedNumber } from './common.ts';

/** The targets a ticket may have: the first human reply, then the resolution. */
export const SLA_TARGET_KINDS = ['first_response', 'resolution'] as const;
export type SlaTargetKind = (typeof SLA_TARGET_KINDS)[number];

/** ok: less than 80 % of the target's time used; at_risk: 80 % or more; breached: past due. */
export const SLA_STATES = ['ok', 'at_risk', 'breached'] as const;
export type SlaState = (typeof SLA_STATES)[number];

/** The share of a target's time after which a ticket is at risk. */
export const SLA_AT_RISK_SHARE = 0.8;

/** The longest target: a year of minutes. */
export const SLA_MAX_MINUTES = 366 * 24 * 60;

/**
 * A ticket's next target (list item and detail): the first response until the first human reply,
 * then the resolution; null when no policy applies or the ticket is resolved or closed.
 */
export const ticketSlaSchema = z
  .object({
    kind: z.enum(SLA_TARGET_KINDS),
    dueAt: dateTimeSchema,
    state: z.enum(SLA_STATES),
  })
  .nullable()
  .meta({ id: 'TicketSla' });
export type TicketSla = z.infer<typeof ticketSlaSchema>;

export const slaPolicySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    category: z.string().nullable().describe('a category id from GET /api/ticket-categories (null: any)'),
    channelKey: z.string().nullable().describe("a channel's key from GET /api/channels (null: any)"),
    teamId: z.uuid().nullable().describe('a team from GET /api/teams (null: any)'),
    firstResponseMinutes: z
      .number()
      .int()
      .describe('the first human reply is due this many minutes after opening'),
    resolutionMinutes: z
      .number()
      .int()
      .describe('the resolution is due this many minutes after opening or reopening'),
    resolutionHours: z.number().describe('resolutionMinutes / 60'),
    businessHours: z.boolean().describe('count only business hours'),
    createdAt: dateTimeSchema,
    updatedAt: dateTimeSchema,
  })
  .meta({ id: 'SlaPolicy' });
export type SlaPolicy = z.infer<typeof slaPolicySchema>;

/** `GET /api/sla-policies`: every policy, most specific first, then by name. */
export const slaPolicyListSchema = listOf(slaPolicySchema, 'SlaPolicyList');
export type SlaPolicyList = z.infer<typeof slaPolicyListSchema>;

const nameSchema = z
  .string({ message: 'is required' })
  .trim()
  .min(1, 'is required')
  .max(80, 'must be at most 80 characters');
const categorySchema = z
  .string({ message: 'must be a category id or null' })
  .trim()
  .min(1, 'must be a category id or null')
  .max(100, 'must be at most 100 characters')
  .nullable();
const teamIdSchema = z.uuid({ message: 'must be a team id (UUID) or null' }).nullable();
const firstResponseMinutesSchema = z.preprocess(
  typedNumber,
  z
    .number({ message: 'must be a number of minutes' })
    .int('must be a whole number of minutes')
    .min(1, 'must be at least 1 minute')
    .max(SLA_MAX_MINUTES, `must be at most ${SLA_MAX_MINUTES} minutes`),
);
const resolutionHoursSchema = z.preprocess(
  typedNumber,
  z
    .number({ message: 'must be a number of hours' })
    .min(1 / 60, 'must be at least 1 minute (0.0167 hours)')
    .max(SLA_MAX_MINUTES / 60, `must be at most ${SLA_MAX_MINUTES / 60} hours`)
    .describe('hours, fractions allowed (stored as whole minutes); Arabic-Indic digits accepted'),
);

/** `POST /api/sla-policies` (admins). Match fields left out match any. */
export const slaPolicyCreateBodySchema = z
  .object({
    name: nameSchema,
    category: categorySchema.default(null),
    channelKey: channelKeyOrNullSchema.default(null),
    teamId: teamIdSchema.default(null),
    firstResponseMinutes: firstResponseMinutesSchema,
    resolutionHours: resolutionHoursSchema,
    businessHours: z.boolean({ message: 'must be true or false' }).default(true),
  })
  .meta({ id: 'SlaPolicyCreate' });
export type SlaPolicyCreateBody = z.input<typeof slaPolicyCreateBodySchema>;

/** `PATCH /api/sla-policies/:id` (admins): fields left out stay; null clears a match field. */
export const slaPolicyChangesBodySchema = someChange(
  z.object({
    name: nameSchema.optional(),
    category: categorySchema.optional(),
    channelKey: channelKeyOrNullSchema.optional(),
    teamId: teamIdSchema.optional(),
    firstResponseMinutes: firstResponseMinutesSchema.optional(),
    resolutionHours: resolutionHoursSchema.optional(),
    businessHours: z.boolean({ message: 'must be true or false' }).optional(),
  }),
).meta({ id: 'SlaPolicyChanges' });
export type SlaPolicyChangesBody = z.input<typeof slaPolicyChangesBodySchema>;
