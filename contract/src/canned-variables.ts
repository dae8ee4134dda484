/**
 * Canned responses' variables and shortcuts, pure and without zod so that the console bundles it
 * (`@whatsapp-helpdesk/contract/canned-variables`): `renderCannedResponse` fills
 * `{{customer.name}}`, `{{agent.name}}` and `{{ticket.number}}`; `normaliseCannedShortcut` turns
 * what an agent typed into the stored form of a shortcut.
 */

/** The variables a canned response may hold, as written between double braces. */
export const CANNED_VARIABLES = ['customer.name', 'agent.name', 'ticket.number'] as const;
export type CannedVariable = (typeof CANNED_VARIABLES)[number];

/** What fills the variables; a missing or blank value renders as nothing. */
export interface CannedValues {
  customer?: { name?: string | null } | null;
  agent?: { name?: string | null } | null;
  ticket?: { number?: number | string | null } | null;
}

const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}/g;
// Stands in for a variable that rendered empty until the spaces around it are tidied.
const EMPTY = '\uE000';

/**
 * Fills a canned response's variables.
 * @param body the stored text, e.g. `مرحبا {{ customer.name }}، معك {{agent.name}}`.
 * @param values the customer, agent and ticket (a ticket number renders in 0–9 digits).
 * @returns the text to put in the reply box. Rules: spaces inside the braces are ignored; an
 *   unknown variable (`{{order.id}}`) is left as written; a known one without a value (a customer
 *   with no name) renders as nothing and takes the space before it along when a space,
 *   punctuation or the end of the line follows (`Hi {{customer.name}}, …` → `Hi, …`,
 *   `Hi {{customer.name}} and` → `Hi and`), or the spaces after it at the start of a line.
 */
export function renderCannedResponse(body: string, values: CannedValues): string {
  let emptied = false;
  const filled = body.replace(VARIABLE, (whole, name: string) => {
    const value = lookup(name, values);
    if (value === undefined) return whole;
    if (value.trim() === '') {
      emptied = true;
      return EMPTY;
    }
    return value;
  });
  if (!emptied) return filled;
  return filled
    .replace(/(^|\n)\uE000[ \t\u00a0]*/g, '$1')
    .replace(/[ \t\u00a0]*\uE000(?=[ \t\u00a0]|[\r\n]|$|[,.!?;:،؛؟)\]])/g, '')
    .replaceAll(EMPTY, '');
}

/** A known variable's value ('' when missing), or undefined for an unknown variable. */
function lookup(name: string, values: CannedValues): string | undefined {
  switch (name as CannedVariable) {
    case 'customer.name':
      return values.customer?.name ?? '';
    case 'agent.name':
      return values.agent?.name ?? '';
    case 'ticket.number': {
      const number = values.ticket?.number;
      return number === null || number === undefined ? '' : String(number);
    }
    default:
      return undefined;
  }
}

/**
 * A stored shortcut: 1–32 of lowercase a–z, 0–9, `_`, `-` and Arabic letters (U+0621–U+064A).
 */
export const CANNED_SHORTCUT_PATTERN = /^[a-z0-9_\-\u0621-\u064a]{1,32}$/;

/**
 * Turns a typed shortcut into its stored form: trimmed, without a leading `/`, lower-cased, with
 * Arabic-Indic and Persian digits as 0–9. The result still has to match CANNED_SHORTCUT_PATTERN.
 */
export function normaliseCannedShortcut(value: string): string {
  return value
    .trim()
    .replace(/^\//, '')
    .toLowerCase()
    .replace(/[\u0660-\u0669]/g, (digit) => String(digit.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (digit) => String(digit.charCodeAt(0) - 0x06f0));
}
