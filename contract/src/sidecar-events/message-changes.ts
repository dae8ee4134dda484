/**
 * Changes to a message already delivered, as the helpdesk accepts them (the bodies of the sidecar's
 * `edit`, `deletion` and `reaction` events, and what the Cloud API driver builds from Meta's webhooks):
 * the customer edited a message, deleted it for everyone, or reacted to one (theirs or ours).
 * `providerMessageId` always names the message changed (for a reaction: the message reacted to),
 * never the protocol message that carried the change. Lenient like the other accepting schemas.
 */
import { z } from 'zod';
import { FIELD_LIMITS } from './field-limits';
import { cleanId, isoTimestamp, lenientText } from './fields';
import { PROVIDERS } from './vocabulary';

/** The message's new text (or, for media, its new caption); `timestamp` when it was edited. */
export const messageEditSchema = z.object({
  provider: z.enum(PROVIDERS),
  channel: cleanId(FIELD_LIMITS.channel),
  /** The edited message (its original id). */
  providerMessageId: cleanId(FIELD_LIMITS.providerMessageId),
  text: lenientText(FIELD_LIMITS.text).nullish(),
  timestamp: isoTimestamp,
  raw: z.unknown().optional(),
});

/** The customer deleted the message for everyone; `timestamp` when. What was kept of it stays. */
export const messageDeletionSchema = z.object({
  provider: z.enum(PROVIDERS),
  channel: cleanId(FIELD_LIMITS.channel),
  providerMessageId: cleanId(FIELD_LIMITS.providerMessageId),
  timestamp: isoTimestamp,
  raw: z.unknown().optional(),
});

/**
 * A reaction to a message (ours or the customer's): `emoji` '' when the reaction was removed; `from`
 * who reacted (as an inbound message's `from`: E.164 phone, `…@lid`, provider user id).
 */
export const messageReactionSchema = z.object({
  provider: z.enum(PROVIDERS),
  channel: cleanId(FIELD_LIMITS.channel),
  /** The message reacted to. */
  providerMessageId: cleanId(FIELD_LIMITS.providerMessageId),
  from: z.object({
    phone: cleanId(FIELD_LIMITS.phone, 0).nullable(),
    lid: cleanId(FIELD_LIMITS.lid, 0).nullable(),
    userId: cleanId(FIELD_LIMITS.userId, 0).nullable().default(null),
  }),
  emoji: lenientText(FIELD_LIMITS.emoji),
  timestamp: isoTimestamp,
  raw: z.unknown().optional(),
});
