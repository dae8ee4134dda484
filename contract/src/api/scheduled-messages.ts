/**
 * Scheduled messages and refill reminders (issue 17): a message to a customer sent later, from a
 * ticket ("remind this customer on <date>" or "in N days"), as text (WPPConnect, or the Cloud API
 * inside the 24-hour customer-service window) or as a template (templates.ts, required on the Cloud
 * API outside the window). A refill reminder names a
 * medicine and repeats every `intervalDays`, each sending scheduled on the previous one.
 * A customer who opted out (answered an opt-out word such as STOP or إلغاء) gets none of them.
 */
import { z } from 'zod';
import { dateTimeSchema, nullableDateTimeSchema } from './common.ts';
import { templateSendSchema } from './templates.ts';

export const SCHEDULED_MESSAGE_KINDS = ['message', 'refill'] as const;
export type ScheduledMessageKind = (typeof SCHEDULED_MESSAGE_KINDS)[number];

export const SCHEDULED_MESSAGE_STATUSES = ['scheduled', 'sent', 'cancelled', 'failed'] as const;
export type ScheduledMessageStatus = (typeof SCHEDULED_MESSAGE_STATUSES)[number];

/** Longest reminder text, characters (WhatsApp's text message limit). */
export const SCHEDULED_TEXT_MAX = 4096;
/** The furthest a reminder may be scheduled, and the longest refill interval, days. */
export const SCHEDULED_DAYS_MAX = 365;
/** Most sendings of one refill reminder. */
export const REFILL_REPEAT_MAX = 24;

/** Arabic-Indic (٠–٩) and Extended Arabic-Indic (۰–۹) digits as ASCII, for numbers typed by people. */
function westernDigits(value: unknown): unknown {
  return typeof value === 'string'
    ? value
        .trim()
        .replace(/[\u0660-\u0669]/g, (digit) => String(digit.charCodeAt(0) - 0x660))
        .replace(/[\u06f0-\u06f9]/g, (digit) => String(digit.charCodeAt(0) - 0x6f0))
    : value;
}

/** A whole number of days (a JSON number, or a string of ASCII or Arabic-Indic digits). */
const daysSchema = (max: number) =>
  z.preprocess(
    (value) => {
      const western = westernDigits(value);
      return typeof western === 'string' && /^\d+$/.test(western) ? Number(western) : western;
    },
    z
      .number({ message: 'must be a whole number of days' })
      .int('must be a whole number of days')
      .min(1, 'must be at least 1')
      .max(max, `must be at most ${max}`),
  );

/**
 * A template message, in the same shape as a template reply (templates.ts `templateSendSchema`):
 * the approved template's name and language and its header and body variables' texts in order.
 */
export const scheduledTemplateSchema = templateSendSchema;
export type ScheduledTemplate = z.infer<typeof scheduledTemplateSchema>;

export const scheduledMessageSchema = z
  .object({
    id: z.uuid(),
    customerId: z.uuid(),
    ticketId: z.uuid().nullable().describe('the ticket it was scheduled from'),
    channel: z.string().describe('the channel key it is sent from'),
    provider: z.string(),
    kind: z.enum(SCHEDULED_MESSAGE_KINDS),
    text: z.string().nullable(),
    template: scheduledTemplateSchema.nullable(),
    medicine: z.string().nullable(),
    intervalDays: z.number().int().nullable().describe('refill: days between sendings'),
    remaining: z.number().int().nullable().describe('refill: sendings left, this one included'),
    sendAt: dateTimeSchema,
    status: z.enum(SCHEDULED_MESSAGE_STATUSES),
    reason: z
      .string()
      .nullable()
      .describe('why it was cancelled or failed: opted_out, cancelled by an agent, or the send error'),
    sentMessageId: z.uuid().nullable().describe('the outbound message it became once sent'),
    createdBy: z.uuid().nullable(),
    createdAt: dateTimeSchema,
    updatedAt: dateTimeSchema,
  })
  .meta({ id: 'ScheduledMessage' });
export type ScheduledMessage = z.infer<typeof scheduledMessageSchema>;

/** `GET /api/customers/:id/scheduled-messages`: the customer's scheduled messages, soonest first. */
export const scheduledMessageListSchema = z
  .object({ items: z.array(scheduledMessageSchema) })
  .meta({ id: 'ScheduledMessageList' });
export type ScheduledMessageList = z.infer<typeof scheduledMessageListSchema>;

const textSchema = z
  .string({ message: 'must be text' })
  .max(SCHEDULED_TEXT_MAX, `must be at most ${SCHEDULED_TEXT_MAX} characters`);

/**
 * `POST /api/tickets/:id/scheduled-messages`: when (`sendAt`, in the future, or `inDays` from now,
 * 1–365) and what (`text` or `template`). A refill (`kind: "refill"`) also names the `medicine`,
 * the `intervalDays` between sendings and how many sendings (`repeat`, default 1).
 */
export const scheduledMessageCreateBodySchema = z
  .object({
    sendAt: dateTimeSchema.optional().describe('when to send (ISO 8601, in the future)'),
    inDays: daysSchema(SCHEDULED_DAYS_MAX).optional().describe('or: this many days from now (1–365)'),
    text: textSchema.optional(),
    template: scheduledTemplateSchema.optional(),
    kind: z.enum(SCHEDULED_MESSAGE_KINDS, { message: 'must be message or refill' }).default('message'),
    medicine: z.string().trim().max(200, 'must be at most 200 characters').optional(),
    intervalDays: daysSchema(SCHEDULED_DAYS_MAX).optional(),
    repeat: daysSchema(REFILL_REPEAT_MAX).optional().describe('refill: how many sendings (1–24, default 1)'),
  })
  .superRefine((body, context) => {
    if (body.sendAt === undefined && body.inDays === undefined)
      context.addIssue({ code: 'custom', path: ['sendAt'], message: 'give sendAt or inDays' });
    if (body.sendAt !== undefined && body.inDays !== undefined)
      context.addIssue({ code: 'custom', path: ['inDays'], message: 'give sendAt or inDays, not both' });
    const hasText = body.text !== undefined && body.text.trim().length > 0;
    if (!hasText && body.template === undefined)
      context.addIssue({ code: 'custom', path: ['text'], message: 'write a text or choose a template' });
    if (body.kind === 'refill') {
      if (!body.medicine)
        context.addIssue({
          code: 'custom',
          path: ['medicine'],
          message: 'is required for a refill reminder',
        });
      if (body.intervalDays === undefined)
        context.addIssue({
          code: 'custom',
          path: ['intervalDays'],
          message: 'is required for a refill reminder',
        });
    }
  });
export type ScheduledMessageCreateBody = z.input<typeof scheduledMessageCreateBodySchema>;

/** `PATCH /api/scheduled-messages/:id`: a new text or time, only while it is still scheduled. */
export const scheduledMessageChangesBodySchema = z
  .object({
    text: textSchema.refine((text) => text.trim().length > 0, 'is required').optional(),
    sendAt: dateTimeSchema.optional().describe('the new time (ISO 8601, in the future)'),
  })
  .refine((changes) => changes.text !== undefined || changes.sendAt !== undefined, {
    message: 'text or sendAt: give at least one',
  });
export type ScheduledMessageChangesBody = z.input<typeof scheduledMessageChangesBodySchema>;

/** How the API writes a customer's opt-out (customers' `optedOutAt`). */
export const optedOutAtSchema = nullableDateTimeSchema.describe(
  'when the customer answered an opt-out word (no reminders nor broadcasts); null: not opted out',
);
