/**
 * The actions each ticket lists for the requesting agent (`allowedActions`): the ticket rules of
 * domain/ticket-rules.ts applied to the agent's role and the ticket's assignee and status.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TICKET_ACTIONS } from '@whatsapp-helpdesk/contract/api';
import { allowedTicketActions } from '../../src/http/routes/api/allowed-actions';

const ME = { id: 'me', role: 'agent' as const };
const ADMIN = { id: 'boss', role: 'admin' as const };

describe('allowed ticket actions', () => {
  it('when the agent holds an open ticket, then they reply, note, transfer, pend, resolve, close and snooze', () => {
    assert.deepEqual(allowedTicketActions(ME, { assigneeId: 'me', status: 'open' }), [
      'reply',
      'note',
      'transfer',
      'pend',
      'resolve',
      'close',
      'snooze',
    ]);
  });

  it('when the agent holds a pending ticket, then reopen replaces pend', () => {
    assert.deepEqual(allowedTicketActions(ME, { assigneeId: 'me', status: 'pending' }), [
      'reply',
      'note',
      'transfer',
      'reopen',
      'resolve',
      'close',
      'snooze',
    ]);
  });

  it('when a ticket waits in the queue, then an agent may only note and claim it; an admin everything', () => {
    assert.deepEqual(allowedTicketActions(ME, { assigneeId: null, status: 'open' }), ['note', 'claim']);
    assert.deepEqual(allowedTicketActions(ADMIN, { assigneeId: null, status: 'open' }), [
      'reply',
      'note',
      'claim',
      'transfer',
      'pend',
      'resolve',
      'close',
      'snooze',
    ]);
  });

  it("when the ticket is another agent's, then an agent may do nothing and an admin may take over", () => {
    assert.deepEqual(allowedTicketActions(ME, { assigneeId: 'other', status: 'open' }), []);
    assert.deepEqual(allowedTicketActions(ADMIN, { assigneeId: 'other', status: 'pending' }), [
      'reply',
      'note',
      'transfer',
      'reopen',
      'resolve',
      'close',
      'snooze',
    ]);
  });

  it('when a ticket is resolved, then it can only be noted, reopened or closed; closed is final for agents', () => {
    assert.deepEqual(allowedTicketActions(ME, { assigneeId: 'me', status: 'resolved' }), [
      'note',
      'reopen',
      'close',
    ]);
    assert.deepEqual(allowedTicketActions(ME, { assigneeId: 'me', status: 'closed' }), ['note']);
    assert.deepEqual(allowedTicketActions(ADMIN, { assigneeId: null, status: 'closed' }), ['note', 'reopen']);
    assert.deepEqual(allowedTicketActions(ADMIN, { assigneeId: 'me', status: 'closed' }), ['note', 'reopen']);
  });

  it('when any case is listed, then every action is one the contract names', () => {
    for (const actor of [ME, ADMIN]) {
      for (const assigneeId of [null, 'me', 'other']) {
        for (const status of ['open', 'pending', 'resolved', 'closed'] as const) {
          for (const action of allowedTicketActions(actor, { assigneeId, status })) {
            assert.ok(TICKET_ACTIONS.includes(action), action);
          }
        }
      }
    }
  });
});
