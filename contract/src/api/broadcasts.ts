/**
 * Broadcasts (issue 17): an admin sends one text, or one Cloud API template, to a segment of
 * customers — customers with a ticket carrying one of `labelIds`, customers who wrote within
 * `wroteWithinDays`, or a CSV text of phone numbers (one a line, first column; Arabic-Indic digits
 * accepted). Each recipient is sent once, throttled to `ratePerMinute` (BullMQ's rate limiter);
 * on WPPConnect also jittered and capped per day. Opted-out customers are listed as `skipped`
 * with reason `opted_out`. A recipient's `sent` follows its outbound message: delivered, read, failed.
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
  reason: z.string().nullable(),
  messageId: z.string().uuid().nullable(),
  updatedAt: dateTimeSchema,
});
export type BroadcastRecipient = z.infer<typeof broadcastRecipientSchema>;
export const broadcastRecipientListSchema = z.object({ items: z.array(broadcastRecipientSchema) });
