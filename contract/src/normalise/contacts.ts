/**
 * A shared contact as the API gives it in the message's `text` (type `contact`): vCards as the
 * customer's phone sent them (WPPConnect; RFC 6350 / 2426, several cards one after another), or one
 * line per card `Name: +20…, +20…` (the Cloud API driver). Pure: the console shows the cards, the
 * helpdesk names them in the inbox preview.
 */

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

function parseVcards(text: string): ContactCardData[] {
  // Folded lines (RFC 6350 3.2) continue with a leading space or tab.
  const lines = text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const cards: ContactCardData[] = [];
  let card: { fn: string | null; n: string | null; phones: string[] } | null = null;
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    // "item1.TEL;type=CELL;waid=2010…" → property TEL
    const property = line.slice(0, colon).split(';')[0]!.split('.').pop()!.toUpperCase();
    const value = unescape(line.slice(colon + 1).trim());
    if (property === 'BEGIN') card = { fn: null, n: null, phones: [] };
    else if (!card) continue;
    else if (property === 'FN') card.fn = value || null;
    else if (property === 'N')
      card.n = value.split(';').slice(0, 2).reverse().filter(Boolean).join(' ') || null;
    else if (property === 'TEL' && value) card.phones.push(value.replace(/^tel:/i, ''));
    else if (property === 'END') {
      cards.push({ name: card.fn ?? card.n, phones: card.phones });
      card = null;
    }
  }
  return cards;
}

function unescape(value: string): string {
  return value.replace(/\\([,;nN\\])/g, (_, char: string) => (char === 'n' || char === 'N' ? ' ' : char));
}
