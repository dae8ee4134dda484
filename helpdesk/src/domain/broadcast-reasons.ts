/**
 * Why a broadcast recipient was skipped or failed, as a code (BROADCAST_RECIPIENT_REASONS in the
 * contract) and the provider's own message. What is stored is either a code (a recipient refused
 * before its send: `opted_out`, `outside_customer_service_window`) or its outbound message's
 * `error`, written by the drivers and the delivery statuses in known shapes:
 * - Cloud API (whatsapp/cloud/graph-errors.ts `describeGraphError`): `[explanation — ]Cloud API
 *   error <code>: <title>: <details>[ (<what>, HTTP <status>)]`;
 * - WPPConnect sidecar (whatsapp/drivers/wppconnect.ts): `sidecar <path>: HTTP <status> <body>`
 *   with the sidecar's `{ "error": <code>, "message" }` body, or `sidecar unreachable: …`;
 * - a failed delivery status: `ack_FAILED`… (the sidecar's ack name), `failed (Meta gave no error)`.
 * Pure: no I/O.
 */
import type { BroadcastRecipientReason } from '@whatsapp-helpdesk/contract/api';
import { BROADCAST_RECIPIENT_REASONS } from '@whatsapp-helpdesk/contract/api';

/** Meta's error codes (Meta, "Error codes") and the reason each one is. */
const GRAPH_CODES: Readonly<Record<number, BroadcastRecipientReason>> = {
  131047: 'outside_customer_service_window',
  132000: 'template_parameter_count',
  132001: 'template_missing',
  132005: 'template_too_long',
  132007: 'template_format_policy',
  132012: 'template_parameter_format',
  132015: 'template_paused',
  132016: 'template_disabled',
  131026: 'undeliverable',
  100: 'invalid_parameter',
  131030: 'recipient_not_allowed',
  131062: 'invalid_recipient',
  130429: 'rate_limited',
  131056: 'rate_limited',
  80007: 'rate_limited',
  4: 'rate_limited',
  131048: 'spam_restricted',
  190: 'access_token_expired',
  368: 'account_blocked',
};

/** The sidecar's error codes (wpp-sidecar/src/errors.ts) that name a reason of their own. */
const SIDECAR_CODES: Readonly<Record<string, BroadcastRecipientReason>> = {
  invalid_recipient: 'invalid_recipient',
  not_connected: 'channel_unavailable',
};

const KNOWN: ReadonlySet<string> = new Set(BROADCAST_RECIPIENT_REASONS);

/** A reason and the provider's message (null when there is none). */
export interface RecipientReason {
  reason: BroadcastRecipientReason;
  reasonDetail: string | null;
}

/**
 * @param stored the recipient's stored reason, else its failed message's error (null: none).
 * @returns the code and the provider's message; null when nothing is stored. Text in no known
 *   shape is `provider_error` with the text as its detail, so nothing the provider said is lost.
 */
export function broadcastRecipientReason(stored: string | null): RecipientReason | null {
  if (stored === null) return null;
  const text = stored.trim();
  if (KNOWN.has(text)) return { reason: text as BroadcastRecipientReason, reasonDetail: null };

  const graph = /Cloud API error (\d+)/.exec(text);
  if (graph) {
    // The explanation before " — " is ours (English); the detail is what Meta said.
    const detail = text.slice(text.indexOf('Cloud API error'));
    return { reason: GRAPH_CODES[Number(graph[1])] ?? 'provider_error', reasonDetail: detail };
  }
  if (text.startsWith('Cloud API error') || text.startsWith('Cloud API answered HTTP')) {
    return { reason: 'provider_error', reasonDetail: text };
  }
  if (text.startsWith('sidecar unreachable')) return { reason: 'sidecar_unreachable', reasonDetail: text };
  const sidecar = /^sidecar \S+: HTTP (\d+) ([\s\S]*)$/.exec(text);
  if (sidecar) {
    const body = parseSidecarError(sidecar[2]!);
    return {
      reason: (body?.error && SIDECAR_CODES[body.error]) || 'provider_error',
      reasonDetail: body?.message ?? text,
    };
  }
  if (/^ack_/.test(text)) return { reason: 'delivery_failed', reasonDetail: text };
  if (text === 'failed' || text === 'failed (Meta gave no error)') {
    return { reason: 'delivery_failed', reasonDetail: null };
  }
  if (
    /^no \S+ channel ".*" is known/.test(text) ||
    /is disabled: an admin turned it off$/.test(text) ||
    text.startsWith('the ticket has no channel')
  ) {
    return { reason: 'channel_unavailable', reasonDetail: text };
  }
  if (text.startsWith('the customer has neither a phone number nor a WhatsApp lid')) {
    return { reason: 'invalid_recipient', reasonDetail: null };
  }
  // Recipients refused before this code existed stored the window's English sentence.
  if (text.startsWith('outside the 24-hour customer-service window')) {
    return { reason: 'outside_customer_service_window', reasonDetail: null };
  }
  return { reason: 'provider_error', reasonDetail: text };
}

/** The sidecar's JSON error body `{ error, message }`, or null when it is not one. */
function parseSidecarError(body: string): { error?: string; message?: string } | null {
  try {
    const parsed: unknown = JSON.parse(body);
    if (!parsed || typeof parsed !== 'object') return null;
    const { error, message } = parsed as { error?: unknown; message?: unknown };
    return {
      ...(typeof error === 'string' ? { error } : {}),
      ...(typeof message === 'string' ? { message } : {}),
    };
  } catch {
    return null;
  }
}
