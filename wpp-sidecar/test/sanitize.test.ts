/**
 * The pure shaping functions behind the inbound normalisation: cutting without splitting characters,
 * vCard photos, ids that must stay unique, and `raw` bounded and JSON-safe.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cleanString,
  stripVcardBinaries,
  truncate,
  truncateFilename,
} from '@whatsapp-helpdesk/contract/normalise';
import { fitId, RAW_MARKERS, sanitizeRaw } from '../src/events/sanitize';
import { vcardWithPhoto } from './wpp-fixtures';

describe('sanitize', () => {
  it('when a string has NUL characters or lone surrogates, then NUL is removed and lone halves become U+FFFD', () => {
    assert.equal(cleanString('a\u0000b\u0000'), 'ab');
    assert.equal(cleanString('x\uD83Dy'), 'x\uFFFDy');
    assert.equal(cleanString('x\uDE00'), 'x\uFFFD');
    assert.equal(cleanString('ok 😀'), 'ok 😀');
  });

  it('when a string is cut in the middle of an emoji, then the emoji is left out whole', () => {
    const cut = truncate('ab😀cd', 4);
    assert.equal(cut, 'ab…');
    assert.equal(cleanString(cut), cut, 'no lone surrogate');
    assert.equal(truncate('short', 10), 'short');
  });

  it('when a filename is too long, then it is cut to the limit keeping the extension', () => {
    const name = `${'ملف'.repeat(100)}.docx`;
    const cut = truncateFilename(name, 255);
    assert.equal(cut.length, 255);
    assert.ok(cut.endsWith('….docx'));
    assert.equal(truncateFilename('a.pdf', 255), 'a.pdf');
  });

  it('when ids are too long, then each maps to a stable id of the limit, different for different ids', () => {
    const a = `false_${'1'.repeat(300)}@c.us_A`;
    const b = `false_${'1'.repeat(300)}@c.us_B`;
    assert.equal(fitId(a, 256).length, 256);
    assert.equal(fitId(a, 256), fitId(a, 256));
    assert.notEqual(fitId(a, 256), fitId(b, 256));
    assert.equal(fitId('short', 256), 'short');
  });

  it('when a vCard carries a folded base64 PHOTO, then the photo lines go and the rest stays', () => {
    const card = vcardWithPhoto('Ahmed', '201112223334', 5000);
    const stripped = stripVcardBinaries(card);
    assert.doesNotMatch(stripped, /PHOTO/);
    assert.ok(stripped.length < 200, `${stripped.length} characters`);
    assert.match(stripped, /^BEGIN:VCARD\nVERSION:3\.0\nN:;Ahmed;;;\nFN:Ahmed\nitem1\.TEL;waid=201112223334/);
    assert.match(stripped, /END:VCARD$/);
  });

  it('when raw has thumbnails, deep nesting, odd values and a "__proto__" key, then the copy is bounded and JSON-safe', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 100; i++) deep = { next: deep };
    const input = JSON.parse(
      '{"__proto__": {"polluted": true}, "jpegThumbnail": "' + 'A'.repeat(1000) + '", "isPhoto": false}',
    ) as Record<string, unknown>;
    Object.assign(input, {
      deep,
      mediaData: { type: 'image', mediaStage: 'RESOLVED' },
      big: 1n,
      nan: Number.NaN,
      fn: () => 1,
      bytes: Buffer.alloc(10),
      list: Array.from({ length: 300 }, (_, i) => i),
      long: 'x'.repeat(10_000),
    });
    const raw = sanitizeRaw(input) as Record<string, unknown>;
    assert.equal(raw.jpegThumbnail, RAW_MARKERS.stripped(1000));
    assert.equal(raw.mediaData, RAW_MARKERS.strippedObject);
    assert.equal(raw.isPhoto, false);
    assert.equal(raw.big, '1');
    assert.equal(raw.nan, null);
    assert.ok(!('fn' in raw));
    assert.equal(raw.bytes, RAW_MARKERS.binary(10));
    assert.equal((raw.list as unknown[]).length, 257);
    assert.equal((raw.list as unknown[])[256], RAW_MARKERS.moreItems(44));
    assert.ok((raw.long as string).length <= 4096);
    assert.equal(
      Object.getPrototypeOf(raw),
      Object.prototype,
      'the "__proto__" key did not become a prototype',
    );
    assert.deepEqual(Object.getOwnPropertyDescriptor(raw, '__proto__')?.value, { polluted: true });
    assert.match(JSON.stringify(raw), /\[nested too deep\]/);
  });
});
