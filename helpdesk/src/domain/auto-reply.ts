/**
 * Auto-replies (issue 17): keyword rules the bot answers with before a human takes the ticket.
 * Pure. A message matches a rule when, after Arabic normalisation and case-folding
 * (`normaliseSearchText`: أ/إ/آ/ٱ → ا, ة → ه, ى → ي, harakat and tatweel removed, lower case), it
 * contains one of the rule's keywords as whole words: "مواعيد" matches "ايه المواعيد؟",
 * "المواعيد" and "مواعيد العمل" but not "مواعيدكم"; an Arabic word may carry the article and the
 * one-letter prefixes (ال، و، ف، ب، ك، ل، وال، فال، بال، كال، لل، ولل، وب، وبال). The first enabled rule by
 * position for the message's channel (or for every channel: `channelKey` null) wins.
 */
import { normaliseSearchText } from '@whatsapp-helpdesk/contract/normalise';
import type { Language } from './bot-texts';

/** A rule as the bot reads it (store/auto-replies.ts). */
export interface AutoReplyRule {
  id: string;
  /** The channel's key (session / phone number id) the rule applies to; null: every channel. */
  channelKey: string | null;
  /** Words or phrases as the admin typed them. */
  keywords: readonly string[];
  reply: Record<Language, string>;
  enabled: boolean;
  /** Lower first. */
  position: number;
}

/** Prefixes an Arabic word may carry before a keyword (the article, conjunctions, prepositions). */
const ARABIC_PREFIXES = [
  '',
  'ال',
  'و',
  'ف',
  'ب',
  'ك',
  'ل',
  'وال',
  'فال',
  'بال',
  'كال',
  'لل',
  'ولل',
  'وب',
  'وبال',
];

const ARABIC_LETTER = /[\u0600-\u06ff]/;

/** The folded words of a text: letters and digits, everything else separates. */
export function autoReplyWords(text: string): string[] {
  return normaliseSearchText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

/** Whether the message's word `word` is the keyword's word `keyword` (with an Arabic prefix). */
function sameWord(word: string, keyword: string, first: boolean): boolean {
  if (word === keyword) return true;
  if (!ARABIC_LETTER.test(keyword)) return false;
  // A keyword written with the article also matches the bare word ("المواعيد" ~ "مواعيد").
  const bases = keyword.startsWith('ال') && keyword.length > 3 ? [keyword, keyword.slice(2)] : [keyword];
  const prefixes = first ? ARABIC_PREFIXES : ['', 'ال'];
  return bases.some((base) => prefixes.some((prefix) => word === prefix + base));
}

/** Whether the message's words contain the keyword's words in a row. */
export function containsKeyword(words: readonly string[], keyword: string): boolean {
  const wanted = autoReplyWords(keyword);
  if (wanted.length === 0) return false;
  for (let start = 0; start + wanted.length <= words.length; start += 1) {
    if (wanted.every((part, offset) => sameWord(words[start + offset]!, part, offset === 0))) return true;
  }
  return false;
}

/**
 * The rule that answers a message, or null.
 * @param rules every rule, any order (the disabled and other channels' ones are skipped).
 * @param channelKey the message's channel key.
 * @returns the first enabled rule by position (then id) for the channel or every channel whose
 *   keyword the text contains.
 */
export function matchAutoReply(
  rules: readonly AutoReplyRule[],
  channelKey: string,
  text: string | null | undefined,
): AutoReplyRule | null {
  if (!text) return null;
  const words = autoReplyWords(text);
  if (words.length === 0) return null;
  const candidates = rules
    .filter((rule) => rule.enabled && (rule.channelKey === null || rule.channelKey === channelKey))
    .sort((a, b) => a.position - b.position || a.id.localeCompare(b.id));
  return candidates.find((rule) => rule.keywords.some((keyword) => containsKeyword(words, keyword))) ?? null;
}
