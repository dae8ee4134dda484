/**
 * Who may do what with a ticket, and how its status moves (domain/ticket-rules.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allowedStatusChanges,
  canReadTicket,
  canTransferTicket,
  canWorkTicket,
  decideStatusChange,
  secondsBetween,
  snoozeProblem,
  TICKET_STATUSES,
} from '../../src/domain/ticket-rules';

const mona = { id: 'mona', role: 'agent' as const };
const admin = { id: 'boss', role: 'admin' as const };
const now = new Date('2026-11-22T10:00:00Z');

describe('ticket rules', () => {
  it('when a ticket is assigned, then only its assignee and admins read and work it', () => {
    const omars = { assigneeId: 'omar' };
    assert.equal(canReadTicket(mona, omars), false);
    assert.equal(canWorkTicket(mona, omars), false);
    assert.equal(canReadTicket(admin, omars), true);
    assert.equal(canWorkTicket(admin, omars), true);
    assert.equal(canReadTicket(mona, { assigneeId: 'mona' }), true);
    assert.equal(canWorkTicket(mona, { assigneeId: 'mona' }), true);
  });

  it('when a ticket waits unassigned, then any agent reads it but only admins work it', () => {
    assert.equal(canReadTicket(mona, { assigneeId: null }), true);
    assert.equal(canWorkTicket(mona, { assigneeId: null }), false);
  });

  it('when transferring, then admins move anything, assignees their own, agents only claim for themselves', () => {
    assert.equal(canTransferTicket(admin, { assigneeId: 'omar' }, 'mona'), true);
    assert.equal(canTransferTicket(mona, { assigneeId: 'mona' }, 'omar'), true);
    assert.equal(canTransferTicket(mona, { assigneeId: 'mona' }, null), true);
    assert.equal(canTransferTicket(mona, { assigneeId: 'omar' }, 'mona'), false);
    assert.equal(canTransferTicket(mona, { assigneeId: null }, 'mona'), true);
    assert.equal(canTransferTicket(mona, { assigneeId: null }, 'omar'), false);
  });

  it('when the status changes, then only the allowed transitions pass and closed is final', () => {
    const table = Object.fromEntries(
      TICKET_STATUSES.map((status) => [status, [...allowedStatusChanges(status)]]),
    );
    assert.deepEqual(table, {
      open: ['pending', 'resolved', 'closed'],
      pending: ['open', 'resolved', 'closed'],
      resolved: ['open', 'closed'],
      closed: [],
    });
    const refused = decideStatusChange({ status: 'closed', resolvedAt: now }, 'open', now);
    assert.equal(refused.ok, false);
    assert.match(!refused.ok ? refused.reason : '', /closed is final; an admin may reopen it/);
    const same = decideStatusChange({ status: 'open', resolvedAt: null }, 'open', now);
    assert.match(!same.ok ? same.reason : '', /already open/);
  });

  it('when resolving or closing an active ticket, then capacity frees and the resolution time is set', () => {
    assert.deepEqual(decideStatusChange({ status: 'open', resolvedAt: null }, 'resolved', now), {
      ok: true,
      set: { resolvedAt: now, snoozedUntil: null },
      freesCapacity: true,
    });
    assert.deepEqual(decideStatusChange({ status: 'pending', resolvedAt: null }, 'closed', now), {
      ok: true,
      set: { closedAt: now, resolvedAt: now, snoozedUntil: null },
      freesCapacity: true,
    });
    const earlier = new Date('2026-11-21T10:00:00Z');
    assert.deepEqual(decideStatusChange({ status: 'resolved', resolvedAt: earlier }, 'closed', now), {
      ok: true,
      set: { closedAt: now, resolvedAt: earlier, snoozedUntil: null },
      freesCapacity: false,
    });
  });

  it('when reopening or parking a ticket, then the resolution is cleared and capacity is not freed', () => {
    assert.deepEqual(decideStatusChange({ status: 'resolved', resolvedAt: now }, 'open', now), {
      ok: true,
      set: { resolvedAt: null, snoozedUntil: null },
      freesCapacity: false,
    });
    assert.deepEqual(decideStatusChange({ status: 'open', resolvedAt: null }, 'pending', now), {
      ok: true,
      set: { snoozedUntil: null },
      freesCapacity: false,
    });
  });

  it('when an admin reopens a closed ticket, then it is open again with resolution and closing cleared', () => {
    assert.deepEqual(allowedStatusChanges('closed', 'admin'), ['open']);
    assert.deepEqual(allowedStatusChanges('closed', 'agent'), []);
    assert.deepEqual(
      decideStatusChange({ status: 'closed', resolvedAt: now }, 'open', now, { role: 'admin' }),
      {
        ok: true,
        set: { resolvedAt: null, closedAt: null, snoozedUntil: null },
        freesCapacity: false,
      },
    );
    const byAgent = decideStatusChange({ status: 'closed', resolvedAt: now }, 'open', now, { role: 'agent' });
    assert.equal(byAgent.ok, false);
  });

  it('when snoozing, then only pending takes a time, in the future and at most 90 days ahead', () => {
    const later = new Date(now.getTime() + 3_600_000);
    assert.equal(snoozeProblem('pending', later, now), null);
    assert.equal(snoozeProblem('pending', undefined, now), null);
    assert.match(snoozeProblem('open', later, now) ?? '', /only with status "pending"/);
    assert.match(snoozeProblem('pending', now, now) ?? '', /future/);
    assert.match(snoozeProblem('pending', new Date(now.getTime() + 91 * 86_400_000), now) ?? '', /90 days/);
    assert.match(snoozeProblem('pending', new Date('nonsense'), now) ?? '', /ISO 8601/);
    assert.deepEqual(
      decideStatusChange({ status: 'open', resolvedAt: null }, 'pending', now, { snoozeUntil: later }),
      {
        ok: true,
        set: { snoozedUntil: later },
        freesCapacity: false,
      },
    );
    // A pending ticket may be snoozed (again); without a time it is already pending.
    assert.deepEqual(
      decideStatusChange({ status: 'pending', resolvedAt: null }, 'pending', now, { snoozeUntil: later }),
      { ok: true, set: { snoozedUntil: later }, freesCapacity: false },
    );
    assert.equal(decideStatusChange({ status: 'pending', resolvedAt: null }, 'pending', now).ok, false);
    // Reopening ends a snooze.
    assert.deepEqual(decideStatusChange({ status: 'pending', resolvedAt: null }, 'open', now), {
      ok: true,
      set: { snoozedUntil: null },
      freesCapacity: false,
    });
  });

  it('when measuring durations, then whole seconds, never negative, null while missing', () => {
    assert.equal(secondsBetween(new Date(0), new Date(90_400)), 90);
    assert.equal(secondsBetween(new Date(5000), new Date(0)), 0);
    assert.equal(secondsBetween(new Date(0), null), null);
  });
});
