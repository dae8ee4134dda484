/**
 * The satisfaction survey's pure rules (domain/csat.ts): reading a rating from what customers
 * type, the question's list, and when to ask or take an answer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_BOT_TEXTS } from '../../src/domain/bot-texts';
import {
  awaitsCsatAnswer,
  buildCsatSurvey,
  CSAT_OPTION_IDS,
  decideCsatRequest,
  readCsatRating,
} from '../../src/domain/csat';

const HOUR = 3_600_000;

describe('readCsatRating', () => {
  const cases: Array<[string, { score: number; comment: string | null } | null]> = [
    ['4', { score: 4, comment: null }],
    [' 5 ', { score: 5, comment: null }],
    ['٤', { score: 4, comment: null }],
    ['۳', { score: 3, comment: null }],
    ['4 ⭐ good service', { score: 4, comment: 'good service' }],
    ['4⭐️ good service', { score: 4, comment: 'good service' }],
    ['٢ الخدمة بطيئة', { score: 2, comment: 'الخدمة بطيئة' }],
    ['5/5', { score: 5, comment: null }],
    ['3 stars', { score: 3, comment: null }],
    ['1 - nobody answered', { score: 1, comment: 'nobody answered' }],
    ['5 نجوم شكراً', { score: 5, comment: 'شكراً' }],
    ['⭐⭐⭐', { score: 3, comment: null }],
    ['0', null],
    ['6', null],
    ['45', null],
    ['4.5', null],
    ['thanks', null],
    ['', null],
    ['I have 2 more questions', null],
  ];
  for (const [text, expected] of cases) {
    it(`when the customer writes ${JSON.stringify(text)}, then ${expected ? `score ${expected.score}, comment ${JSON.stringify(expected.comment)}` : 'it is not a rating'}`, () => {
      assert.deepEqual(readCsatRating({ text }), expected);
    });
  }

  it('when the customer picks a row of the rating list, then its id gives the score without comment', () => {
    assert.deepEqual(readCsatRating({ menuChoice: 'csat_2', text: '2 ⭐ Fair' }), {
      score: 2,
      comment: null,
    });
  });

  it('when the list reply is a service menu row, then its text is read instead', () => {
    assert.equal(readCsatRating({ menuChoice: 'delivery', text: 'Delivery and branches' }), null);
  });

  it('when the comment is very long, then 1000 characters are kept', () => {
    assert.equal(readCsatRating({ text: `3 ${'a'.repeat(2000)}` })!.comment!.length, 1000);
  });
});

describe('buildCsatSurvey', () => {
  it('when built in Arabic, then five rows csat_1…csat_5 with the Arabic titles', () => {
    const menu = buildCsatSurvey(DEFAULT_BOT_TEXTS, 'ar');
    assert.deepEqual(
      menu.options.map((option) => option.id),
      [...CSAT_OPTION_IDS],
    );
    assert.equal(menu.body, DEFAULT_BOT_TEXTS.csatQuestion.ar);
    assert.equal(menu.options[4]!.title, '5 ⭐ ممتازة');
  });
});

describe('decideCsatRequest', () => {
  const now = new Date('2026-11-28T12:00:00Z');
  const base = {
    enabled: true,
    status: 'resolved',
    csatRequestedAt: null,
    provider: 'cloud',
    lastInboundAt: new Date(now.getTime() - HOUR),
    now,
  };

  it('when a Cloud API ticket is resolved an hour after the last message, then ask', () => {
    assert.deepEqual(decideCsatRequest(base), { ask: true });
  });

  it('when the last message is 25 hours old on the Cloud API, then skip: outside the window', () => {
    assert.deepEqual(decideCsatRequest({ ...base, lastInboundAt: new Date(now.getTime() - 25 * HOUR) }), {
      ask: false,
      reason: 'outside_customer_service_window',
    });
  });

  it('when the last message is 25 hours old on WPPConnect, then ask (no window)', () => {
    assert.deepEqual(
      decideCsatRequest({
        ...base,
        provider: 'wppconnect',
        lastInboundAt: new Date(now.getTime() - 25 * HOUR),
      }),
      { ask: true },
    );
  });

  it('when asked before, disabled or not resolved, then skip with that reason', () => {
    assert.deepEqual(decideCsatRequest({ ...base, csatRequestedAt: now }), {
      ask: false,
      reason: 'already_requested',
    });
    assert.deepEqual(decideCsatRequest({ ...base, enabled: false }), { ask: false, reason: 'disabled' });
    assert.deepEqual(decideCsatRequest({ ...base, status: 'closed' }), {
      ask: false,
      reason: 'not_resolved',
    });
  });
});

describe('awaitsCsatAnswer', () => {
  const now = new Date('2026-11-28T12:00:00Z');
  const asked = { status: 'resolved', csatRequestedAt: new Date(now.getTime() - HOUR), csatAnsweredAt: null };

  it('when asked an hour ago and not answered, then the answer is taken', () => {
    assert.equal(awaitsCsatAnswer(asked, now), true);
  });

  it('when asked 25 hours ago, answered already, reopened or never asked, then not', () => {
    assert.equal(
      awaitsCsatAnswer({ ...asked, csatRequestedAt: new Date(now.getTime() - 25 * HOUR) }, now),
      false,
    );
    assert.equal(awaitsCsatAnswer({ ...asked, csatAnsweredAt: now }, now), false);
    assert.equal(awaitsCsatAnswer({ ...asked, status: 'open' }, now), false);
    assert.equal(awaitsCsatAnswer({ ...asked, csatRequestedAt: null }, now), false);
  });
});
