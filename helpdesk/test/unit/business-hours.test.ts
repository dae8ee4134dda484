import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isOpenAt, parseBusinessHours } from '../../src/domain/business-hours';

const CAIRO = 'Africa/Cairo';

/** Whether the business is open at a UTC instant under a schedule string, in Cairo unless told. */
function openAt(schedule: string, isoUtc: string, timeZone = CAIRO): boolean {
  return isOpenAt(parseBusinessHours(schedule), new Date(isoUtc), timeZone);
}

// January 2024: Cairo is UTC+2. 2024-01-04 is a Thursday, 01-05 Friday, 01-06 Saturday, 01-07 Sunday.
const PHARMACY = 'sat-thu 09:00-23:00, fri 14:00-23:00';

describe('business hours: the pharmacy schedule in Africa/Cairo', () => {
  it('when it is Saturday 08:59 in Cairo, then the business is closed, and at 09:00 it is open', () => {
    assert.equal(openAt(PHARMACY, '2024-01-06T06:59:00Z'), false);
    assert.equal(openAt(PHARMACY, '2024-01-06T07:00:00Z'), true);
  });

  it('when it is Thursday 22:59 in Cairo, then it is open, and at 23:00 it is closed', () => {
    assert.equal(openAt(PHARMACY, '2024-01-04T20:59:00Z'), true);
    assert.equal(openAt(PHARMACY, '2024-01-04T21:00:00Z'), false);
  });

  it('when it is Friday 10:00 in Cairo, then it is closed because Friday opens at 14:00', () => {
    assert.equal(openAt(PHARMACY, '2024-01-05T08:00:00Z'), false);
    assert.equal(openAt(PHARMACY, '2024-01-05T11:59:00Z'), false);
    assert.equal(openAt(PHARMACY, '2024-01-05T12:00:00Z'), true);
  });

  it('when only "sat-thu" is given, then the range wraps through the week and Friday stays closed', () => {
    const schedule = 'sat-thu 09:00-23:00';
    for (const day of ['06', '07', '08', '09', '10', '11']) {
      assert.equal(openAt(schedule, `2024-01-${day}T10:00:00Z`), true, `2024-01-${day} should be open`);
    }
    assert.equal(openAt(schedule, '2024-01-12T10:00:00Z'), false);
  });

  it('when Cairo is on summer time (UTC+3), then Friday 14:00 local is 11:00 UTC and is open', () => {
    // 2024-07-05 is a Friday; Egypt observes daylight saving time in summer since 2023.
    assert.equal(openAt(PHARMACY, '2024-07-05T10:59:00Z'), false);
    assert.equal(openAt(PHARMACY, '2024-07-05T11:00:00Z'), true);
  });

  it('when the same instant is read in another time zone, then the local hour decides', () => {
    // 2024-01-08 (Monday) 07:30 UTC is 09:30 in Cairo.
    assert.equal(openAt('mon 09:00-17:00', '2024-01-08T07:30:00Z', CAIRO), true);
    assert.equal(openAt('mon 09:00-17:00', '2024-01-08T07:30:00Z', 'UTC'), false);
  });
});

describe('business hours: ranges crossing midnight', () => {
  it('when a Thursday range runs 20:00-02:00, then Friday 01:30 is open and Friday 02:00 is closed', () => {
    const schedule = 'thu 20:00-02:00';
    assert.equal(openAt(schedule, '2024-01-04T17:59:00Z'), false); // Thu 19:59
    assert.equal(openAt(schedule, '2024-01-04T21:59:00Z'), true); // Thu 23:59
    assert.equal(openAt(schedule, '2024-01-04T22:00:00Z'), true); // Fri 00:00
    assert.equal(openAt(schedule, '2024-01-04T23:30:00Z'), true); // Fri 01:30
    assert.equal(openAt(schedule, '2024-01-05T00:00:00Z'), false); // Fri 02:00
  });

  it('when a Saturday range runs past midnight, then it continues into Sunday across the week boundary', () => {
    const schedule = 'sat 22:00-03:00';
    assert.equal(openAt(schedule, '2024-01-07T00:00:00Z'), true); // Sun 02:00
    assert.equal(openAt(schedule, '2024-01-07T01:00:00Z'), false); // Sun 03:00
    assert.equal(openAt(schedule, '2024-01-06T19:59:00Z'), false); // Sat 21:59
  });

  it('when a range ends at 24:00, then it is open at 23:59 and closed at midnight', () => {
    assert.equal(openAt('mon 09:00-24:00', '2024-01-08T21:59:00Z'), true); // Mon 23:59
    assert.equal(openAt('mon 09:00-24:00', '2024-01-08T22:00:00Z'), false); // Tue 00:00
  });

  it('when a range is 00:00-00:00, then it is open the whole day and closed the next', () => {
    assert.equal(openAt('sun 00:00-00:00', '2024-01-06T22:00:00Z'), true); // Sun 00:00
    assert.equal(openAt('sun 00:00-00:00', '2024-01-07T21:59:00Z'), true); // Sun 23:59
    assert.equal(openAt('sun 00:00-00:00', '2024-01-07T22:00:00Z'), false); // Mon 00:00
  });

  it('when it is just after midnight local time, then the hour is read as 00 and not 24', () => {
    assert.equal(openAt('mon 00:00-01:00', '2024-01-07T22:30:00Z'), true); // Mon 00:30
    assert.equal(openAt('mon 00:00-01:00', '2024-01-06T22:30:00Z'), false); // Sun 00:30
  });
});

describe('business hours: parsing', () => {
  it('when the schedule is empty or blank, then it means always open', () => {
    assert.equal(parseBusinessHours(''), null);
    assert.equal(parseBusinessHours('   '), null);
    assert.equal(isOpenAt(null, new Date('2024-01-05T03:00:00Z'), CAIRO), true);
  });

  it('when the schedule is written in capitals with extra spaces, then it is read the same', () => {
    assert.deepEqual(
      parseBusinessHours('  SAT-THU 09:00 - 23:00 ,  Fri 14:00-23:00 '),
      parseBusinessHours(PHARMACY),
    );
  });

  it('when a part has no time range, then parsing throws and names that part', () => {
    assert.throws(() => parseBusinessHours('sat-thu 9-23'), /sat-thu 9-23/);
  });

  it('when a day name is unknown, then parsing throws naming the day range', () => {
    assert.throws(() => parseBusinessHours('funday 09:00-17:00'), /funday/);
  });

  it('when a time is out of range, then parsing throws naming the time', () => {
    assert.throws(() => parseBusinessHours('mon 25:00-26:00'), /25:00/);
    assert.throws(() => parseBusinessHours('mon 09:60-17:00'), /09:60/);
    assert.throws(() => parseBusinessHours('mon 09:00-24:30'), /24:30/);
  });

  it('when a trailing comma leaves an empty part, then parsing throws', () => {
    assert.throws(() => parseBusinessHours('mon 09:00-17:00,'));
  });

  it('when a day range has three day names, then parsing throws instead of silently dropping one', () => {
    assert.throws(() => parseBusinessHours('mon-tue-wed 09:00-17:00'), /mon-tue-wed/);
  });
});
