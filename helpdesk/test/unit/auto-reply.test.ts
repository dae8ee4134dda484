/**
 * Auto-reply matching (domain/auto-reply.ts): Arabic folding, whole words with the article and
 * one-letter prefixes, the first enabled rule by position for the channel or every channel.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchAutoReply, type AutoReplyRule } from '../../src/domain/auto-reply';

function rule(id: string, keywords: string[], extra: Partial<AutoReplyRule> = {}): AutoReplyRule {
  return { id, channelKey: null, keywords, reply: { ar: id, en: id }, enabled: true, position: 0, ...extra };
}

const HOURS = rule('hours', ['مواعيد', 'opening hours'], { position: 1 });
const ADDRESS = rule('address', ['عنوان'], { position: 2 });

describe('auto-reply matching', () => {
  it('matches a keyword as a whole word, with the article and a prefix', () => {
    for (const text of [
      'ايه المواعيد؟',
      'المواعيد',
      'مواعيد العمل',
      'وبالمواعيد',
      'What are your Opening Hours?',
    ]) {
      assert.equal(matchAutoReply([HOURS, ADDRESS], 'main', text)?.id, 'hours', text);
    }
    assert.equal(matchAutoReply([HOURS, ADDRESS], 'main', 'العنوان فين')?.id, 'address');
  });

  it('does not match part of a word', () => {
    for (const text of ['مواعيدكم', 'عناوين', 'hours', 'opening', 'openinghours', '', null]) {
      assert.equal(matchAutoReply([HOURS, ADDRESS], 'main', text), null, String(text));
    }
  });

  it('folds Arabic spelling: hamza and madda alef, taa marbuta, alef maqsura, harakat, tatweel', () => {
    const rules = [
      rule('pharmacy', ['صيدلية']),
      rule('delivery', ['توصيل أسرع'], { position: 1 }),
      rule('hospital', ['مستشفى'], { position: 2 }),
    ];
    assert.equal(matchAutoReply(rules, 'main', 'فين الصيدليه')?.id, 'pharmacy');
    assert.equal(matchAutoReply(rules, 'main', 'عايز توصيل اسرع')?.id, 'delivery');
    assert.equal(matchAutoReply(rules, 'main', 'توصيـــل إسرع')?.id, 'delivery');
    assert.equal(matchAutoReply(rules, 'main', 'تَوْصِيل آسرع')?.id, 'delivery');
    assert.equal(matchAutoReply(rules, 'main', 'اقرب مستشفي')?.id, 'hospital');
    assert.equal(matchAutoReply([rule('hours', ['المواعيد'])], 'main', 'مواعيد؟')?.id, 'hours');
  });

  it('takes the first enabled rule by position, skipping disabled ones', () => {
    const rules = [
      rule('late', ['مواعيد'], { position: 5 }),
      rule('early', ['مواعيد'], { position: 1 }),
      rule('off', ['مواعيد'], { position: 0, enabled: false }),
    ];
    assert.equal(matchAutoReply(rules, 'main', 'المواعيد')?.id, 'early');
  });

  it('applies a channel rule to its channel only, ordered with global rules by position', () => {
    const rules = [
      rule('global', ['مواعيد'], { position: 2 }),
      rule('branch', ['مواعيد'], { position: 1, channelKey: 'branch' }),
      rule('other', ['مواعيد'], { position: 0, channelKey: 'other' }),
    ];
    assert.equal(matchAutoReply(rules, 'branch', 'المواعيد')?.id, 'branch');
    assert.equal(matchAutoReply(rules, 'main', 'المواعيد')?.id, 'global');
    const globalFirst = [{ ...rules[0]!, position: 0 }, rules[1]!];
    assert.equal(matchAutoReply(globalFirst, 'branch', 'المواعيد')?.id, 'global');
  });
});
