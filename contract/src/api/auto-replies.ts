/**
 * Auto-replies: keyword rules the bot answers with before a human takes the ticket (ticket
 * without an assignee, the menu not waiting for a choice). A customer's message matches a rule
 * when, after Arabic normalisation (أ/إ/آ → ا, ة → ه, ى → ي, harakat and tatweel removed) and
 * case-folding, it contains one of the rule's keywords as whole words ("مواعيد" matches
 * "ايه المواعيد؟"). The first enabled rule by position for the message's channel (or every
 * channel: `channelKey` null) wins; the reply is sent in the bot's language for the customer and
 * recorded as a bot message; the ticket still goes to the queue. Kept by admins.
 */
import { z } from 'zod';
import { channelKeyOrNullSchema, dateTimeSchema, listOf, someChange, typedNumber } from './common.ts';

/** The most keywords a rule may have. */
export const AUTO_REPLY_MAX_KEYWORDS = 50;

export const autoReplyRuleSchema = z
  .object({
    id: z.uuid(),
    channelKey: z
      .string()
      .nullable()
      .describe("a channel's key from GET /api/channels (null: every channel)"),
    keywords: z.array(z.string()).describe('words or phrases, matched as whole words'),
    reply: z.object({ ar: z.string(), en: z.string() }).describe('the reply in Arabic and English'),
    enabled: z.boolean(),
    position: z.number().int().describe('rules are tried lowest first; the first match wins'),
    createdAt: dateTimeSchema,
    updatedAt: dateTimeSchema,
  })
  .meta({ id: 'AutoReplyRule' });
export type AutoReplyRule = z.infer<typeof autoReplyRuleSchema>;

/** `GET /api/auto-replies`: every rule, by position. */
export const autoReplyRuleListSchema = listOf(autoReplyRuleSchema, 'AutoReplyRuleList');
export type AutoReplyRuleList = z.infer<typeof autoReplyRuleListSchema>;

const keywordsSchema = z
  .array(
    z
      .string({ message: 'must be a list of words or phrases' })
      .trim()
      .min(1, 'must not hold an empty keyword')
      .max(100, 'each keyword must be at most 100 characters')
      .refine((keyword) => /[\p{L}\p{N}]/u.test(keyword), 'each keyword needs a letter or digit'),
    { message: 'must be a list of words or phrases' },
  )
  .min(1, 'needs at least one keyword')
  .max(AUTO_REPLY_MAX_KEYWORDS, `must hold at most ${AUTO_REPLY_MAX_KEYWORDS} keywords`);
const replyTextSchema = z
  .string({ message: 'is required' })
  .trim()
  .min(1, 'is required')
  .max(4096, 'must be at most 4096 characters');
const replySchema = z.object(
  { ar: replyTextSchema, en: replyTextSchema },
  { message: 'must be {"ar": "…", "en": "…"}' },
);
const positionSchema = z.preprocess(
  typedNumber,
  z
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(0, 'must be 0 or more')
    .max(1_000_000, 'must be at most 1000000')
    .describe('Arabic-Indic digits accepted'),
);

/** `POST /api/auto-replies` (admins). Position left out: after the last rule. */
export const autoReplyRuleCreateBodySchema = z
  .object({
    channelKey: channelKeyOrNullSchema.default(null),
    keywords: keywordsSchema,
    reply: replySchema,
    enabled: z.boolean({ message: 'must be true or false' }).default(true),
    position: positionSchema.optional(),
  })
  .meta({ id: 'AutoReplyRuleCreate' });
export type AutoReplyRuleCreateBody = z.input<typeof autoReplyRuleCreateBodySchema>;

/** `PATCH /api/auto-replies/:id` (admins): fields left out stay. */
export const autoReplyRuleChangesBodySchema = someChange(
  z.object({
    channelKey: channelKeyOrNullSchema.optional(),
    keywords: keywordsSchema.optional(),
    reply: replySchema.optional(),
    enabled: z.boolean({ message: 'must be true or false' }).optional(),
    position: positionSchema.optional(),
  }),
).meta({ id: 'AutoReplyRuleChanges' });
export type AutoReplyRuleChangesBody = z.input<typeof autoReplyRuleChangesBodySchema>;
