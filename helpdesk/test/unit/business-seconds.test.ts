/**
 * `businessSecondsBetween`: seconds inside a weekly schedule between two instants, in the
 * business's time zone, across nights, weekends, overnight hours and daylight-saving changes.
 * Expected values are counted by hand from the local clock times given in each comment.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBusinessHours } from '../../src/domain/business-hours';
import { businessSecondsBetween } from '../../src/domain/business-seconds';

const HOUR = 3600;

function between(schedule: string, from: string, to: string, timeZone: string): number {
  return businessSecondsBetween(new Date(from), new Date(to), parseBusinessHours(schedule), timeZone);
}

// January 2024: Cairo is UTC+2. 2024-01-04 Thursday, 01-05 Friday, 01-06 Saturday.
const PHARMACY = 'sat-thu 09:00-23:00, fri 14:00-23:00';

describe('business seconds: Africa/Cairo pharmacy schedule', () => {
  it('when both instants are inside one opening, then it is the wall-clock difference', () => {
    // Thursday 10:00 → 10:05 Cairo.
    assert.equal(between(PHARMACY, '2024-01-04T08:00:00Z', '2024-01-04T08:05:00Z', 'Africa/Cairo'), 300);
  });

  it('when the span crosses the night, then the closed hours do not count', () => {
    // Thursday 22:00 → Saturday 10:00 Cairo: Thu 22–23 (1 h), Fri 14–23 (9 h), Sat 09–10 (1 h).
    assert.equal(
      between(PHARMACY, '2024-01-04T20:00:00Z', '2024-01-06T08:00:00Z', 'Africa/Cairo'),
      11 * HOUR,
    );
  });

  it('when a message arrives at night and is answered before opening, then it took 0 business seconds', () => {
    // Friday 02:00 → Friday 13:59 Cairo: closed all along.
    assert.equal(between(PHARMACY, '2024-01-05T00:00:00Z', '2024-01-05T11:59:00Z', 'Africa/Cairo'), 0);
  });

  it('when the end is before the start, then it is 0; without a schedule, wall-clock seconds', () => {
    assert.equal(between(PHARMACY, '2024-01-04T10:00:00Z', '2024-01-04T09:00:00Z', 'Africa/Cairo'), 0);
    assert.equal(
      businessSecondsBetween(new Date('2024-01-04T00:00:00Z'), new Date('2024-01-05T00:00:00Z'), null, 'UTC'),
      24 * HOUR,
    );
  });

  it('when hours run past midnight, then the part after midnight counts on the next date', () => {
    // Monday 22:00 → 02:00 (UTC). Monday 2024-01-01 23:00 → Tuesday 01:30: 2.5 h.
    assert.equal(
      between('mon 22:00-02:00', '2024-01-01T23:00:00Z', '2024-01-02T01:30:00Z', 'UTC'),
      2.5 * HOUR,
    );
  });

  it('when parts of the schedule overlap, then the overlap counts once', () => {
    assert.equal(
      between('mon 09:00-12:00, mon 11:00-13:00', '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', 'UTC'),
      4 * HOUR,
    );
  });
});

describe('business seconds: daylight-saving changes (America/New_York)', () => {
  it('when the clocks go forward, then 09:00–17:00 is still 8 hours on that Sunday', () => {
    // 2024-03-10: 02:00 EST → 03:00 EDT. Whole local day Sunday 00:00 EST (05:00Z) → Monday 00:00 EDT (04:00Z).
    assert.equal(
      between('sun 09:00-17:00', '2024-03-10T05:00:00Z', '2024-03-11T04:00:00Z', 'America/New_York'),
      8 * HOUR,
    );
    // Opening 09:00 EDT = 13:00Z: one hour from 13:00Z counts 3600.
    assert.equal(
      between('sun 09:00-17:00', '2024-03-10T12:00:00Z', '2024-03-10T14:00:00Z', 'America/New_York'),
      HOUR,
    );
  });

  it('when the clocks go back, then the repeated hour inside an overnight opening counts twice', () => {
    // 2024-11-03: 02:00 EDT → 01:00 EST. Open sat 22:00 → sun 04:00 local: 22:00 EDT (02:00Z)
    // to 04:00 EST (09:00Z) is 7 real hours.
    assert.equal(
      between('sat 22:00-04:00', '2024-11-02T12:00:00Z', '2024-11-03T20:00:00Z', 'America/New_York'),
      7 * HOUR,
    );
  });

  it('when an opening falls in the skipped hour, then it moves forward by the gap', () => {
    // 2024-03-10 02:30 local does not exist: it reads as 03:30 EDT (07:30Z), so 02:30–04:00 is 30 minutes.
    assert.equal(
      between('sun 02:30-04:00', '2024-03-10T00:00:00Z', '2024-03-10T12:00:00Z', 'America/New_York'),
      HOUR / 2,
    );
  });
});

describe('business seconds: Cairo summer time (last Friday of April 2024, 00:00 → 01:00)', () => {
  it('when a span crosses the change, then the opening hours follow the local clock', () => {
    // Thursday 2024-04-25 22:00 EET (20:00Z) → Saturday 2024-04-27 10:00 EEST (07:00Z):
    // Thu 22–23 (1 h), Fri 14–23 (9 h), Sat 09–10 (1 h).
    assert.equal(
      between(PHARMACY, '2024-04-25T20:00:00Z', '2024-04-27T07:00:00Z', 'Africa/Cairo'),
      11 * HOUR,
    );
  });
});
