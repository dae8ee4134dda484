/**
 * One signed POST of a webhook body to the helpdesk, classified for the retry policy:
 * - 2xx: delivered;
 * - transient (the helpdesk or its database is unavailable; retried without limit): network error,
 *   timeout, 408, 429, 502, 503, 504 (the helpdesk answers 503 with `Retry-After` while PostgreSQL is
 *   unreachable or its queue refuses writes);
 * - rejected (an answer about this event, e.g. 400, 401, 403, 404, 413, 422, 500, or a redirect): retried
 *   only up to the attempt budget, then dead-lettered.
 * The POST goes through one axios instance per upstream (`createWebhookHttp`): keep-alive agents, no
 * redirects followed, and every status returned as an answer (the classification below is ours).
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios from 'axios';
import type { AxiosInstance } from 'axios';
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

/** The axios instance of the helpdesk upstream, and how to release its sockets. */
export interface WebhookHttp {
  readonly client: AxiosInstance;
  /** Closes the kept-alive sockets (call once, when the outbox closes). */
  close(): void;
}

/**
 * The configured axios instance for webhook posts: keep-alive http/https agents, `maxRedirects: 0`
 * (a redirect is an answer, classified as rejected), `validateStatus` accepting every status, the body
 * read as text.
 * @param timeoutMs - WEBHOOK_TIMEOUT_MS: the default deadline of one POST, in milliseconds.
 */
export function createWebhookHttp(timeoutMs: number): WebhookHttp {
  const httpAgent = new HttpAgent({ keepAlive: true });
  const httpsAgent = new HttpsAgent({ keepAlive: true });
  const client = axios.create({
    timeout: timeoutMs,
    httpAgent,
    httpsAgent,
    maxRedirects: 0,
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
  });
  return {
    client,
    close: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

/** Used when a caller passes no instance of its own (the outbox passes its own). */
let sharedWebhookHttp: WebhookHttp | null = null;

/**
 * @param url - HELPDESK_WEBHOOK_URL.
 * @param secret - SIDECAR_WEBHOOK_SECRET.
 * @param rawBody - serialized event (identical across attempts).
 * @param timeoutMs - abort the whole exchange (connect, send, answer) after this many milliseconds (then
 *   transient).
 * @param requestId - sent as `X-Request-Id`: the helpdesk logs the event's processing under it.
 * @param http - the axios instance to use (default: one shared instance).
 * @returns the classified outcome. Never throws.
 */
export async function postWebhook(
  url: string,
  secret: string,
  rawBody: string,
  timeoutMs: number,
  requestId?: string,
  http: WebhookHttp = (sharedWebhookHttp ??= createWebhookHttp(timeoutMs)),
): Promise<PostResult> {
  try {
    const response = await http.client.post<unknown>(url, rawBody, {
      headers: { ...webhookHeaders(secret, rawBody), ...(requestId ? { 'x-request-id': requestId } : {}) },
      timeout: timeoutMs,
      // axios's `timeout` is per socket inactivity; the signal bounds the whole exchange, as before.
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = typeof response.data === 'string' ? response.data : '';
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    const retryAfter = response.headers['retry-after'];
    return {
      ok: false,
      transient: TRANSIENT_STATUSES.has(response.status),
      status: response.status,
      retryAfterMs: parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : null),
      reason: `HTTP ${response.status}: ${text.slice(0, 200)}`,
    };
  } catch (error) {
    // No answer: connection refused or reset, DNS, timeout, abort. An outage, never this event's fault.
    const message = error instanceof Error ? `${errorName(error)}: ${error.message}` : String(error);
    return {
      ok: false,
      transient: true,
      status: null,
      retryAfterMs: null,
      reason: `network error: ${message}`,
    };
  }
}

/** The most telling name of an axios error: its code (ECONNREFUSED, ECONNABORTED...) when it has one. */
function errorName(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error.name;
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
