/**
 * Webhook signature the helpdesk verifies: `X-Webhook-Signature: sha256=<hex HMAC-SHA256(secret, "<ts>.<body>")>`
 * with `X-Webhook-Timestamp: <ts>` in unix seconds. Recomputed at every attempt so retries are never stale.
 */
import { createHmac } from 'node:crypto';

/**
 * @param secret - SIDECAR_WEBHOOK_SECRET.
 * @param timestamp - unix seconds.
 * @param rawBody - the exact bytes sent as the body.
 * @returns `sha256=<64 hex chars>`.
 */
export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/**
 * @returns the three headers of a signed webhook POST, timestamp = now.
 */
export function webhookHeaders(
  secret: string,
  rawBody: string,
  now: Date = new Date(),
): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'content-type': 'application/json',
    'x-webhook-timestamp': String(timestamp),
    'x-webhook-signature': signWebhook(secret, timestamp, rawBody),
  };
}
