/**
 * A shared contact as the API gives it in the message's `text` (type `contact`): vCards as the
 * customer's phone sent them (WPPConnect; RFC 6350 / 2426, several cards one after another), or one
 * line per card `Name: +20…, +20…` (the Cloud API driver). Pure. The reader is the contract's (the
 * helpdesk names the cards in the inbox preview with it).
 */
export { parseContacts, type ContactCardData } from '@whatsapp-helpdesk/contract/normalise';

/** A `tel:` link for a phone number as written (spaces, dashes and brackets dropped). */
export function telHref(phone: string): string {
  const digits = phone.replace(/[\u0660-\u0669]/g, (digit) => String(digit.charCodeAt(0) - 0x0660));
  return `tel:${digits.replace(/[^\d+]/g, '')}`;
}
