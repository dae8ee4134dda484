/**
 * The realtime log's event ids (realtime/events.ts): a stream resumes after the id a console saw, so
 * ids must order as the numbers they are (Redis stream ids, `<ms>-<seq>`), not as text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareEventIds, isEventId } from '../../src/realtime/events';

describe('realtime event ids', () => {
  it('when ids differ in their millisecond part, then the earlier millisecond comes first', () => {
    assert.ok(compareEventIds('1732233600000-5', '1732233600001-0') < 0);
    assert.ok(compareEventIds('1732233600001-0', '1732233600000-5') > 0);
  });

  it('when ids share a millisecond, then their sequence numbers order them as numbers', () => {
    assert.ok(compareEventIds('1732233600000-9', '1732233600000-10') < 0);
    assert.ok(compareEventIds('1732233600000-10', '1732233600000-9') > 0);
    assert.equal(compareEventIds('1732233600000-10', '1732233600000-10'), 0);
  });

  it('when a number is shorter or written with leading zeros, then it still compares by value', () => {
    assert.ok(compareEventIds('999-0', '1000-0') < 0);
    assert.equal(compareEventIds('0001000-00', '1000-0'), 0);
    assert.ok(compareEventIds('0-0', '1-0') < 0);
    // A console that never saw an event resumes from the start: 0-0 precedes every id.
    assert.ok(compareEventIds('0-0', '1732233600000-0') < 0);
  });

  it('when a value is not an id, then it is refused before any comparison', () => {
    assert.equal(isEventId('1732233600000-0'), true);
    assert.equal(isEventId('1732233600000'), false);
    assert.equal(isEventId('abc-1'), false);
  });
});
