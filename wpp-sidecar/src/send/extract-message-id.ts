/**
 * Find the WhatsApp message id in whatever `sendText`/`sendFile` resolved with. Seen shapes: a `Message`
 * (`{ id: "true_…@c.us_3EB0…" }`), `{ ack, id }` where `id` is a string or a `MsgKey`/`Id` object
 * (`{ _serialized }`), a bare string, and `undefined` (some versions; then the caller answers 502).
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/layers/sender.layer.js (`sendFile` returns `{ ack, id }`)
 */

/** @returns the serialized id, or null when the result carries none. Pure. */
export function extractMessageId(result: unknown): string | null {
  if (typeof result === 'string') return result.length > 0 ? result : null;
  if (!result || typeof result !== 'object') return null;
  const record = result as Record<string, unknown>;
  if (typeof record._serialized === 'string' && record._serialized) return record._serialized;
  for (const key of ['id', 'key', 'message', 'msg']) {
    const nested = record[key];
    if (nested !== undefined && nested !== result) {
      const found = extractMessageId(nested);
      if (found) return found;
    }
  }
  return null;
}
