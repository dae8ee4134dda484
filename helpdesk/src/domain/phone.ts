/**
 * Phone numbers in E.164, through libphonenumber-js.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * Normalises a phone number written in any common form to E.164.
 * @param input `+201001234567`, `201001234567`, national `01001234567`, or a WhatsApp jid
 *   `201001234567@c.us` / `@s.whatsapp.net` (the digits before the @ are an international number).
 * @param defaultCountry ISO 3166 alpha-2 used for national numbers, e.g. `EG`.
 * @returns `+201001234567`, or null when the input is not a valid phone number (a `@lid` is never one).
 */
export function normalisePhone(input: string | null | undefined, defaultCountry: string): string | null {
  if (!input) return null;
  let text = input.trim();
  const at = text.indexOf('@');
  if (at >= 0) {
    const domain = text.slice(at + 1);
    if (domain !== 'c.us' && domain !== 's.whatsapp.net') return null;
    text = `+${text.slice(0, at).split(':')[0]}`;
  }
  const parsed = text.startsWith('+')
    ? parsePhoneNumberFromString(text)
    : (parsePhoneNumberFromString(text, defaultCountry as CountryCode) ??
      parsePhoneNumberFromString(`+${text}`));
  if (!parsed || !parsed.isValid()) {
    // Numbers written internationally without "+" (as WhatsApp's wa_id is) for another country.
    const international = text.startsWith('+') ? null : parsePhoneNumberFromString(`+${text}`);
    return international?.isValid() ? international.number : null;
  }
  return parsed.number;
}

/**
 * A number WhatsApp itself gave (a jid's digits, a wa_id, `+` and digits) as E.164 when
 * libphonenumber's metadata calls it invalid: WhatsApp vouches that the account exists, and
 * numbering plans move faster than the metadata (older Brazilian mobiles, e.g. `553199851111@c.us`,
 * are still on WhatsApp without the ninth digit). The customer's message is kept, not dropped.
 * @param input `553199851111@c.us`, `+553199851111` or `553199851111`.
 * @returns `+553199851111` when the digits are an E.164 length (8 to 15, not starting with 0); null
 *   otherwise (a `@lid` or a group is never a phone).
 */
export function whatsappNumberAsE164(input: string | null | undefined): string | null {
  if (!input) return null;
  let text = input.trim();
  const at = text.indexOf('@');
  if (at >= 0) {
    const domain = text.slice(at + 1);
    if (domain !== 'c.us' && domain !== 's.whatsapp.net') return null;
    text = text.slice(0, at).split(':')[0]!;
  }
  const digits = text.startsWith('+') ? text.slice(1) : text;
  return /^[1-9]\d{7,14}$/.test(digits) ? `+${digits}` : null;
}
