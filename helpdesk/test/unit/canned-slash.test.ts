/**
 * The reply box's `/shortcut` trigger (console/src/thread/canned/slash.ts): where a slash word
 * starts, which canned responses match it and in what order, and the text after inserting one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CannedResponse } from '@whatsapp-helpdesk/contract/api';
import {
  findSlashQuery,
  matchCannedResponses,
  replaceSlashQuery,
  shortcutDirection,
} from '../../console/src/thread/canned/slash';

function canned(shortcut: string, title: string, extra: Partial<CannedResponse> = {}): CannedResponse {
  return {
    id: `00000000-0000-4000-8000-${String(shortcut.length).padStart(12, '0')}`,
    shortcut,
    title,
    body: `${title} body`,
    language: null,
    scope: 'shared',
    ownerId: null,
    createdAt: '2026-11-28T12:00:00.000Z',
    updatedAt: '2026-11-28T12:00:00.000Z',
    ...extra,
  };
}

describe('findSlashQuery', () => {
  it('when a slash starts the text or a word, then what follows it up to the caret is the query', () => {
    assert.deepEqual(findSlashQuery('/gr', 3), { start: 0, query: 'gr' });
    assert.deepEqual(findSlashQuery('Hello /th', 9), { start: 6, query: 'th' });
    assert.deepEqual(findSlashQuery('سطر\n/مر', 7), { start: 4, query: 'مر' });
    assert.deepEqual(findSlashQuery('/', 1), { start: 0, query: '' });
    assert.deepEqual(findSlashQuery('/greet rest', 3), { start: 0, query: 'gr' }, 'up to the caret');
  });

  it('when the slash is inside a word or the word has ended, then there is no query', () => {
    assert.equal(findSlashQuery('and/or', 6), null);
    assert.equal(findSlashQuery('http://x', 8), null);
    assert.equal(findSlashQuery('/greet ', 7), null);
    assert.equal(findSlashQuery('plain', 5), null);
    assert.equal(findSlashQuery('', 0), null);
  });
});

describe('matchCannedResponses', () => {
  const items = [
    canned('thanks', 'Thank you'),
    canned('greet', 'ترحيب', { language: 'ar' }),
    canned('greet_en', 'Greeting', { language: 'en' }),
    canned('hours', 'مواعيد العمل'),
    canned('agreement', 'Agreement'),
  ];

  it('when two letters are typed, then shortcuts starting with them come first, then those containing them', () => {
    assert.deepEqual(
      matchCannedResponses(items, 'gr', null).map((item) => item.shortcut),
      ['greet', 'greet_en', 'agreement'],
    );
  });

  it('when the ticket is in English, then English and any-language responses come before Arabic ones', () => {
    assert.deepEqual(
      matchCannedResponses(items, 'gr', 'en').map((item) => item.shortcut),
      ['greet_en', 'greet', 'agreement'],
    );
  });

  it('when the query matches a title, capitals or Arabic-Indic digits, then it still finds them', () => {
    assert.deepEqual(
      matchCannedResponses(items, 'مواعيد', null).map((item) => item.shortcut),
      ['hours'],
    );
    assert.deepEqual(
      matchCannedResponses(items, 'TH', null).map((item) => item.shortcut),
      ['thanks'],
    );
    assert.equal(matchCannedResponses(items, '', null).length, items.length, 'a bare slash lists all');
    assert.equal(matchCannedResponses(items, 'zz', null).length, 0);
    assert.equal(matchCannedResponses(items, '', null, 2).length, 2, 'at most the limit');
  });
});

describe('replaceSlashQuery', () => {
  it('when a response is inserted, then the slash word is replaced and the caret follows the text', () => {
    const text = 'Hello /gr and more';
    assert.deepEqual(replaceSlashQuery(text, { start: 6, query: 'gr' }, 9, 'مرحبا سلمى'), {
      text: 'Hello مرحبا سلمى and more',
      caret: 16,
    });
  });
});

describe('shortcutDirection', () => {
  it('when a shortcut is Arabic, then it reads right to left; else left to right', () => {
    assert.equal(shortcutDirection('مرحبا'), 'rtl');
    assert.equal(shortcutDirection('greet'), 'ltr');
    assert.equal(shortcutDirection('2go'), 'ltr');
  });
});
