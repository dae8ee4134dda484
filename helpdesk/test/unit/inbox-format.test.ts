/**
 * The inbox's numbers and waiting times (console/src/inbox/format.ts): Arabic-Indic digits and
 * Arabic units in Arabic, English units in English, and label chips whose words stay readable.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCount, formatWaited, textColorOn } from '../../console/src/inbox/format';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

describe('inbox formats', () => {
  it('when the customer waited under a minute, then there is no number (the console says "under a minute")', () => {
    assert.equal(formatWaited(ago(0.5), NOW, 'ar'), null);
    assert.equal(formatWaited(ago(0), NOW, 'en'), null);
  });

  it('when the customer waited minutes, hours or days, then Arabic shows Arabic-Indic digits and units', () => {
    assert.equal(formatWaited(ago(5), NOW, 'ar'), '٥ د');
    assert.equal(formatWaited(ago(5), NOW, 'en'), '5 mins');
    assert.equal(formatWaited(ago(3 * 60 + 20), NOW, 'ar'), '٣ س');
    assert.equal(formatWaited(ago(3 * 60 + 20), NOW, 'en'), '3 hrs');
    assert.equal(formatWaited(ago(47 * 60), NOW, 'en'), '47 hrs');
    assert.equal(formatWaited(ago(3 * 24 * 60), NOW, 'ar'), '٣ أيام');
    assert.equal(formatWaited(ago(3 * 24 * 60), NOW, 'en'), '3 days');
  });

  it('when a count is shown, then Arabic uses Arabic-Indic digits', () => {
    assert.equal(formatCount(12, 'ar'), '١٢');
    assert.equal(formatCount(12, 'en'), '12');
  });

  it('when a label has a light or dark colour, then its words are black or white', () => {
    assert.equal(textColorOn('#f4c430'), '#000000');
    assert.equal(textColorOn('#1f4e99'), '#ffffff');
    assert.equal(textColorOn('#ffffff'), '#000000');
    assert.equal(textColorOn('#000000'), '#ffffff');
    assert.equal(textColorOn('not a colour'), '#000000');
  });
});
