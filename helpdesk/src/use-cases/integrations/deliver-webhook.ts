/**
 * One attempt of an outgoing webhook delivery (issue 17): POST the event's JSON to the webhook's
 * URL with axios, with
 * - `X-Helpdesk-Event`: the event type; `X-Helpdesk-Delivery`: the delivery id (the same on retries);
 * - `X-Helpdesk-Timestamp`: Unix seconds of this attempt;
 * - `X-Helpdesk-Signature`: `sha256=` + hex HMAC-SHA256(secret, `${timestamp}.${body}`).
 * A receiver should recompute the signature over the raw body and refuse timestamps older than a
 * few minutes (replays). A 2xx answer delivers it; anything else (or no answer within 10 s) fails
 * the attempt, which is recorded and thrown so BullMQ retries it with exponential backoff.
 */
import { createHmac } from 'node:crypto';
import axios from 'axios';
import type { Deps } from '../../context';
import { findOutgoingWebhook, isDeliveryPending, recordDeliveryAttempt } from '../../store/integrations';
import { checkWebhookUrl } from './check-webhook-url';
import { webhookSecret } from './save-outgoing-webhook';
import type { WebhookDeliveryJob } from './relay-webhook-events';

/** How long a receiver has to answer, ms. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** The signature header's value for a body sent at `timestamp` (Unix seconds). */
export function webhookSignature(secret: string, timestamp: number | string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** An attempt failed; BullMQ retries it unless it was the last one. */
export class WebhookAttemptFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookAttemptFailed';
  }
}

/**
 * @param lastAttempt no retry follows: a failure marks the delivery `failed`.
 * @returns `delivered`, or `skipped` (the webhook was deleted or disabled: recorded as failed, or
 *   the delivery is no longer pending: delivered or failed already, or deleted with its webhook).
 * @throws WebhookAttemptFailed when the receiver did not accept it (recorded first).
 */
export async function deliverWebhook(
  deps: Pick<Deps, 'pool' | 'config' | 'secretBox'>,
  job: WebhookDeliveryJob,
  lastAttempt: boolean,
  now = () => new Date(),
): Promise<'delivered' | 'skipped'> {
  if (!(await isDeliveryPending(deps.pool, job.deliveryId))) return 'skipped';
  const webhook = await findOutgoingWebhook(deps.pool, job.webhookId);
  if (!webhook || !webhook.enabled) {
    if (webhook) {
      await recordDeliveryAttempt(deps.pool, job.deliveryId, {
        status: 'failed',
        statusCode: null,
        error: 'the webhook is disabled',
        at: now(),
      });
    }
    return 'skipped';
  }
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    await checkWebhookUrl(webhook.url, deps.config.outgoingWebhooks.allowPrivateUrls);
    const timestamp = Math.floor(now().getTime() / 1000);
    const answer = await axios.post(webhook.url, job.body, {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'whatsapp-helpdesk-webhooks',
        'x-helpdesk-event': job.eventType,
        'x-helpdesk-delivery': job.deliveryId,
        'x-helpdesk-timestamp': String(timestamp),
        'x-helpdesk-signature': webhookSignature(webhookSecret(deps, webhook), timestamp, job.body),
      },
      timeout: WEBHOOK_TIMEOUT_MS,
      maxRedirects: 0,
      // The body is already JSON text: sent as it is, byte for byte what was signed.
      transformRequest: [(data: unknown) => data],
      validateStatus: () => true,
      responseType: 'text',
    });
    statusCode = answer.status;
    if (answer.status < 200 || answer.status >= 300) error = `the receiver answered HTTP ${answer.status}`;
  } catch (failure) {
    error = failure instanceof Error ? failure.message : String(failure);
  }
  await recordDeliveryAttempt(deps.pool, job.deliveryId, {
    status: error === null ? 'delivered' : lastAttempt ? 'failed' : 'pending',
    statusCode,
    error: error?.slice(0, 500) ?? null,
    at: now(),
  });
  if (error !== null) throw new WebhookAttemptFailed(error);
  return 'delivered';
}
