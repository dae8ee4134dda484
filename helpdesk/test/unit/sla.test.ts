/**
 * Response-time targets (domain/sla.ts): `addBusinessMinutes` across nights, weekends, overnight
 * hours and daylight-saving changes; the choice of the most specific policy; a ticket's state
 * against its next target. Expected instants are worked out by hand from the local clock times in
 * each comment.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBusinessHours } from '../../src/domain/business-hours';
import {
  addBusinessMinutes,
  chooseSlaPolicy,
  slaDueTimes,
  ticketSla,
  type TicketSlaColumns,
} from '../../src/domain/sla';

function add(schedule: string, startUtc: string, minutes: number, timeZone: string): string {
  return addBusinessMinutes(
    new Date(startUtc),
    minutes,
    parseBusinessHours(schedule),
    timeZone,
  ).toISOString();
}

// January 2024: Cairo is UTC+2. 2024-01-04 Thursday, 01-05 Friday, 01-06 Saturday.
const PHARMACY = 'sat-thu 09:00-23:00, fri 14:00-23:00';
const CAIRO = 'Africa/Cairo';

describe('addBusinessMinutes: Africa/Cairo pharmacy schedule', () => {
  it('when the minutes fit in the open day, then they are added as they are', () => {
    // Thursday 10:00 + 30 min = 10:30 local.
    assert.equal(add(PHARMACY, '2024-01-04T08:00:00Z', 30, CAIRO), '2024-01-04T08:30:00.000Z');
  });

  it('when the clock starts at night, then it waits for the opening', () => {
    // Thursday 23:30 (closed) + 60 min: Friday opens 14:00 → 15:00 local = 13:00Z.
    assert.equal(add(PHARMACY, '2024-01-04T21:30:00Z', 60, CAIRO), '2024-01-05T13:00:00.000Z');
  });

  it('when the minutes run past closing, then the rest counts from the next opening', () => {
    // Thursday 22:30 + 60 min: 30 min to 23:00, 30 min from Friday 14:00 → 14:30 local.
    assert.equal(add(PHARMACY, '2024-01-04T20:30:00Z', 60, CAIRO), '2024-01-05T12:30:00.000Z');
  });

  it('when the target is 0.8 of a minute, then fractions count too', () => {
    assert.equal(add(PHARMACY, '2024-01-04T08:00:00Z', 0.8, CAIRO), '2024-01-04T08:00:48.000Z');
  });

  it('when hours run past midnight, then the night counts as open', () => {
    // fri 20:00-02:00: Friday 23:00 + 120 min = Saturday 01:00 local = Friday 23:00Z.
    assert.equal(add('fri 20:00-02:00', '2024-01-05T21:00:00Z', 120, CAIRO), '2024-01-05T23:00:00.000Z');
    // Starting Saturday 01:00 (yesterday's interval still open) + 90 min: 60 min to 02:00, then the next
    // Friday 20:00 + 30 min = 2024-01-12 20:30 local.
    assert.equal(add('fri 20:00-02:00', '2024-01-05T23:00:00Z', 90, CAIRO), '2024-01-12T18:30:00.000Z');
  });

  it('when there are no business hours, then every minute counts', () => {
    assert.equal(
      addBusinessMinutes(new Date('2024-01-04T21:30:00Z'), 60, null, CAIRO).toISOString(),
      '2024-01-04T22:30:00.000Z',
    );
  });

  it('when a whole week of hours is asked, then it ends at the closing that uses them up', () => {
    // Thursday 09:00 + 93 h (Thursday 14 h, Friday 9 h, Saturday to Wednesday 5 × 14 h) = Wednesday
    // 2024-01-10 23:00 local; one minute more waits for Thursday 09:00.
    assert.equal(add(PHARMACY, '2024-01-04T07:00:00Z', 93 * 60, CAIRO), '2024-01-10T21:00:00.000Z');
    assert.equal(add(PHARMACY, '2024-01-04T07:00:00Z', 93 * 60 + 1, CAIRO), '2024-01-11T07:01:00.000Z');
  });
});

describe('addBusinessMinutes: daylight-saving changes in America/New_York', () => {
  const NEW_YORK = 'America/New_York';
  const ALWAYS_NINE_TO_FIVE = 'sun-sat 09:00-17:00';

  it('when the clocks spring forward overnight, then the next day opens at 09:00 new time', () => {
    // Saturday 2026-03-07 16:30 EST (21:30Z) + 60 min: 30 min to 17:00, then Sunday 03-08 09:00 EDT
    // (13:00Z) + 30 min.
    assert.equal(add(ALWAYS_NINE_TO_FIVE, '2026-03-07T21:30:00Z', 60, NEW_YORK), '2026-03-08T13:30:00.000Z');
  });

  it('when the clocks fall back overnight, then the next day opens at 09:00 standard time', () => {
    // Saturday 2026-10-31 16:30 EDT (20:30Z) + 60 min: Sunday 11-01 09:00 EST (14:00Z) + 30 min.
    assert.equal(add(ALWAYS_NINE_TO_FIVE, '2026-10-31T20:30:00Z', 60, NEW_YORK), '2026-11-01T14:30:00.000Z');
  });

  it('when an open interval holds the change, then its real length counts (an hour shorter in spring)', () => {
    // sun 00:00-06:00 on 2026-03-08: 02:00-03:00 does not exist, so the interval is 5 hours long:
    // from 00:00 EST (05:00Z) + 300 min = 06:00 EDT (10:00Z).
    assert.equal(add('sun 00:00-06:00', '2026-03-08T05:00:00Z', 300, NEW_YORK), '2026-03-08T10:00:00.000Z');
    // And an hour longer in autumn: 2026-11-01 00:00 EDT (04:00Z) + 420 min = 06:00 EST (11:00Z).
    assert.equal(add('sun 00:00-06:00', '2026-11-01T04:00:00Z', 420, NEW_YORK), '2026-11-01T11:00:00.000Z');
  });
});

describe('slaDueTimes', () => {
  it('when the policy counts every hour, then business hours are ignored', () => {
    const due = slaDueTimes(
      new Date('2024-01-04T21:30:00Z'),
      { firstResponseMinutes: 10, resolutionMinutes: 100, businessHours: false },
      { schedule: parseBusinessHours(PHARMACY), timeZone: CAIRO },
    );
    assert.equal(due.firstResponseDueAt.toISOString(), '2024-01-04T21:40:00.000Z');
    assert.equal(due.firstResponseAtRiskAt.toISOString(), '2024-01-04T21:38:00.000Z');
    assert.equal(due.resolutionDueAt.toISOString(), '2024-01-04T23:10:00.000Z');
    assert.equal(due.resolutionAtRiskAt.toISOString(), '2024-01-04T22:50:00.000Z');
  });
});

describe('chooseSlaPolicy: the most specific matching policy', () => {
  const policies = [
    { name: 'all', category: null, channelKey: null, teamId: null },
    { name: 'team', category: null, channelKey: null, teamId: 't1' },
    { name: 'channel', category: null, channelKey: 'pharmacy', teamId: null },
    { name: 'category', category: 'orders', channelKey: null, teamId: null },
    { name: 'category+channel', category: 'orders', channelKey: 'pharmacy', teamId: null },
  ];
  const pick = (
    ticket: { category: string | null; channelKey: string; teamId: string | null },
    list = policies,
  ) => chooseSlaPolicy(list, ticket)?.name ?? null;

  it('when category and channel match, then that policy wins over every broader one', () => {
    assert.equal(pick({ category: 'orders', channelKey: 'pharmacy', teamId: 't1' }), 'category+channel');
  });
  it('when only the category matches, then the category policy wins over channel and team', () => {
    assert.equal(pick({ category: 'orders', channelKey: 'other', teamId: 't1' }), 'category');
  });
  it('when no category matches, then channel beats team, team beats none', () => {
    assert.equal(pick({ category: 'x', channelKey: 'pharmacy', teamId: 't1' }), 'channel');
    assert.equal(pick({ category: null, channelKey: 'other', teamId: 't1' }), 'team');
    assert.equal(pick({ category: null, channelKey: 'other', teamId: null }), 'all');
  });
  it('when nothing matches, then no policy applies', () => {
    assert.equal(pick({ category: null, channelKey: 'other', teamId: null }, policies.slice(1)), null);
  });
});

describe('ticketSla: the next target and its state', () => {
  const base: TicketSlaColumns = {
    status: 'open',
    firstResponseAt: null,
    firstResponseDueAt: new Date('2024-01-04T10:00:00Z'),
    firstResponseAtRiskAt: new Date('2024-01-04T09:48:00Z'),
    firstResponseBreachedAt: null,
    resolutionDueAt: new Date('2024-01-05T10:00:00Z'),
    resolutionAtRiskAt: new Date('2024-01-05T05:12:00Z'),
    resolutionBreachedAt: null,
  };
  const at = (iso: string) => new Date(iso);

  it('when no agent replied yet, then the first response is the target: ok, at risk from 80 %, breached when due', () => {
    assert.deepEqual(ticketSla(base, at('2024-01-04T09:00:00Z')), {
      kind: 'first_response',
      dueAt: base.firstResponseDueAt,
      state: 'ok',
    });
    assert.equal(ticketSla(base, at('2024-01-04T09:48:00Z'))?.state, 'at_risk');
    assert.equal(ticketSla(base, at('2024-01-04T10:00:00Z'))?.state, 'breached');
  });

  it('when an agent replied, then the resolution is the target', () => {
    const replied = { ...base, firstResponseAt: at('2024-01-04T09:59:00Z') };
    assert.deepEqual(ticketSla(replied, at('2024-01-04T11:00:00Z')), {
      kind: 'resolution',
      dueAt: base.resolutionDueAt,
      state: 'ok',
    });
  });

  it('when the breach was recorded, then it stays breached', () => {
    const recorded = {
      ...base,
      firstResponseDueAt: at('2024-01-04T12:00:00Z'),
      firstResponseBreachedAt: at('2024-01-04T10:00:00Z'),
    };
    assert.equal(ticketSla(recorded, at('2024-01-04T09:00:00Z'))?.state, 'breached');
  });

  it('when the ticket is resolved, or has no due times, then there is no target', () => {
    assert.equal(ticketSla({ ...base, status: 'resolved' }, at('2024-01-04T09:00:00Z')), null);
    assert.equal(
      ticketSla({ ...base, firstResponseDueAt: null, resolutionDueAt: null }, at('2024-01-04T09:00:00Z')),
      null,
    );
  });
});
