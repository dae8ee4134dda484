/**
 * Ticket and customer rules through the real pipeline: after-hours reply, reopening within the
 * window, a new ticket after it, and a customer first known by WhatsApp lid merged when the phone
 * becomes known.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listTicketReports } from '../../src/use-cases/reports/list-ticket-reports';
import { query } from '../support/database';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';

/** A one-hour opening two hours from now in Cairo, so the business is closed during the test. */
function closedNowSchedule(): string {
  const hour = Number(
    new Intl.DateTimeFormat('en-US', { timeZone: 'Africa/Cairo', hour: '2-digit', hourCycle: 'h23' }).format(
      new Date(),
    ),
  );
  const start = (hour + 2) % 24;
  const pad = (value: number) => String(value).padStart(2, '0');
  return `sun-sat ${pad(start)}:00-${pad(start)}:30`;
}

describe('conversation rules', () => {
  let helpdesk: TestHelpdesk;
  const sendsTo = (to: string) => helpdesk.sidecar.sends.filter((send) => send.to === to);
  const ticketsOf = async (phone: string) =>
    (await listTicketReports(helpdesk.context.pool)).filter((t) => t.customerPhone === phone);

  before(async () => {
    helpdesk = await startTestHelpdesk({ env: { BUSINESS_HOURS: closedNowSchedule(), BOT_LANGUAGE: 'en' } });
  });
  after(() => helpdesk.stop());

  it('when a customer writes outside business hours, then the welcome, menu and after-hours reply are sent and the ticket waits', async () => {
    await helpdesk.postWppconnect(textEvent('+201001234567', 'hello'));
    await waitFor(() => sendsTo('+201001234567').length === 3, 10_000, 'three replies');
    assert.match(sendsTo('+201001234567')[2]!.text!, /closed right now/);
    const [ticket] = await ticketsOf('+201001234567');
    assert.equal(ticket!.status, 'open');
    assert.equal(ticket!.assignee, null, 'no agent online: the ticket waits in the queue');
    // The after-hours reply is not repeated for every message.
    await helpdesk.postWppconnect(textEvent('+201001234567', '1'));
    await waitFor(
      async () => (await ticketsOf('+201001234567'))[0]!.category === 'prescription_refill',
      10_000,
      'classified',
    );
    await waitFor(() => sendsTo('+201001234567').length === 4, 5000, 'confirmation');
    assert.doesNotMatch(sendsTo('+201001234567')[3]!.text!, /closed right now/);
  });

  it('when a resolved ticket gets a message within the reopen window, then it reopens; later, a new ticket opens', async () => {
    const phone = '+201001234568';
    await helpdesk.postWppconnect(textEvent(phone, 'hello'));
    await waitFor(async () => (await ticketsOf(phone)).length === 1, 10_000, 'ticket');
    await query(
      helpdesk.database.url,
      `UPDATE tickets SET status = 'resolved', resolved_at = now() - interval '10 minutes'`,
    );
    await helpdesk.postWppconnect(textEvent(phone, 'one more thing'));
    await waitFor(async () => (await ticketsOf(phone))[0]!.status === 'open', 10_000, 'reopened');
    assert.equal((await ticketsOf(phone)).length, 1, 'the same ticket');

    await query(
      helpdesk.database.url,
      `UPDATE tickets SET status = 'resolved', resolved_at = now() - interval '3 days'`,
    );
    await helpdesk.postWppconnect(textEvent(phone, 'a new question'));
    const tickets = await waitFor(
      async () => ((await ticketsOf(phone)).length === 2 ? ticketsOf(phone) : null),
      10_000,
      'a new ticket',
    );
    assert.deepEqual(
      tickets.map((t) => t.status),
      ['resolved', 'open'],
    );
  });

  it('when a customer first known by lid later arrives with a phone, then both are one customer with one ticket', async () => {
    const lid = '123456789012345@lid';
    await helpdesk.postWppconnect(textEvent(null, 'hi from lid', { lid }));
    await waitFor(
      () =>
        query(helpdesk.database.url, `SELECT 1 FROM customers WHERE lid = $1 AND phone IS NULL`, [lid]).then(
          (r) => r.length === 1,
        ),
      10_000,
      'lid customer',
    );
    await waitFor(() => sendsTo(lid).length >= 2, 10_000, 'replies to the lid');

    await helpdesk.postWppconnect(textEvent('+201001234569', 'now with my phone', { lid }));
    await waitFor(
      () =>
        query(helpdesk.database.url, `SELECT 1 FROM customers WHERE lid = $1 AND phone = '+201001234569'`, [
          lid,
        ]).then((r) => r.length === 1),
      10_000,
      'merged customer',
    );
    const customers = await query<{ n: number }>(
      helpdesk.database.url,
      `SELECT count(*)::int AS n FROM customers WHERE lid = $1 OR phone = '+201001234569'`,
      [lid],
    );
    assert.deepEqual(customers, [{ n: 1 }]);
    const tickets = await ticketsOf('+201001234569');
    assert.equal(tickets.length, 1);
    assert.equal(tickets[0]!.messages.filter((m) => m.direction === 'inbound').length, 2);
  });
});
