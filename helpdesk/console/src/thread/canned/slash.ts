/**
 * The `/shortcut` trigger of the reply box, pure: where a slash word starts before the caret, which
 * canned responses match it, and the text after inserting one.
 */
import type { CannedResponse } from '@whatsapp-helpdesk/contract/api';
import { normaliseCannedShortcut } from '@whatsapp-helpdesk/contract/canned-variables';

/** A `/word` being typed: `start` is the index of the slash, `query` what follows it up to the caret. */
export interface SlashQuery {
  start: number;
  query: string;
}

/**
 * The slash word the caret is in, if any: a `/` at the start of the text or after a space or line
 * break, followed by anything but spaces (and no second `/`) up to the caret.
 * @param caret the selection's end (the list opens only with no selection beyond it).
 */
export function findSlashQuery(text: string, caret: number): SlashQuery | null {
  let start = caret;
  while (start > 0 && !/\s/.test(text[start - 1] ?? '')) start -= 1;
  if (text[start] !== '/') return null;
  const query = text.slice(start + 1, caret);
  if (query.includes('/') || query.length > 32) return null;
  return { start, query };
}

/**
 * The canned responses matching what follows the slash, best first: shortcut starting with it, then
 * shortcut containing it, then title containing it; within each, those in the ticket's language
 * (or in none) before the others, then by shortcut.
 * @param language the ticket's language (ar, en or null).
 * @param limit most items shown.
 */
export function matchCannedResponses(
  items: readonly CannedResponse[],
  query: string,
  language: string | null,
  limit = 8,
): CannedResponse[] {
  const wanted = normaliseCannedShortcut(query);
  const lower = query.trim().toLowerCase();
  const rank = (item: CannedResponse): number => {
    if (item.shortcut.startsWith(wanted)) return 0;
    if (item.shortcut.includes(wanted)) return 1;
    if (lower && item.title.toLowerCase().includes(lower)) return 2;
    return -1;
  };
  return items
    .map((item) => ({ item, rank: rank(item) }))
    .filter((entry) => entry.rank >= 0)
    .sort(
      (a, b) =>
        a.rank - b.rank ||
        Number(!sameLanguage(a.item, language)) - Number(!sameLanguage(b.item, language)) ||
        a.item.shortcut.localeCompare(b.item.shortcut) ||
        Number(a.item.scope === 'personal') - Number(b.item.scope === 'personal'),
    )
    .slice(0, limit)
    .map((entry) => entry.item);
}

function sameLanguage(item: CannedResponse, language: string | null): boolean {
  return item.language === null || language === null || item.language === language;
}

/**
 * Replaces the slash word (from its `/` to the caret) with `insert`.
 * @returns the new text and the caret after the inserted text.
 */
export function replaceSlashQuery(
  text: string,
  slash: SlashQuery,
  caret: number,
  insert: string,
): { text: string; caret: number } {
  const before = text.slice(0, slash.start);
  const after = text.slice(caret);
  return { text: before + insert + after, caret: before.length + insert.length };
}

/**
 * The direction to show `/shortcut` in: right to left for an Arabic one, else left to right (set,
 * not "auto": the leading slash is neutral and must sit before the word in either direction).
 */
export function shortcutDirection(shortcut: string): 'rtl' | 'ltr' {
  return /^[\u0600-\u06ff]/.test(shortcut) ? 'rtl' : 'ltr';
}
