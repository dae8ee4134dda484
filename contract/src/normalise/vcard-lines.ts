/**
 * vCards (RFC 6350 / 2426) read line by line, pure and without dependencies: the cards in a text,
 * and each card's name (FN, else N), organisation (ORG) and phones (TEL, with WhatsApp's `waid`
 * parameter and the TYPE or bare vCard 2.1 parameters). This is the one hand-written reader:
 * `vcard-contacts.ts` falls back to it for a card ical.js refuses, and `contacts.ts` reads the
 * cards stored in a message's text with it (in the console, whose bundle stays without ical.js).
 */
import { cleanString } from './text';

/** One phone number of a card: `number` as written, `waId` its `waid` parameter, `type` its TYPE or label. */
export interface VcardPhone {
  number: string;
  waId: string | null;
  type: string | null;
}

/** What a card says, untrimmed (callers fit the fields to their limits). */
export interface VcardFields {
  name: string | null;
  org: string | null;
  phones: VcardPhone[];
}

const CARD = /BEGIN:VCARD[\s\S]*?END:VCARD/gi;

/** @returns each `BEGIN:VCARD … END:VCARD` of `text`, in order (an empty list when there is none). */
export function splitVcards(text: string): string[] {
  return text.match(CARD) ?? [];
}

/** @param card one vCard's text. @returns its FN (else N), ORG and TEL lines with their parameters. */
export function readVcardLines(card: string): VcardFields {
  const read: VcardFields = { name: null, org: null, phones: [] };
  let n: string | null = null;
  // Folded lines (RFC 6350 3.2) continue with a leading space or tab.
  for (const line of card.replace(/\r?\n[ \t]/g, '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    // "item1.TEL;type=CELL;waid=2010…" → property TEL, parameters type=CELL and waid=2010…
    const [property = '', ...parameters] = line.slice(0, colon).split(';');
    const name = property.split('.').pop()!.toUpperCase();
    const value = unescapeText(line.slice(colon + 1).trim());
    const parameter = (key: string) =>
      parameters
        .filter((p) => p.toLowerCase().startsWith(`${key}=`))
        .map((p) => p.slice(key.length + 1))
        .join(',') || null;
    if (name === 'FN') read.name ??= value || null;
    else if (name === 'N') n ??= structuredName(value.split(';'));
    else if (name === 'ORG') read.org ??= value.split(';').filter(Boolean).join(', ') || null;
    else if (name === 'TEL' && value) {
      const bare = parameters.filter((p) => !p.includes('=')).join(',') || null;
      read.phones.push({
        number: value.replace(/^tel:/i, ''),
        waId: parameter('waid'),
        type: parameter('type') ?? bare,
      });
    }
  }
  read.name ??= n;
  return read;
}

/** N (family; given; additional; prefixes; suffixes) as "prefix given additional family suffix". */
export function structuredName(value: unknown): string | null {
  if (typeof value === 'string') return textOf(value);
  if (!Array.isArray(value)) return null;
  const part = (index: number) => {
    const item: unknown = value[index];
    return Array.isArray(item) ? item.join(' ') : typeof item === 'string' ? item : '';
  };
  return textOf([part(3), part(1), part(2), part(0), part(4)].filter(Boolean).join(' '));
}

/** A storable, trimmed text; null when there is none. */
export function textOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = cleanString(value).trim();
  return text.length > 0 ? text : null;
}

function unescapeText(value: string): string {
  return value.replace(/\\([,;nN\\])/g, (_, char: string) => (char === 'n' || char === 'N' ? ' ' : char));
}
