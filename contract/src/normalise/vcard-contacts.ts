/**
 * Shared contacts read from their vCards (RFC 6350 / 2426) with ical.js, a maintained parser of
 * iCalendar and vCard (Mozilla's; `ICAL.parse` returns jCard, RFC 7095): the name (FN, else N), the
 * organisation (ORG), and the phone numbers, where WhatsApp's `TEL;waid=<digits>` parameter is the
 * number's WhatsApp id and `itemN.X-ABLabel` the label the phone gave it. A card ical.js refuses
 * (vCard 2.1's bare `TEL;CELL:` parameters are rewritten first; anything else odd) is read line by
 * line instead, so a contact is never lost. Each card keeps its vCard text, binaries (photos) removed.
 * Pure; used by the sidecar for WPPConnect's `vcard` / `multi_vcard` messages.
 */
import ICAL from 'ical.js';
import { FIELD_LIMITS } from '../sidecar-events/field-limits';
import { cleanString, truncate } from './text';
import { stripVcardBinaries } from './vcard';
import {
  readVcardLines,
  splitVcards,
  structuredName,
  textOf,
  type VcardFields,
  type VcardPhone,
} from './vcard-lines';

/** One phone number of a card: `number` as written, `waId` its WhatsApp number (digits), `type` its TYPE or label. */
export type SharedContactPhone = VcardPhone;

/** One shared contact, every field fitted to the contract's FIELD_LIMITS. */
export interface SharedContact {
  name: string | null;
  org: string | null;
  phones: SharedContactPhone[];
  /** The card's vCard text without binaries, ≤ FIELD_LIMITS.vcard characters. */
  vcard: string;
}

/**
 * @param vcards one text holding one or more vCards (WPPConnect `vcard`: the message's `body`), or
 *   several (`multi_vcard`: each `vcardList[].vcard`); `displayNames` the names WhatsApp shows for
 *   them in the same order (`vcardList[].displayName`), used when a card has neither FN nor N.
 * @returns the cards found, at most FIELD_LIMITS.contacts, each with at most
 *   FIELD_LIMITS.contactPhones numbers; an empty list when no card could be found.
 */
export function parseVcardContacts(
  vcards: string | readonly string[],
  displayNames: ReadonlyArray<string | null | undefined> = [],
): SharedContact[] {
  const texts = typeof vcards === 'string' ? [vcards] : vcards;
  const cards: Array<{ text: string; displayName: string | null }> = [];
  texts.forEach((text, index) => {
    if (typeof text !== 'string') return;
    const found = splitVcards(stripVcardBinaries(text));
    for (const card of found) cards.push({ text: card, displayName: displayNames[index] ?? null });
  });
  return cards.slice(0, FIELD_LIMITS.contacts).map(({ text, displayName }) => {
    const read = readWithIcal(text) ?? readVcardLines(text);
    return {
      name: fitted(read.name ?? displayName, FIELD_LIMITS.name),
      org: fitted(read.org, FIELD_LIMITS.name),
      phones: read.phones.slice(0, FIELD_LIMITS.contactPhones).map((phone) => ({
        number: truncate(cleanString(phone.number), FIELD_LIMITS.phone * 2),
        waId: waIdOf(phone.waId),
        type: fitted(phone.type, FIELD_LIMITS.name),
      })),
      vcard: truncate(cleanString(text), FIELD_LIMITS.vcard),
    };
  });
}

type ReadCard = VcardFields;

/** jCard property: [name, parameters, value type, ...values]. */
type JCardProperty = [string, Record<string, unknown>, string, ...unknown[]];

function readWithIcal(card: string): ReadCard | null {
  let parsed: unknown;
  try {
    parsed = ICAL.parse(withNamedParameters(card));
  } catch {
    return null;
  }
  // One card gives ["vcard", properties, components]; several, an array of those.
  const component = Array.isArray(parsed) && parsed[0] === 'vcard' ? parsed : (parsed as unknown[])?.[0];
  if (!Array.isArray(component) || !Array.isArray(component[1])) return null;
  const properties = component[1] as JCardProperty[];
  const labels = new Map<string, string>();
  for (const [name, parameters, , value] of properties) {
    if (name === 'x-ablabel' && typeof parameters.group === 'string' && typeof value === 'string') {
      labels.set(parameters.group, value);
    }
  }
  let fn: string | null = null;
  let n: string | null = null;
  let org: string | null = null;
  const phones: SharedContactPhone[] = [];
  for (const [name, parameters, , ...values] of properties) {
    const first = values[0];
    if (name === 'fn') fn ??= textOf(first);
    else if (name === 'n') n ??= structuredName(first);
    else if (name === 'org') org ??= textOf(Array.isArray(first) ? first.filter(Boolean).join(', ') : first);
    else if (name === 'tel') {
      const number = textOf(first)?.replace(/^tel:/i, '') ?? null;
      if (number === null) continue;
      const group = typeof parameters.group === 'string' ? parameters.group : null;
      phones.push({
        number,
        waId: parameterText(parameters.waid),
        type: parameterText(parameters.type) ?? (group ? (labels.get(group) ?? null) : null),
      });
    }
  }
  return { name: fn ?? n, org, phones };
}

/**
 * vCard 2.1 writes bare parameters (`TEL;CELL;VOICE:`), which ical.js refuses: name them `TYPE=`.
 * Only the parameter part (before the first `:`) of each unfolded line is touched.
 */
function withNamedParameters(card: string): string {
  return card
    .replace(/\r?\n[ \t]/g, '')
    .split(/\r?\n/)
    .map((line) => {
      const colon = line.indexOf(':');
      if (colon < 0) return line;
      const [property, ...parameters] = line.slice(0, colon).split(';');
      if (parameters.length === 0) return line;
      const named = parameters.map((parameter) =>
        parameter.includes('=') ? parameter : `TYPE=${parameter}`,
      );
      return `${[property, ...named].join(';')}${line.slice(colon)}`;
    })
    .join('\r\n');
}

function parameterText(value: unknown): string | null {
  if (Array.isArray(value)) return textOf(value.filter((item) => typeof item === 'string').join(','));
  return textOf(value);
}

/** Digits of a `waid` parameter, null when none or longer than a phone number can be. */
function waIdOf(value: string | null): string | null {
  const digits = (value ?? '').replace(/\D/g, '');
  return digits.length > 0 && digits.length <= FIELD_LIMITS.phone ? digits : null;
}

function fitted(value: string | null, max: number): string | null {
  const text = textOf(value);
  return text === null ? null : truncate(text, max);
}
