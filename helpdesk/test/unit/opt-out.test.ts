/**
 * Opt-out words (domain/opt-out.ts): a message that is exactly an opt-out or opt-in word, folded
 * with the search text's Arabic normalisation and case-folding, and nothing else.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_OPT_OUT,
  optOutConfirmation,
  optOutRequest,
  parseOptOutWords,
} from '../../src/domain/opt-out';

describe('opt-out words', () => {
  it('when a message is exactly an opt-out word in any spelling or case, then it opts out', () => {
    for (const text of [
      'STOP',
      'stop',
      ' Stop! ',
      'إلغاء',
      'الغاء',
      'إلغَاء',
      'الغاء الاشتراك',
      'إلغاء  الإشتراك',
    ])
      assert.equal(optOutRequest(text, DEFAULT_OPT_OUT), 'out', text);
  });

  it('when a message is an opt-in word, then it opts in; anything else does neither', () => {
    for (const text of ['START', 'start', 'اشتراك', 'إشتراك'])
      assert.equal(optOutRequest(text, DEFAULT_OPT_OUT), 'in', text);
    for (const text of ['please stop my refills', 'stopp', 'إلغاء الطلب', '', null])
      assert.equal(optOutRequest(text, DEFAULT_OPT_OUT), null, String(text));
  });

  it('when the words are configured, then only those count', () => {
    const words = parseOptOutWords('UNSUBSCRIBE, وقف', 'SUBSCRIBE');
    assert.equal(optOutRequest('unsubscribe', words), 'out');
    assert.equal(optOutRequest('وقف', words), 'out');
    assert.equal(optOutRequest('STOP', words), null);
    assert.equal(optOutRequest('subscribe', words), 'in');
  });

  it('confirms in the customer language, Arabic by default', () => {
    assert.match(optOutConfirmation('out', null), /إلغاء اشتراكك/);
    assert.match(optOutConfirmation('out', 'en'), /START/);
    assert.match(optOutConfirmation('in', 'ar'), /اشتراكك/);
  });
});
