/**
 * A shared contact as the API gives it in the message's `text` (type `contact`): vCards as the
 * customer's phone sent them (WPPConnect; RFC 6350 / 2426, several cards one after another), or one
 * line per card `Name: +20…, +20…` (the Cloud API driver). Pure: the console shows the cards, the
 * helpdesk names them in the inbox preview. vCards are read by vcard-lines.ts, the same reader
 * the sidecar's ical.js reading (vcard-contacts.ts) falls back to, so the console's bundle does not
 * carry ical.js.
 */
import { readVcardLines, splitVcards } from './vcard-lines';

export interface ContactCardData {
  name: string | null;
  /** Phone numbers as written in the card. */
  phones: string[];
}

/** The cards in a contact message's text; an empty list when nothing could be read. */
export function parseContacts(text: string | null): ContactCardData[] {
  if (!text?.trim()) return [];
  if (/BEGIN:VCARD/i.test(text)) return parseVcards(text);
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const split = line.lastIndexOf(': ');
      const numbers = split >= 0 ? line.slice(split + 2) : '';
      if (split >= 0 && /^[+\d\s(),.-]+$/.test(numbers)) {
        return {
          name: line.slice(0, split) || null,
          phones: numbers
            .split(',')
            .map((phone) => phone.trim())
            .filter(Boolean),
        };
      }
      return { name: line, phones: [] };
    });
}

/**
 * What a contact message is called in a one-line preview.
 * @param text the message's text (vCards or `Name: +20…` lines).
 * @returns the cards' names (else their first phone number) joined by `، ` (Arabic comma, as
 *   the inbox is Arabic first); null when no card could be read (the caller keeps its own text).
 */
export function contactsPreview(text: string | null): string | null {
  const names = parseContacts(text)
    .map((card) => card.name ?? card.phones[0] ?? null)
    .filter((name): name is string => Boolean(name));
  return names.length > 0 ? names.join('، ') : null;
}

/** The cards of vCard text, read by the contract's one line reader (vcard-lines.ts). */
function parseVcards(text: string): ContactCardData[] {
  return splitVcards(text).map((card) => {
    const read = readVcardLines(card);
    return { name: read.name, phones: read.phones.map((phone) => phone.number) };
  });
}
