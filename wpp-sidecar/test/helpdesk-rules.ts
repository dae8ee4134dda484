/**
 * The helpdesk's own acceptance rules for `POST /webhooks/wppconnect`, for a stand-in helpdesk: its body
 * size limit (WEBHOOK_MAX_BYTES, 413) and its zod schema (400), both from the contract the helpdesk
 * validates with (`@whatsapp-helpdesk/contract/sidecar-events`), plus the contract's exact form of what
 * the sidecar emits, so a test fails when the sidecar sends anything else.
 */
import { sidecarWebhookEventSchema, webhookEventSchema } from '@whatsapp-helpdesk/contract/sidecar-events';
import { DEFAULT_WEBHOOK_MAX_BYTES } from '../src/events/webhook-limits';

/**
 * @param maxBytes - the helpdesk's WEBHOOK_MAX_BYTES.
 * @returns a `HelpdeskStub.check`: 413 over the size, 400 naming the first failing field, else null.
 */
export function helpdeskRules(maxBytes = DEFAULT_WEBHOOK_MAX_BYTES) {
  return (rawBody: string): { status: number; reason: string } | null => {
    const bytes = Buffer.byteLength(rawBody, 'utf8');
    if (bytes > maxBytes) return { status: 413, reason: `body is ${bytes} bytes; the limit is ${maxBytes}` };
    const body: unknown = JSON.parse(rawBody);
    const parsed = webhookEventSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { status: 400, reason: `${issue.path.join('.')}: ${issue.message}` };
    }
    const emitted = sidecarWebhookEventSchema.safeParse(body);
    if (!emitted.success) {
      const issue = emitted.error.issues[0]!;
      return {
        status: 400,
        reason: `not the sidecar's contract form: ${issue.path.join('.')}: ${issue.message}`,
      };
    }
    return null;
  };
}
