/**
 * The delivery status of a message the account sent, as the helpdesk accepts it: the body of a
 * sidecar `status` event, and what the Cloud API driver builds from Meta's status webhooks.
 */
import { z } from 'zod';
import { FIELD_LIMITS } from './field-limits';
import { cleanId, isoTimestamp, lenientText } from './fields';
import { DELIVERY_STATUSES, PROVIDERS } from './vocabulary';

export const deliveryStatusSchema = z.object({
  provider: z.enum(PROVIDERS).optional(),
  channel: cleanId(FIELD_LIMITS.channel, 0).optional(),
  providerMessageId: cleanId(FIELD_LIMITS.providerMessageId),
  status: z.enum(DELIVERY_STATUSES),
  /** Provider error (code and title) when the status is `failed`. */
  error: z
    .union([
      lenientText(FIELD_LIMITS.statusError),
      z.object({
        code: z.union([z.number(), lenientText(FIELD_LIMITS.statusErrorCode)]).optional(),
        message: lenientText(FIELD_LIMITS.statusError).optional(),
      }),
    ])
    .nullish(),
  timestamp: isoTimestamp,
});
