/**
 * One signed POST of a webhook body to the helpdesk, classified for the retry policy:
 * 2xx delivered; network error, timeout, 5xx and 429 retryable; any other status (4xx, 3xx) not retryable.
 */
import { webhookHeaders } from './sign-webhook';

export type PostResult = { ok: true; status: number } | { ok: false; retryable: boolean; reason: string };

/**
 * @param url - HELPDESK_WEBHOOK_URL.
 * @param secret - SIDECAR_WEBHOOK_SECRET.
 * @param rawBody - serialized event (identical across attempts).
 * @param timeoutMs - abort the request after this many milliseconds (then retryable).
 * @param requestId - sent as `X-Request-Id`: the helpdesk logs the event's processing under it.
 * @returns the classified outcome. Never throws.
 */
export async function postWebhook(
  url: string,
  secret: string,
  rawBody: string,
  timeoutMs: number,
  requestId?: string,
): Promise<PostResult> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...webhookHeaders(secret, rawBody), ...(requestId ? { 'x-request-id': requestId } : {}) },
      body: rawBody,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text().catch(() => '');
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    const retryable = response.status === 429 || response.status >= 500;
    return { ok: false, retryable, reason: `HTTP ${response.status}: ${text.slice(0, 200)}` };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, retryable: true, reason: `network error: ${message}` };
  }
}
