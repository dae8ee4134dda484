/**
 * Reading a customer's answer to the service menu.
 */

const DIGIT_OFFSETS = [0x0660, 0x06f0]; // Arabic-Indic and Extended Arabic-Indic (Persian) digits

/** Replaces Arabic-Indic and Persian digits with ASCII ones: "٢" → "2". */
export function toAsciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (digit) => {
    const code = digit.charCodeAt(0);
    const offset = DIGIT_OFFSETS.find((base) => code >= base && code <= base + 9)!;
    return String(code - offset);
  });
}

/**
 * Finds the menu option a message chose.
 * @param options the menu's option ids in display order (option n is `options[n-1]`).
 * @param reply the message: `menuChoice` (an interactive reply's row id) or its `text` ("2", "٢", " 2. ").
 * @returns the chosen option id, or null when the message is not a valid choice.
 */
export function readMenuChoice(
  options: readonly string[],
  reply: { menuChoice?: string | null; text?: string | null },
): string | null {
  if (reply.menuChoice && options.includes(reply.menuChoice)) return reply.menuChoice;
  const text = toAsciiDigits(reply.text ?? '').trim();
  const match = /^(\d{1,2})\s*[.)-]?$/.exec(text);
  if (!match) return null;
  return options[Number(match[1]) - 1] ?? null;
}
