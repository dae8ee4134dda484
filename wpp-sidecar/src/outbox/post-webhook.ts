/**
 * One signed POST of a webhook body to the helpdesk, classified for the retry policy:
 * - 2xx: delivered;
 * - transient (the helpdesk or its database is unavailable; retried without limit): network error,
 *   timeout, 408, 429, 502, 503, 504 (the helpdesk answers 503 with `Retry-After` while PostgreSQL is
 *   unreachable or its queue refuses writes);
 * - rejected (an answer about this event, e.g. 400, 401, 403, 404, 413, 422, 500, or a redirect): retried
 *   only up to the attempt budget, then dead-lettered.
 */
import { webhookHeaders } from './sign-webhook';

/** Statuses that say "not now" rather than "not this event" (RFC 9110 §15.5.9, §15.6.3-5; RFC 6585 §4). */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([408, 429, 502, 503, 504]);

export type PostResult =
  | { ok: true; status: number }
  | {
      ok: false;
      /** True for an outage (retry without limit); false for an answer that uses the attempt budget. */
      transient: boolean;
      /** The HTTP status, or null when no answer came (network error, timeout). */
      status: number | null;
      /** The helpdesk's `Retry-After`, in ms from now, when it sent a valid one. */
      retryAfterMs: number | null;
      reason: string;
    };

/**
 * @param url - HELPDESK_WEBHOOK_URL.
 * @param secret - SIDECAR_WEBHOOK_SECRET.
 * @param rawBody - serialized event (identical across attempts).
 * @param timeoutMs - abort the request after this many milliseconds (then transient).
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
    return {
      ok: false,
      transient: TRANSIENT_STATUSES.has(response.status),
      status: response.status,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      reason: `HTTP ${response.status}: ${text.slice(0, 200)}`,
    };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return {
      ok: false,
      transient: true,
      status: null,
      retryAfterMs: null,
      reason: `network error: ${message}`,
    };
  }
}

/**
 * Parse an HTTP `Retry-After` value (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
 * @param value - the header value, or null when absent.
 * @param now - current time in ms since the epoch (for an HTTP-date).
 * @returns the delay in ms from now (0 for a date in the past), or null when absent or invalid.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d{1,10}$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) || !/[a-z]/i.test(trimmed) ? null : Math.max(0, date - now);
}
