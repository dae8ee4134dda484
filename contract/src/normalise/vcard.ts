/**
 * vCards without their embedded binaries (RFC 6350 / 2426): a contact share of a dozen cards with
 * photos is hundreds of kilobytes of base64 that nobody reads. The sidecar applies it to a contact
 * message's text and `raw`, the helpdesk to every vCard in `raw` (whichever provider sent it).
 */

/** A property line carrying a binary (`PHOTO`, `LOGO`, `SOUND`, `KEY`), optionally grouped (`item1.PHOTO`). */
const BINARY_LINE = /^(?:[A-Za-z0-9-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]/i;
const MAY_HOLD_BINARY = /(?:PHOTO|LOGO|SOUND|KEY)[;:]/i;

/**
 * @param vcard vCard text; folded lines (RFC 6350 3.2) start with a space or a tab.
 * @returns the vCard without its binary properties and their folded continuation lines, lines joined
 *   by `\n`; unchanged (line endings included) when it has no such property.
 */
export function stripVcardBinaries(vcard: string): string {
  if (!MAY_HOLD_BINARY.test(vcard)) return vcard;
  const kept: string[] = [];
  let skipping = false;
  for (const line of vcard.split(/\r?\n/)) {
    if (skipping && (line.startsWith(' ') || line.startsWith('\t'))) continue;
    skipping = BINARY_LINE.test(line);
    if (!skipping) kept.push(line);
  }
  return kept.join('\n');
}
