/**
 * Canned responses ("fast replies"): short texts an agent inserts into a reply by typing `/` and a
 * shortcut. Shared ones (no owner) belong to everyone and only admins change them; personal ones
 * belong to one agent, who alone sees and changes them. The text may hold variables
 * (`{{customer.name}}`, `{{agent.name}}`, `{{ticket.number}}`), filled by the console with
 * `renderCannedResponse` from `@whatsapp-helpdesk/contract/canned-variables`.
 */
import { z } from 'zod';
import { CANNED_SHORTCUT_PATTERN, normaliseCannedShortcut } from '../canned-variables.ts';
import { dateTimeSchema } from './common.ts';

export const CANNED_RESPONSE_SCOPES = ['shared', 'personal'] as const;
export type CannedResponseScope = (typeof CANNED_RESPONSE_SCOPES)[number];
export const CANNED_RESPONSE_LANGUAGES = ['ar', 'en'] as const;
export const CANNED_SHORTCUT_MAX = 32;
export const CANNED_TITLE_MAX = 100;
export const CANNED_BODY_MAX = 4096;

const shortcutSchema = z
  .string()
  .transform(normaliseCannedShortcut)
  .pipe(
    z
      .string()
      .min(1, 'is required')
      .max(CANNED_SHORTCUT_MAX, `must be at most ${CANNED_SHORTCUT_MAX} characters`)
      .regex(CANNED_SHORTCUT_PATTERN, 'may hold only lowercase a-z, 0-9, _, - and Arabic letters'),
  )
  .describe('1–32 of a-z, 0-9, _, - and Arabic letters; stored lower-case without a leading /');
const titleSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(CANNED_TITLE_MAX, `must be at most ${CANNED_TITLE_MAX} characters`);
const bodySchema = z
  .string()
  .max(CANNED_BODY_MAX, `must be at most ${CANNED_BODY_MAX} characters`)
  .refine((body) => body.trim().length > 0, 'is required')
  .describe('the text; may hold {{customer.name}}, {{agent.name}}, {{ticket.number}}');
const languageSchema = z
  .enum(CANNED_RESPONSE_LANGUAGES)
  .nullable()
  .describe('the language the text is written in (null: any)');

export const cannedResponseSchema = z
  .object({
    id: z.uuid(),
    shortcut: z.string(),
    title: z.string(),
    body: z.string(),
    language: z.enum(CANNED_RESPONSE_LANGUAGES).nullable(),
    scope: z.enum(CANNED_RESPONSE_SCOPES),
    ownerId: z.uuid().nullable().describe('the owning agent of a personal response (null: shared)'),
    createdAt: dateTimeSchema,
    updatedAt: dateTimeSchema,
  })
  .meta({ id: 'CannedResponse' });
export type CannedResponse = z.infer<typeof cannedResponseSchema>;

export const cannedResponseListSchema = z
  .object({ items: z.array(cannedResponseSchema) })
  .meta({ id: 'CannedResponseList', description: 'shared ones and the caller’s personal ones, by shortcut' });
export type CannedResponseList = z.infer<typeof cannedResponseListSchema>;

/** `POST /api/canned-responses`: scope shared needs an admin. */
export const newCannedResponseBodySchema = z.object({
  scope: z.enum(CANNED_RESPONSE_SCOPES).default('personal'),
  shortcut: shortcutSchema,
  title: titleSchema,
  body: bodySchema,
  language: languageSchema.default(null),
});
export type NewCannedResponseBody = z.input<typeof newCannedResponseBodySchema>;

/** `PATCH /api/canned-responses/:id`: at least one field (the scope stays). */
export const cannedResponseChangesBodySchema = z
  .object({
    shortcut: shortcutSchema.optional(),
    title: titleSchema.optional(),
    body: bodySchema.optional(),
    language: languageSchema.optional(),
  })
  .refine((changes) => Object.values(changes).some((value) => value !== undefined), {
    message: 'shortcut, title, body or language: give at least one',
  });
export type CannedResponseChangesBody = z.input<typeof cannedResponseChangesBodySchema>;
