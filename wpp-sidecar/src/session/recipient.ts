/**
 * Recipient and sender id helpers: phone numbers <-> WhatsApp ids (`<digits>@c.us`, `<digits>@lid`).
 * Uses libphonenumber-js (`parsePhoneNumberFromString`, `isValid`) with the configured default country.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { CountryCode } from 'libphonenumber-js';

/** Thrown for a `to` that is neither a valid phone number nor a `@c.us`/`@lid` id. */
export class InvalidRecipientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRecipientError';
  }
}

const CUS = /^(\d{5,20})@c\.us$/;
const LID = /^(\d{5,25})@lid$/;

/**
 * Normalise a `to` into the chat id WPPConnect's `sendText`/`sendFile` take.
 * @param to - `+201001234567`, `01001234567` (national, with `defaultCountry`), `201001234567`,
 *   `201001234567@c.us` or `123…@lid` (passed through unchanged: never looked up, never re-derived).
 * @param defaultCountry - ISO alpha-2, e.g. `EG`.
 * @returns `<digits>@c.us` or the lid id.
 * @throws InvalidRecipientError naming the problem.
 */
export function toChatId(to: string, defaultCountry: string): string {
  const value = to.trim();
  if (CUS.test(value) || LID.test(value)) return value;
  if (value.includes('@')) {
    throw new InvalidRecipientError(
      `"to" must be a phone number, "<digits>@c.us" or "<digits>@lid"; got "${value}"`,
    );
  }
  const compact = value.replace(/[\s().-]/g, '');
  const candidates = [parsePhoneNumberFromString(compact, defaultCountry as CountryCode)];
  if (/^\d{8,15}$/.test(compact)) candidates.push(parsePhoneNumberFromString(`+${compact}`));
  const valid = candidates.find((p) => p?.isValid());
  if (!valid) {
    throw new InvalidRecipientError(
      `"to" is not a valid phone number for default country ${defaultCountry} (nor a @c.us/@lid id): "${value}"`,
    );
  }
  return `${valid.number.slice(1)}@c.us`;
}

/**
 * @param id - a WhatsApp user id.
 * @returns E.164 (`+<digits>`) for a `<digits>@c.us` id, else null. Never derives a phone from a lid.
 */
export function phoneFromUserId(id: string | null | undefined): string | null {
  const match = typeof id === 'string' ? CUS.exec(id) : null;
  return match ? `+${match[1]}` : null;
}

/** @returns true when `id` is a `…@lid` id. */
export function isLid(id: string | null | undefined): boolean {
  return typeof id === 'string' && LID.test(id);
}
