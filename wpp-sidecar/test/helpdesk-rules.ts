/**
 * The helpdesk's own acceptance rules for `POST /webhooks/wppconnect`, for a stand-in helpdesk: its body
 * size limit (WEBHOOK_MAX_BYTES, 413) and its zod schema (400), imported from the helpdesk's source so
 * the sidecar's tests notice when the two drift apart.
 */
import { z } from 'zod';
import { deliveryStatusSchema, inboundMessageSchema } from '../../helpdesk/src/whatsapp/inbound-event';
import { DEFAULT_WEBHOOK_MAX_BYTES } from '../src/events/webhook-limits';

/** As `sidecarWebhookSchema` in helpdesk/src/whatsapp/drivers/wppconnect.ts. */
const webhookSchema = z.discriminatedUnion('type', [
  z.object({
    eventId: z.string().min(1).max(512),
    type: z.literal('message'),
    message: inboundMessageSchema,
  }),
  z.object({ eventId: z.string().min(1).max(512), type: z.literal('status'), status: deliveryStatusSchema }),
]);

/**
 * @param maxBytes - the helpdesk's WEBHOOK_MAX_BYTES.
 * @returns a `HelpdeskStub.check`: 413 over the size, 400 naming the first failing field, else null.
 */
export function helpdeskRules(maxBytes = DEFAULT_WEBHOOK_MAX_BYTES) {
  return (rawBody: string): { status: number; reason: string } | null => {
    const bytes = Buffer.byteLength(rawBody, 'utf8');
    if (bytes > maxBytes) return { status: 413, reason: `body is ${bytes} bytes; the limit is ${maxBytes}` };
    const parsed = webhookSchema.safeParse(JSON.parse(rawBody));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { status: 400, reason: `${issue.path.join('.')}: ${issue.message}` };
    }
    return null;
  };
}
