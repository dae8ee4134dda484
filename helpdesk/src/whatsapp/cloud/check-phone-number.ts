/**
 * Checks a Cloud API channel's access token and phone number id against Meta's Graph API:
 * `GET /<version>/<phone number id>?fields=display_phone_number,verified_name` with
 * `Authorization: Bearer <token>` (Meta, "WhatsApp Business Phone Number" reference, Graph API).
 * Meta answers `{ display_phone_number: "+20 100 000 0000", verified_name, id }`; a bad token is
 * HTTP 401 (error 190), an id the token cannot see HTTP 400 (error 100, "Object with ID … does not
 * exist, cannot be loaded due to missing permissions") — read from Meta's error body
 * (graph-errors.ts) into a sentence an admin can act on.
 */
import { normalisePhone } from '../../domain/phone';
import { transportFailure, createUpstreamClient } from '../upstream';
import { describeGraphError } from './graph-errors';

export interface PhoneNumberCheckInput {
  /** e.g. https://graph.facebook.com, without a trailing slash. */
  baseUrl: string;
  /** e.g. v23.0. */
  graphVersion: string;
  phoneNumberId: string;
  accessToken: string;
  /** Wait for Meta's answer, ms. */
  timeoutMs: number;
}

/** What the check found: ok with the number, or why not. */
export interface PhoneNumberCheck {
  ok: boolean;
  /** What was found (e.g. `+20 100 000 0000 "Pharmacy"`), or why it failed. */
  detail: string;
  /** The number in E.164, when Meta gave one. */
  phone: string | null;
}

/**
 * Asks the Graph API for the phone number. Never throws: every failure is `ok: false` with the
 * reason (401: the token; 400/404: the phone number id or the token's permissions; no answer:
 * the base URL).
 */
export async function checkPhoneNumber(input: PhoneNumberCheckInput): Promise<PhoneNumberCheck> {
  const base = `${input.baseUrl.replace(/\/+$/, '')}/${input.graphVersion}`;
  const http = createUpstreamClient({
    origins: [new URL(base).origin],
    baseURL: base,
    timeoutMs: input.timeoutMs,
    headers: { authorization: `Bearer ${input.accessToken}`, accept: 'application/json' },
  });
  let status: number;
  let text: string;
  try {
    const response = await http.get<string>(`/${encodeURIComponent(input.phoneNumberId)}`, {
      params: { fields: 'display_phone_number,verified_name' },
    });
    status = response.status;
    text = response.data;
  } catch (error) {
    return {
      ok: false,
      detail: `the Graph API at ${input.baseUrl} cannot be reached: ${transportFailure(error)}`,
      phone: null,
    };
  }
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  if (status >= 200 && status < 300) {
    const found = (body ?? {}) as { display_phone_number?: unknown; verified_name?: unknown };
    const display = typeof found.display_phone_number === 'string' ? found.display_phone_number : null;
    const name = typeof found.verified_name === 'string' ? found.verified_name : null;
    const digits = display?.replace(/[^\d]/g, '') ?? '';
    return {
      ok: true,
      detail: `the token reaches phone number ${display ?? input.phoneNumberId}${name ? ` ("${name}")` : ''}`,
      phone: digits ? normalisePhone(`+${digits}`, 'US') : null,
    };
  }
  const error = (
    body as { error?: { code?: unknown; message?: unknown; error_data?: { details?: unknown } } }
  )?.error;
  const reason = error
    ? describeGraphError({
        code: typeof error.code === 'number' || typeof error.code === 'string' ? error.code : null,
        title: typeof error.message === 'string' ? error.message : null,
        details: typeof error.error_data?.details === 'string' ? error.error_data.details : null,
      })
    : `HTTP ${status}`;
  const what =
    status === 401 || Number(error?.code) === 190
      ? 'cloud.accessToken: Meta refused the access token'
      : status === 400 || status === 404
        ? `cloud.phoneNumberId: Meta does not show phone number id ${input.phoneNumberId} to this token (wrong id, or the token lacks whatsapp_business_management)`
        : `the Graph API answered HTTP ${status}`;
  return { ok: false, detail: `${what} — ${reason}`, phone: null };
}
