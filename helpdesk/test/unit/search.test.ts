/**
 * Search everywhere's pure rules: what a query asks for (number, phone, words) and the excerpt a
 * message hit shows; and the download names of attachments.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planSearch, searchSnippet } from '../../src/domain/search';
import { downloadFilename } from '../../src/use-cases/attachments/open-attachment';

describe('search: reading a query', () => {
  it('when a query starts with #, then only the ticket number is searched (Arabic-Indic digits too)', () => {
    assert.deepEqual(planSearch('#١٢٣', 'EG'), {
      ticketNumber: 123,
      phone: null,
      nameWords: [],
      messageWords: [],
    });
    assert.equal(planSearch('#abc', 'EG').ticketNumber, null);
  });

  it('when a phone is written nationally, internationally or with 00, then its E.164 form and digits are searched', () => {
    for (const query of [
      '0100 123 4567',
      '+20 100-123-4567',
      '٠١٠٠١٢٣٤٥٦٧',
      '00201001234567',
      '(0100) 123.4567',
    ]) {
      const plan = planSearch(query, 'EG');
      assert.equal(plan.phone?.e164, '+201001234567', query);
      assert.ok(plan.phone?.digits.includes('201001234567'), query);
      assert.deepEqual(plan.nameWords, [], query);
    }
    assert.equal(planSearch('4567', 'EG').ticketNumber, 4567);
    assert.deepEqual(planSearch('4567', 'EG').phone, { e164: null, digits: ['4567'] });
  });

  it('when words are typed, then names and messages are searched with the words folded', () => {
    const plan = planSearch('  أحمد   الصيدليّة ', 'EG');
    assert.deepEqual(plan.nameWords, ['احمد', 'الصيدليه']);
    assert.deepEqual(plan.messageWords, ['احمد', 'الصيدليه']);
    assert.equal(plan.phone, null);
    assert.deepEqual(
      planSearch('ab', 'EG').messageWords,
      [],
      'two letters are too few for the message index',
    );
  });
});

describe('search: the excerpt of a message hit', () => {
  it('when the message is short, then it is shown whole on one line', () => {
    assert.equal(searchSnippet('مرحبا\nهل الصيدلية مفتوحة؟', ['صيدليه']), 'مرحبا هل الصيدلية مفتوحة؟');
  });

  it('when the match is deep in a long message, then the excerpt shows it, cut at words, with ellipses', () => {
    const text = `${'كلام كثير '.repeat(40)}هل الصَّيدلية مفتوحة يوم الجمعة؟ ${'وبعدها كلام '.repeat(40)}`;
    const snippet = searchSnippet(text, ['الصيدليه']);
    assert.ok(snippet.length <= 162, String(snippet.length));
    assert.match(snippet, /^…/);
    assert.match(snippet, /…$/);
    assert.match(snippet, /الصَّيدلية مفتوحة/);
    const inner = snippet.slice(1, -1);
    assert.ok(text.includes(` ${inner} `), 'starts and ends at whole words');
  });
});

describe('attachments: download names', () => {
  it('when a voice note has no name, then it gets .ogg (not .oga, not the codecs parameter)', () => {
    assert.equal(
      downloadFilename(null, 'audio/ogg; codecs=opus', 'attachment-1a2b3c4d'),
      'attachment-1a2b3c4d.ogg',
    );
    assert.equal(downloadFilename(null, 'audio/mpeg', 'a'), 'a.mp3');
    assert.equal(downloadFilename(null, 'image/jpeg', 'a'), 'a.jpg');
    assert.equal(downloadFilename(null, 'application/x-unknown-thing', 'a'), 'a.bin');
  });

  it('when the sender named the file, then a fitting name is kept and a missing or wrong extension is added', () => {
    assert.equal(downloadFilename('روشتة مارس.pdf', 'application/pdf', 'a'), 'روشتة مارس.pdf');
    assert.equal(downloadFilename('Photo.JPEG', 'image/jpeg', 'a'), 'Photo.JPEG');
    assert.equal(downloadFilename('تقرير', 'application/pdf', 'a'), 'تقرير.pdf');
    assert.equal(downloadFilename('invoice.pdf', 'image/png', 'a'), 'invoice.pdf.png');
    assert.equal(downloadFilename('data.custom', 'application/octet-stream', 'a'), 'data.custom');
  });
});
