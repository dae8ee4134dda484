import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readMenuChoice, toAsciiDigits } from '../../src/domain/menu-choice';
import { DEFAULT_BOT_TEXTS, menuOptionIds } from '../../src/domain/bot-texts';

const OPTIONS = menuOptionIds(DEFAULT_BOT_TEXTS);

describe('readMenuChoice', () => {
  it('when the default menu is read, then its options are in display order', () => {
    assert.deepEqual(OPTIONS, ['prescription_refill', 'order_status', 'pharmacist', 'delivery', 'other']);
  });

  it('when the customer sends "2", then the second option is chosen', () => {
    assert.equal(readMenuChoice(OPTIONS, { text: '2' }), 'order_status');
  });

  it('when the customer sends the Arabic-Indic digit "٢", then the second option is chosen', () => {
    assert.equal(readMenuChoice(OPTIONS, { text: '٢' }), 'order_status');
  });

  it('when the customer sends the Persian digit "۴", then the fourth option is chosen', () => {
    assert.equal(readMenuChoice(OPTIONS, { text: '۴' }), 'delivery');
  });

  it('when the number has spaces or a trailing "." or ")", then it is still read', () => {
    assert.equal(readMenuChoice(OPTIONS, { text: ' 3. ' }), 'pharmacist');
    assert.equal(readMenuChoice(OPTIONS, { text: '5)' }), 'other');
    assert.equal(readMenuChoice(OPTIONS, { text: '١ ' }), 'prescription_refill');
  });

  it('when the number is 0 or beyond the last option, then there is no choice', () => {
    assert.equal(readMenuChoice(OPTIONS, { text: '0' }), null);
    assert.equal(readMenuChoice(OPTIONS, { text: '6' }), null);
    assert.equal(readMenuChoice(OPTIONS, { text: '٩' }), null);
  });

  it('when the message is words, a number inside a sentence, or empty, then there is no choice', () => {
    assert.equal(readMenuChoice(OPTIONS, { text: 'two' }), null);
    assert.equal(readMenuChoice(OPTIONS, { text: 'option 2 please' }), null);
    assert.equal(readMenuChoice(OPTIONS, { text: '2 please' }), null);
    assert.equal(readMenuChoice(OPTIONS, { text: '12345' }), null);
    assert.equal(readMenuChoice(OPTIONS, { text: '' }), null);
    assert.equal(readMenuChoice(OPTIONS, { text: null }), null);
    assert.equal(readMenuChoice(OPTIONS, {}), null);
  });

  it('when an interactive list row id is a menu option, then that option is chosen', () => {
    assert.equal(
      readMenuChoice(OPTIONS, { menuChoice: 'pharmacist', text: 'Talk to a pharmacist' }),
      'pharmacist',
    );
  });

  it('when an interactive row id is unknown, then the text is read instead', () => {
    assert.equal(readMenuChoice(OPTIONS, { menuChoice: 'stale_option', text: '1' }), 'prescription_refill');
    assert.equal(readMenuChoice(OPTIONS, { menuChoice: 'stale_option', text: 'hello' }), null);
  });

  it('when a menu has ten options, then "١٠" chooses the tenth', () => {
    const ten = Array.from({ length: 10 }, (_, index) => `option_${index + 1}`);
    assert.equal(readMenuChoice(ten, { text: '١٠' }), 'option_10');
    assert.equal(readMenuChoice(ten, { text: '10' }), 'option_10');
  });
});

describe('toAsciiDigits', () => {
  it('when text holds Arabic-Indic and Persian digits, then they become ASCII digits and the rest is kept', () => {
    assert.equal(toAsciiDigits('٠١٢٣٤٥٦٧٨٩'), '0123456789');
    assert.equal(toAsciiDigits('۰۱۲۳۴۵۶۷۸۹'), '0123456789');
    assert.equal(toAsciiDigits('رقم ٣ please'), 'رقم 3 please');
  });
});
