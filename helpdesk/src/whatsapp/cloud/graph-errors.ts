/**
 * Graph API errors of the WhatsApp Cloud API, turned into clear outcomes: a reason a person can read
 * and whether trying again later may help. Follows Meta's "Error codes" page (WhatsApp Cloud API,
 * Support): base decisions on `code`, not on titles, subcodes or the HTTP status, except that HTTP
 * 429 and 5xx are always worth a retry.
 *
 * Error body (Meta, "Error codes", "Error response contents"):
 * `{ "error": { "message", "type", "code", "error_data": { "messaging_product", "details" },
 *   "error_subcode", "fbtrace_id" } }`. Webhook errors (statuses[].errors, value.errors,
 * messages[].errors) carry `{ code, title, message, error_data: { details }, href }`.
 */
import { ProviderError } from '../../errors';

/** Error 131047 "Re-engagement message": more than 24 hours since the customer last wrote. */
export const OUTSIDE_WINDOW_ERROR = 131047;

/**
 * Codes that pass with time (Meta, "Error codes", throttling and server errors): 130429 throughput
 * reached, 131056 pair rate limit, 80007 WABA rate limit, 4 app call rate limit, 1 API unknown,
 * 2 API service (temporary), 131000 something went wrong, 131016 service unavailable, 133004 server
 * temporarily unavailable.
 */
const RETRYABLE_CODES: ReadonlySet<number> = new Set([
  130429, 131056, 80007, 4, 1, 2, 131000, 131016, 133004,
]);

/** Plain-language prefixes for the codes the helpdesk's users meet most. */
const EXPLANATIONS: Record<number, string> = {
  131047:
    'outside the 24-hour customer-service window (the customer last wrote more than 24 hours ago; only a template can be sent)',
  130429: 'rate limit: the Cloud API throughput of this phone number was reached',
  131056: 'rate limit: too many messages to this customer in a short time',
  80007: 'rate limit: the WhatsApp Business Account reached its rate limit',
  4: 'rate limit: the app reached its Graph API call limit',
  131026:
    'undeliverable: the customer cannot receive this message (not a WhatsApp user, has not accepted the latest terms, or an outdated app)',
  // Template errors (Meta, "Error codes", https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
  132000:
    "template parameter count mismatch: the number of variables sent does not match the template's (sync the templates and check them)",
  132001:
    'template missing: the template does not exist in this language or is not approved yet (sync the templates)',
  132005: 'template text too long: the filled-in variables make the template too long',
  132007: "template format policy violated: a variable's text breaks WhatsApp's formatting rules",
  132012:
    "template parameter format mismatch: a variable's value does not match the format the template was created with",
  132015: 'template paused: Meta paused this template because of low quality ratings',
  132016: 'template disabled: Meta disabled this template because of low quality ratings',
  100: 'the Cloud API refused a parameter (for example an invalid phone number)',
  131030: 'the phone number is not in the allowed list of this test number',
  131062: 'this message cannot be sent to a business-scoped user id',
  131048: 'spam rate limit: this phone number is restricted after messages were blocked or flagged',
  190: 'the Cloud API access token has expired (CLOUD_API_TOKEN)',
  368: 'the WhatsApp Business Account is temporarily blocked for policy violations',
};

/** An error as Meta reports it, in a response body or in a webhook. */
export interface GraphErrorInfo {
  code?: number | string | null;
  /** Webhook `title`, or the response's `message` (e.g. "(#131047) Re-engagement message"). */
  title?: string | null;
  /** `error_data.details`. */
  details?: string | null;
}

/**
 * A one-line reason for an error, e.g. `outside the 24-hour customer-service window (…) — Cloud
 * API error 131047: Re-engagement message: Message failed to send because more than 24 hours have
 * passed since the customer last replied to this number.`
 */
export function describeGraphError(error: GraphErrorInfo): string {
  const code = error.code === undefined || error.code === null ? null : Number(error.code);
  const parts = [error.title, error.details].filter((part): part is string => Boolean(part && part.trim()));
  const facts = `Cloud API error${code !== null && !Number.isNaN(code) ? ` ${code}` : ''}${
    parts.length ? `: ${parts.join(': ')}` : ''
  }`;
  const explanation = code !== null ? EXPLANATIONS[code] : undefined;
  return (explanation ? `${explanation} — ${facts}` : facts).slice(0, 2000);
}

/** Whether Meta's `code` (or, without one, the HTTP status) may pass on a later try. */
export function isRetryableGraphError(httpStatus: number, code: number | null): boolean {
  if (httpStatus === 429 || httpStatus >= 500) return true;
  if (code !== null && RETRYABLE_CODES.has(code)) return true;
  return false;
}

/**
 * Turns a failed Graph API response into a ProviderError.
 * @param httpStatus the response's HTTP status.
 * @param body the response body parsed as JSON (or anything else, e.g. null for a non-JSON body).
 * @param what what was attempted, for the message (e.g. `POST /messages`).
 * @returns a ProviderError: retryable for HTTP 429, 5xx and the throttling/server codes (130429,
 *   131056, 80007, 4, 1, 2, 131000, 131016, 133004); not retryable for everything else, including
 *   131047 (outside the customer-service window) and invalid recipients (131026, 100, 131030).
 *   `providerCode` is Meta's code when present, else the HTTP status.
 */
export function graphErrorFromResponse(httpStatus: number, body: unknown, what: string): ProviderError {
  const error = readErrorObject(body);
  const code = error?.code ?? null;
  const reason = error
    ? describeGraphError({ code, title: error.message, details: error.details })
    : `Cloud API answered HTTP ${httpStatus}`;
  return new ProviderError(
    `${reason} (${what}, HTTP ${httpStatus})`,
    isRetryableGraphError(httpStatus, code),
    code ?? httpStatus,
  );
}

function readErrorObject(
  body: unknown,
): { code: number | null; message: string | null; details: string | null } | null {
  if (!body || typeof body !== 'object' || !('error' in body)) return null;
  const error = (body as { error: unknown }).error;
  if (!error || typeof error !== 'object') return null;
  const record = error as { code?: unknown; message?: unknown; error_data?: unknown };
  const code = typeof record.code === 'number' ? record.code : Number.parseInt(String(record.code), 10);
  const data = record.error_data as { details?: unknown } | undefined;
  return {
    code: Number.isFinite(code) ? code : null,
    message: typeof record.message === 'string' ? record.message : null,
    details: data && typeof data.details === 'string' ? data.details : null,
  };
}
