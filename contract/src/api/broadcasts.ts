/**
 * Broadcasts (issue 17): an admin sends one text, or one Cloud API template, to a segment of
 * customers — customers with a ticket carrying one of `labelIds`, customers who wrote within
 * `wroteWithinDays`, or a CSV text of phone numbers (one a line, first column; Arabic-Indic digits
 * accepted). Each recipient is sent once, throttled to `ratePerMinute` (BullMQ's rate limiter);
 * on WPPConnect also jittered and capped per day. Opted-out customers are listed as `skipped`
 * with reason `opted_out`; a failure carries a reason code and the provider's message. A recipient's `sent` follows its outbound message: delivered, read, failed.
 */
import { z } from 'zod';
import { dateTimeSchema, nullableDateTimeSchema } from './common.ts';
import { templateSendSchema } from './templates.ts';

export const BROADCAST_STATUSES = ['draft', 'running', 'paused', 'done', 'cancelled'] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];

export const BROADCAST_RECIPIENT_STATUSES = [
  'pending',
  'sent',
  'delivered',
  'read',
  'failed',
  'skipped',
] as const;
export type BroadcastRecipientStatus = (typeof BROADCAST_RECIPIENT_STATUSES)[number];

/**
 * Why a recipient was skipped or failed, as a code the console words in each language; the
 * provider's own message, when there is one, comes beside it as `reasonDetail`.
 * - `opted_out`: the customer opted out (skipped).
 * - `outside_customer_service_window`: a text to a Cloud API customer who has not written within
 *   24 hours (refused before sending, or Meta's error 131047); only a template may be sent.
 * - Meta's template errors (Meta, "Error codes"): `template_parameter_count` 132000,
 *   `template_missing` 132001, `template_too_long` 132005, `template_format_policy` 132007,
 *   `template_parameter_format` 132012, `template_paused` 132015, `template_disabled` 132016.
 * - Meta's other final errors: `undeliverable` 131026, `invalid_parameter` 100,
 *   `recipient_not_allowed` 131030 (a test number's allowed list), `rate_limited` 130429, 131056,
 *   80007 and 4 (after the last retry), `spam_restricted` 131048, `access_token_expired` 190,
 *   `account_blocked` 368.
 * - `invalid_recipient`: the number cannot be addressed (the sidecar's `invalid_recipient`, Meta's 131062).
 * - `channel_unavailable`: the number is unknown, disabled or its WhatsApp session not connected.
 * - `sidecar_unreachable`: the WPPConnect sidecar did not answer (after the last retry).
 * - `delivery_failed`: WhatsApp reported the message failed after it was sent.
 * - `provider_error`: any other refusal; `reasonDetail` holds the provider's message.
 */
export const BROADCAST_RECIPIENT_REASONS = [
  'opted_out',
  'outside_customer_service_window',
  'template_parameter_count',
  'template_missing',
  'template_too_long',
  'template_format_policy',
  'template_parameter_format',
  'template_paused',
  'template_disabled',
  'undeliverable',
  'invalid_parameter',
  'recipient_not_allowed',
  'rate_limited',
  'spam_restricted',
  'access_token_expired',
  'account_blocked',
  'invalid_recipient',
  'channel_unavailable',
  'sidecar_unreachable',
  'delivery_failed',
  'provider_error',
] as const;
export type BroadcastRecipientReason = (typeof BROADCAST_RECIPIENT_REASONS)[number];

/** Longest broadcast text, characters (WhatsApp's text message limit). */
export const BROADCAST_TEXT_MAX = 4096;
/** Most recipients of one broadcast. */
export const BROADCAST_RECIPIENTS_MAX = 20_000;

/** The warning every WPPConnect broadcast carries (API answer and console). */
export const WPPCONNECT_BROADCAST_WARNING =
  'WPPConnect drives a linked WhatsApp Web number: unsolicited bulk messages get the number banned. Send only to customers who asked for these messages.';

/** Arabic-Indic (٠–٩) and Extended Arabic-Indic (۰–۹) digits as ASCII. */
function westernDigits(value: unknown): unknown {
  return typeof value === 'string'
    ? value.trim().replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (digit) => String(digit.charCodeAt(0) & 0xf))
    : value;
}

export const broadcastSegmentSchema = z
  .object({
    labelIds: z.array(z.string().uuid()).min(1).max(50).optional(),
    wroteWithinDays: z.preprocess(westernDigits, z.coerce.number().int().min(1).max(365)).optional(),
    /** CSV text: one phone number a line (the first column), E.164 or national (DEFAULT_COUNTRY). */
    phones: z.string().min(1).max(1_000_000).optional(),
  })
  .refine(
    (segment) =>
      [segment.labelIds, segment.wroteWithinDays, segment.phones].filter((part) => part !== undefined)
        .length === 1,
    { message: 'give exactly one of labelIds, wroteWithinDays or phones' },
  );
export type BroadcastSegment = z.infer<typeof broadcastSegmentSchema>;

export const broadcastCreateBodySchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    /** The channel's key (tickets.channel). */
    channel: z.string().min(1),
    text: z.string().max(BROADCAST_TEXT_MAX).optional(),
    template: templateSendSchema.optional(),
    segment: broadcastSegmentSchema,
    /** Sends per minute; default: the channel's (Cloud API from CLOUD_API_MAX_MPS, WPPConnect 10). */
    ratePerMinute: z.preprocess(westernDigits, z.coerce.number().int().min(1).max(60_000)).optional(),
    /** Sends per day (WPPConnect; default 200). */
    dailyCap: z.preprocess(westernDigits, z.coerce.number().int().min(1).max(100_000)).optional(),
  })
  .refine((body) => Boolean(body.text?.trim()) || body.template !== undefined, {
    message: 'is required (or a template)',
    path: ['text'],
  })
  .refine((body) => !(body.text?.trim() && body.template), {
    message: 'send either text or a template',
    path: ['template'],
  });
export type BroadcastCreateBody = z.input<typeof broadcastCreateBodySchema>;

export const broadcastProgressSchema = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  read: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
});

export const broadcastSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  channel: z.string(),
  provider: z.string(),
  text: z.string().nullable(),
  template: z.unknown().nullable(),
  segment: z.record(z.string(), z.unknown()),
  status: z.enum(BROADCAST_STATUSES),
  ratePerMinute: z.number().int(),
  dailyCap: z.number().int().nullable(),
  createdBy: z.string().uuid().nullable(),
  createdAt: dateTimeSchema,
  startedAt: nullableDateTimeSchema,
  finishedAt: nullableDateTimeSchema,
  progress: broadcastProgressSchema,
  /** WPPCONNECT_BROADCAST_WARNING for a WPPConnect channel, else null. */
  warning: z.string().nullable(),
});
export type Broadcast = z.infer<typeof broadcastSchema>;

export const broadcastCreatedSchema = broadcastSchema.extend({
  /** Recipients to send to (pending), not counting skipped ones. */
  recipientCount: z.number().int(),
  /** CSV lines that are not a phone number: line number (1-based) and its text. */
  invalidLines: z.array(z.object({ line: z.number().int(), text: z.string() })),
});
export type BroadcastCreated = z.infer<typeof broadcastCreatedSchema>;

export const broadcastListSchema = z.object({ items: z.array(broadcastSchema) });

export const broadcastRecipientSchema = z.object({
  phone: z.string(),
  customerId: z.string().uuid().nullable(),
  customerName: z.string().nullable(),
  status: z.enum(BROADCAST_RECIPIENT_STATUSES),
  /** Why it was skipped or failed (null otherwise): one of BROADCAST_RECIPIENT_REASONS. */
  reason: z.enum(BROADCAST_RECIPIENT_REASONS).nullable(),
  /** The provider's own message about the failure (English, as the provider wrote it), or null. */
  reasonDetail: z.string().nullable(),
  messageId: z.string().uuid().nullable(),
  updatedAt: dateTimeSchema,
});
export type BroadcastRecipient = z.infer<typeof broadcastRecipientSchema>;
export const broadcastRecipientListSchema = z.object({ items: z.array(broadcastRecipientSchema) });
