/**
 * Search text folding (pure, no dependencies): what a searcher types and what is stored are folded
 * alike, so spelling variants of Arabic match and Latin ignores case. The helpdesk's database
 * applies the same rules in its SQL function `search_normalise` (migration
 * 20261128140000_search), which its message and customer-name indexes are built on; the two must
 * stay in step (helpdesk/test/integration/search-text.test.ts compares them).
 *
 * - alef with hamza or madda, and alef wasla (أ إ آ ٱ) → bare alef ا
 * - taa marbuta ة → haa ه; alef maqsura ى → yaa ي
 * - harakat and tanween (U+064B–U+0652), the superscript alef (U+0670) and tatweel (U+0640) removed
 * - Arabic-Indic and Persian digits → ASCII digits
 * - lower case
 */

const FOLDED: Readonly<Record<string, string>> = {
  أ: 'ا',
  إ: 'ا',
  آ: 'ا',
  ٱ: 'ا',
  ة: 'ه',
  ى: 'ي',
};

const FOLDABLE = /[\u0622\u0623\u0625\u0671\u0629\u0649]/g;
const REMOVED = /[\u064b-\u0652\u0670\u0640]/g;
const EASTERN_DIGITS = /[\u0660-\u0669\u06f0-\u06f9]/g;

/**
 * @param value any text (a query, a message, a name).
 * @returns the folded text: same length or shorter; whitespace kept as written.
 */
export function normaliseSearchText(value: string): string {
  return value
    .replace(REMOVED, '')
    .replace(FOLDABLE, (char) => FOLDED[char] ?? char)
    .replace(EASTERN_DIGITS, (digit) => {
      const code = digit.charCodeAt(0);
      return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
    })
    .toLowerCase();
}
