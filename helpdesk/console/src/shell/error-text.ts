/**
 * Turns an API error into words in the console's language: the API's code (contract
 * `errorSchema.error`, one of the helpdesk's ERROR_STATUS keys) picks a translated sentence, so the
 * Arabic console never shows the API's English. In English the API's own sentence, which names
 * the field, follows as detail.
 */
import { ApiError } from '../api';
import type { I18n } from '../i18n';

/** The API's error codes that have words of their own. */
const CODES = [
  'bad_request',
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'too_many_requests',
  'internal',
  'provider_error',
  'unavailable',
] as const;
type Code = (typeof CODES)[number];

function isCode(code: string): code is Code {
  return (CODES as readonly string[]).includes(code);
}

/**
 * @param error whatever a call threw (ApiError, a network TypeError, anything).
 * @returns one sentence for the agent, in `i18n`'s language.
 */
export function errorText(error: unknown, i18n: Pick<I18n, 't' | 'language'>): string {
  const { t, language } = i18n;
  if (error instanceof ApiError) {
    const words = isCode(error.code) ? t[`error_${error.code}`] : t.error_unknown;
    return language === 'en' && error.message && error.message !== words
      ? `${words} (${error.message})`
      : words;
  }
  // fetch rejects with a TypeError when the server cannot be reached.
  if (error instanceof TypeError) return t.error_network;
  return t.error_unknown;
}
