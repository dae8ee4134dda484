/**
 * Reading WhatsApp Web's ids as they reach the sidecar (pure). Message keys and user ids cross
 * Puppeteer's binding as JSON (puppeteer-core `Binding`: the page `JSON.stringify`s the arguments), so
 * a wa-js `Wid` arrives as its string (`Wid.toJSON()`), and a `MsgKey` either as its `_serialized`
 * string or as an object `{ fromMe, remote, id, participant?, _serialized }`; WAPI's serialized
 * messages already hold strings.
 * @see node_modules/@wppconnect/wa-js/dist/whatsapp/misc/Wid.d.ts (`toJSON`), MsgKey.d.ts
 * @see node_modules/puppeteer-core/lib/cjs/puppeteer/cdp/utils.js (the binding's `JSON.stringify`)
 */

/** A Wid as a string (`2010…@c.us`, `…@lid`, `…@g.us`), or null. */
export function widString(value: unknown): string | null {
  if (typeof value === 'string') return value || null;
  if (value && typeof value === 'object') {
    const serialized = (value as { _serialized?: unknown })._serialized;
    if (typeof serialized === 'string' && serialized) return serialized;
    const { user, server } = value as { user?: unknown; server?: unknown };
    if (typeof user === 'string' && typeof server === 'string') return `${user}@${server}`;
  }
  return null;
}

/** A message key as its serialized form `<fromMe>_<chat>_<id>[_<participant>]`, or null. */
export function serializedMessageId(value: unknown): string | null {
  if (typeof value === 'string') return value || null;
  if (!value || typeof value !== 'object') return null;
  const key = value as {
    _serialized?: unknown;
    fromMe?: unknown;
    remote?: unknown;
    id?: unknown;
    participant?: unknown;
  };
  if (typeof key._serialized === 'string' && key._serialized) return key._serialized;
  const remote = widString(key.remote);
  if (typeof key.fromMe !== 'boolean' || !remote || typeof key.id !== 'string' || !key.id) return null;
  const participant = widString(key.participant);
  return `${key.fromMe}_${remote}_${key.id}${participant ? `_${participant}` : ''}`;
}

/** The parts of a serialized message id; null when it is not one. */
export function parseMessageId(
  id: string,
): { fromMe: boolean; chat: string; id: string; participant: string | null } | null {
  const match = /^(true|false)_([^_]+)_([^_]+)(?:_(.+))?$/.exec(id);
  if (!match) return null;
  return { fromMe: match[1] === 'true', chat: match[2]!, id: match[3]!, participant: match[4] ?? null };
}

/**
 * A participant as the helpdesk gets it: E.164 (`+<digits>`) for a phone id (`…@c.us`,
 * `…@s.whatsapp.net`), the id itself for a `…@lid` (no phone is derived from a lid), else null.
 */
export function participantOf(id: unknown): string | null {
  const wid = widString(id);
  if (!wid) return null;
  const phone = /^(\d{5,20})(?::\d+)?@(?:c\.us|s\.whatsapp\.net)$/.exec(wid);
  if (phone) return `+${phone[1]}`;
  return /@lid$/.test(wid) ? wid : null;
}

/** Whether a Wid is a `…@lid` id. */
export function isLidId(id: string | null): boolean {
  return typeof id === 'string' && id.endsWith('@lid');
}

/** Milliseconds since the epoch from a WhatsApp time in seconds (or already in ms); null when absent or absurd. */
export function whatsappTimeMs(value: unknown): number | null {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0) return null;
  // Seconds until the year 33658; anything larger is already milliseconds.
  const ms = number < 1e12 ? number * 1000 : number;
  return ms <= Date.UTC(9999, 11, 31, 23, 59, 59) ? Math.round(ms) : null;
}
