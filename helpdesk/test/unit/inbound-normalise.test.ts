/**
 * The edge's normalisation of inbound input (whatsapp/inbound-normalise.ts and the sidecar's
 * webhook schema): strings PostgreSQL can store, shortening instead of refusing, `raw` cleaned and
 * capped, and unreadable messages kept as `unknown` only when their id and sender can be read.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sidecarWebhookSchema } from '../../src/whatsapp/drivers/wppconnect';
import { cleanString, truncate, truncateFilename } from '@whatsapp-helpdesk/contract/normalise';
import { cleanRaw, RAW_MAX_ITEMS, RAW_MAX_JSON } from '../../src/whatsapp/inbound-normalise';
import { textEvent } from '../support/harness';

describe('inbound normalisation', () => {
  it('when a string holds NUL characters or lone surrogates, then NULs go and lone halves become U+FFFD', () => {
    assert.equal(cleanString('a\u0000b\u0000'), 'ab');
    assert.equal(cleanString('x\uD800y\uDC00z'), 'x\uFFFDy\uFFFDz');
    assert.equal(cleanString('emoji 😀 stays'), 'emoji 😀 stays');
  });

  it('when a string is cut, then it ends in an ellipsis, fits and never splits a surrogate pair', () => {
    assert.equal(truncate('abcdef', 4), 'abc…');
    const cut = truncate('ab😀cd', 4);
    assert.equal(cut, 'ab…');
    assert.ok(cut.length <= 4);
    assert.equal(truncate('short', 10), 'short');
  });

  it('when a file name is cut, then its extension stays', () => {
    const name = `${'ملف'.repeat(100)}.pdf`;
    const cut = truncateFilename(name, 255);
    assert.equal(cut.length, 255);
    assert.ok(cut.endsWith('….pdf'));
  });

  it('when raw holds vCard photos, thumbnails, long strings, NUL keys and deep nesting, then each is replaced by a marker', () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < 100; level += 1) deep = [deep];
    const vcard = [
      'BEGIN:VCARD',
      'FN:Hany',
      'PHOTO;ENCODING=b:AAAA',
      ' BBBB',
      ' CCCC',
      'TEL;waid=201001:+20 100',
      'END:VCARD',
    ].join('\r\n');
    const cleaned = cleanRaw({
      vcardList: [{ vcard }],
      jpegThumbnail: 'AAAA',
      thumb: `data:image/jpeg;base64,${'/9j/4AAQ'.repeat(200)}`,
      shortBase64: 'QUJD',
      body: 'Q'.repeat(20_000),
      'k\u0000ey': 'v\u0000',
      deep,
      list: Array.from({ length: RAW_MAX_ITEMS + 10 }, (_, index) => index),
    }) as Record<string, unknown>;
    assert.equal(
      (cleaned.vcardList as Array<{ vcard: string }>)[0]!.vcard,
      'BEGIN:VCARD\nFN:Hany\nTEL;waid=201001:+20 100\nEND:VCARD',
    );
    assert.equal(cleaned.jpegThumbnail, '[removed: preview bytes]');
    assert.equal(cleaned.thumb, '[removed: 1623 characters of base64]');
    assert.equal(cleaned.shortBase64, 'QUJD');
    assert.equal(cleaned.body, '[removed: 20000 characters]');
    assert.equal(cleaned.key, 'v');
    assert.match(JSON.stringify(cleaned.deep), /nested deeper than 32 levels/);
    assert.equal((cleaned.list as unknown[]).length, RAW_MAX_ITEMS + 1);
  });

  it('when raw is still too large after cleaning, then a summary replaces it; a __proto__ key stays plain data', () => {
    const big = Object.fromEntries(
      Array.from({ length: 200 }, (_, index) => [`k${index}`, 'x y '.repeat(2000)]),
    );
    const summary = cleanRaw(big) as { removed: string; keys: string[] };
    assert.match(summary.removed, new RegExp(`more than ${RAW_MAX_JSON}`));
    assert.equal(summary.keys.length, 50);
    const polluted = cleanRaw(JSON.parse('{"__proto__":{"polluted":true}}')) as Record<string, unknown>;
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.keys(polluted), ['__proto__']);
  });

  describe("the sidecar's webhook schema", () => {
    it('when a message has an odd field but an id and a sender, then it parses as unknown with a note', () => {
      const event = textEvent('+201001234567', 'hello');
      (event.message as { timestamp: string }).timestamp = 'yesterday';
      const parsed = sidecarWebhookSchema.parse(event);
      assert.equal(parsed.type, 'message');
      const message = (parsed as Extract<typeof parsed, { type: 'message' }>).message;
      assert.equal(message.type, 'unknown');
      assert.equal(message.text, 'hello');
      assert.match(message.note!, /timestamp: must be an ISO 8601 date-time/);
    });

    it('when the id or the sender cannot be read, then the issues name the fields', () => {
      const noId = textEvent('+201001234567', 'hello');
      (noId.message as { providerMessageId: unknown }).providerMessageId = 42;
      const refused = sidecarWebhookSchema.safeParse(noId);
      assert.equal(refused.success, false);
      assert.deepEqual(refused.error!.issues[0]!.path, ['message', 'providerMessageId']);
      const noSender = textEvent(null, 'hello');
      (noSender.message as { timestamp: string }).timestamp = 'yesterday';
      assert.equal(sidecarWebhookSchema.safeParse(noSender).success, false);
    });
  });
});
