/**
 * Teams: groups of agents a channel may route its tickets to (a channel with a team assigns only to
 * its members; without one, to every agent). Kept by admins; every agent may list them.
 */
import { z } from 'zod';

export const teamSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    memberIds: z.array(z.uuid()).describe("the members' agent ids"),
    categories: z
      .array(z.string())
      .describe('ticket categories (ids from GET /api/ticket-categories) routed to the team'),
  })
  .meta({ id: 'Team' });
export type Team = z.infer<typeof teamSchema>;

/** `GET /api/teams`: every team, by name. */
export const teamListSchema = z.array(teamSchema).meta({ id: 'TeamList' });
export type TeamList = z.infer<typeof teamListSchema>;

const teamNameSchema = z
  .string({ message: 'is required' })
  .trim()
  .min(1, 'is required')
  .max(80, 'must be at most 80 characters');

const memberIdsSchema = z
  .array(z.uuid({ message: 'must be agent ids (UUIDs)' }), { message: 'must be a list of agent ids' })
  .max(500, 'at most 500 members')
  .describe('agent ids from GET /api/agents; repeats count once');

const categoriesSchema = z
  .array(z.string({ message: 'must be category ids' }).trim().min(1, 'must be category ids').max(100), {
    message: 'must be a list of category ids',
  })
  .max(100, 'at most 100 categories')
  .describe(
    "ids from GET /api/ticket-categories; a waiting ticket of one of them goes to the team's members " +
      '(unless it was transferred to another team); repeats count once',
  );

/** `POST /api/teams` (admins); unknown fields are refused (400), not ignored. */
export const teamCreateBodySchema = z
  .strictObject({
    name: teamNameSchema,
    memberIds: memberIdsSchema.optional(),
    categories: categoriesSchema.optional(),
  })
  .meta({ id: 'TeamCreate' });
export type TeamCreateBody = z.input<typeof teamCreateBodySchema>;

/** `PATCH /api/teams/:id` (admins): fields left out stay; `memberIds` and `categories` replace. */
export const teamChangesBodySchema = z
  .strictObject({
    name: teamNameSchema.optional(),
    memberIds: memberIdsSchema.optional(),
    categories: categoriesSchema.optional(),
  })
  .refine(
    (changes) =>
      changes.name !== undefined || changes.memberIds !== undefined || changes.categories !== undefined,
    { message: 'name, memberIds or categories: give at least one' },
  )
  .meta({ id: 'TeamChanges' });
export type TeamChangesBody = z.input<typeof teamChangesBodySchema>;
