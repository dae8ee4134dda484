import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseTicket, type TicketSummary } from '../../src/domain/ticket-lifecycle';

const MINUTE = 60_000;
const NOW = new Date('2024-03-10T12:00:00Z');
const WINDOW = 24 * 60 * MINUTE;

function ago(ms: number): Date {
  return new Date(NOW.getTime() - ms);
}

const open: TicketSummary = { id: 't-open', status: 'open', resolvedAt: null };
const pending: TicketSummary = { id: 't-pending', status: 'pending', resolvedAt: null };
const resolvedRecently: TicketSummary = {
  id: 't-resolved',
  status: 'resolved',
  resolvedAt: ago(10 * MINUTE),
};

describe('chooseTicket', () => {
  it('when the customer has an open ticket, then the message goes to that ticket', () => {
    assert.deepEqual(chooseTicket(open, resolvedRecently, NOW, WINDOW), {
      action: 'reuse',
      ticketId: 't-open',
    });
  });

  it('when the customer has a pending ticket, then the message goes to that ticket', () => {
    assert.deepEqual(chooseTicket(pending, null, NOW, WINDOW), { action: 'reuse', ticketId: 't-pending' });
  });

  it('when the last ticket was resolved 10 minutes ago and the window is 24h, then it is reopened', () => {
    assert.deepEqual(chooseTicket(null, resolvedRecently, NOW, WINDOW), {
      action: 'reopen',
      ticketId: 't-resolved',
    });
  });

  it('when the last ticket was resolved just over the window ago, then a new ticket is opened', () => {
    const old: TicketSummary = { id: 't-old', status: 'resolved', resolvedAt: ago(WINDOW + MINUTE) };
    assert.deepEqual(chooseTicket(null, old, NOW, WINDOW), { action: 'open' });
  });

  it('when the last ticket is closed, even recently, then a new ticket is opened', () => {
    const closed: TicketSummary = { id: 't-closed', status: 'closed', resolvedAt: ago(MINUTE) };
    assert.deepEqual(chooseTicket(null, closed, NOW, WINDOW), { action: 'open' });
  });

  it('when a resolved ticket has no resolution time, then a new ticket is opened', () => {
    const unknown: TicketSummary = { id: 't-unknown', status: 'resolved', resolvedAt: null };
    assert.deepEqual(chooseTicket(null, unknown, NOW, WINDOW), { action: 'open' });
  });

  it('when the reopen window is 0, then a message a minute after resolution opens a new ticket', () => {
    const resolved: TicketSummary = { id: 't-resolved', status: 'resolved', resolvedAt: ago(MINUTE) };
    assert.deepEqual(chooseTicket(null, resolved, NOW, 0), { action: 'open' });
  });

  it('when the customer has no tickets at all, then a new ticket is opened', () => {
    assert.deepEqual(chooseTicket(null, null, NOW, WINDOW), { action: 'open' });
  });
});
