/**
 * Search everywhere, the pure part: what a query asks for (a ticket number, a phone, words of a
 * name or a message), how hits rank, and the excerpt shown for a message hit. Text is folded with
 * `normaliseSearchText` (Arabic spelling variants, harakat, tatweel, digits, case), the same
 * folding the database's `search_normalise` applies to what it stores.
 */
import { normaliseSearchText } from '@whatsapp-helpdesk/contract/normalise';
import type { SearchMatch } from '@whatsapp-helpdesk/contract/api';
import { toAsciiDigits } from './menu-choice';
import { normalisePhone } from './phone';

/** Shortest word that searches message text: the trigram index needs three characters. */
export const MESSAGE_WORD_MIN_LENGTH = 3;
/** Fewest digits that search phones (fewer would match nearly everyone). */
const PHONE_MIN_DIGITS = 3;
/** At most this many words of a query are searched (the rest are ignored). */
const MAX_WORDS = 8;
/** Ticket numbers are PostgreSQL integers. */
const MAX_TICKET_NUMBER = 2_147_483_647;

/** What one query searches. */
export interface SearchPlan {
  /** A ticket number (`123`, `#123`, `#١٢٣`), or null. */
  ticketNumber: number | null;
  /** A phone written in any form, or null when the query does not look like one. */
  phone: {
    /** The E.164 number when the query is a whole valid number (`0100 123 4567` → `+201001234567`). */
    e164: string | null;
    /** Digit strings a stored E.164 phone may contain (as typed, without a trunk 0 or a 00 prefix). */
    digits: string[];
  } | null;
  /** Folded words every matching customer name must contain (empty: names are not searched). */
  nameWords: string[];
  /** Folded words every matching message must contain (empty: messages are not searched). */
  messageWords: string[];
}

/**
 * Reads a search query.
 * @param query what the agent typed (trimmed, at least two characters: the contract checks).
 * @param defaultCountry ISO 3166 alpha-2 for national phone numbers, e.g. `EG`.
 * @returns the plan: `#…` searches ticket numbers only; digits (with +, spaces, dashes, dots,
 *   brackets) search numbers, phones and message text; anything else names and message text.
 */
export function planSearch(query: string, defaultCountry: string): SearchPlan {
  const ascii = toAsciiDigits(query.trim());
  const hashNumber = /^#\s*(\d{1,10})$/.exec(ascii);
  if (hashNumber || ascii.startsWith('#')) {
    return { ticketNumber: ticketNumber(hashNumber?.[1]), phone: null, nameWords: [], messageWords: [] };
  }
  const words = normaliseSearchText(ascii).split(/\s+/).filter(Boolean).slice(0, MAX_WORDS);
  const messageWords = words.some((word) => word.length >= MESSAGE_WORD_MIN_LENGTH) ? words : [];
  const phoneLike = /^\+?[\d\s\-().]+$/.test(ascii);
  if (!phoneLike) return { ticketNumber: null, phone: null, nameWords: words, messageWords };

  const digits = ascii.replace(/\D/g, '');
  const phoneDigits = new Set<string>();
  if (digits.length >= PHONE_MIN_DIGITS) {
    phoneDigits.add(digits);
    // 00 20 100… (international prefix) and 0100… (national trunk 0) as stored: +20100…
    if (digits.startsWith('00') && digits.length > 5) phoneDigits.add(digits.slice(2));
    else if (digits.startsWith('0') && digits.length > 4) phoneDigits.add(digits.slice(1));
  }
  const e164 = digits.length >= 8 ? normalisePhone(ascii.replace(/^00/, '+'), defaultCountry) : null;
  if (e164) phoneDigits.add(e164.slice(1));
  return {
    ticketNumber: /^\d{1,10}$/.test(ascii) ? ticketNumber(ascii) : null,
    phone: phoneDigits.size > 0 || e164 ? { e164, digits: [...phoneDigits] } : null,
    nameWords: [],
    messageWords,
  };
}

function ticketNumber(digits: string | undefined): number | null {
  if (!digits) return null;
  const value = Number(digits);
  return value >= 1 && value <= MAX_TICKET_NUMBER ? value : null;
}

/** How strongly a hit matched, best first: a ticket number, a whole phone, part of a phone, a name, a message. */
export const MATCH_RANK: Readonly<Record<SearchMatch | 'phone_exact', number>> = {
  number: 0,
  phone_exact: 1,
  phone: 2,
  name: 3,
  message: 4,
};

/** Longest excerpt of a message hit, in characters (an ellipsis on a cut side comes on top). */
export const SNIPPET_LENGTH = 160;

/**
 * An excerpt of `text` around the first of `words` it contains (folded as the search folds), on
 * one line, cut at word boundaries where it can, with "…" where it was cut.
 * @param text a message's text and caption. @param words folded query words.
 * @returns the excerpt (the text's start when no word is found, e.g. a match only in the folding).
 */
export function searchSnippet(text: string, words: readonly string[], length = SNIPPET_LENGTH): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= length) return flat;
  const { folded, origin } = foldWithOrigins(flat);
  let at = -1;
  for (const word of words) {
    const found = folded.indexOf(word);
    if (found >= 0 && (at < 0 || found < at)) at = found;
  }
  const matchStart = at >= 0 ? (origin[at] ?? 0) : 0;
  // A third of the room before the match, the rest after it.
  let start = Math.max(0, Math.min(matchStart - Math.floor(length / 3), flat.length - length));
  let end = Math.min(flat.length, start + length);
  if (start > 0) {
    const space = flat.indexOf(' ', start);
    if (space >= 0 && space < matchStart) start = space + 1;
  }
  if (end < flat.length) {
    const space = flat.lastIndexOf(' ', end);
    if (space > Math.max(start, matchStart)) end = space;
  }
  return `${start > 0 ? '…' : ''}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`;
}

/** The folded text and, for each of its code units, the index in `text` it came from. */
function foldWithOrigins(text: string): { folded: string; origin: number[] } {
  let folded = '';
  const origin: number[] = [];
  for (let index = 0; index < text.length;) {
    const codePoint = text.codePointAt(index)!;
    const char = String.fromCodePoint(codePoint);
    const part = normaliseSearchText(char);
    for (let unit = 0; unit < part.length; unit += 1) origin.push(index);
    folded += part;
    index += char.length;
  }
  return { folded, origin };
}
