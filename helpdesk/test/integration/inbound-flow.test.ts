/**
 * The main flow end to end through the real HTTP stack, PostgreSQL, Redis and BullMQ workers: a
 * customer's WhatsApp message (as the sidecar forwards it) becomes an assigned ticket, the bot's
 * welcome and menu reach the stand-in sidecar, and the menu answer classifies the ticket.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listTicketReports } from '../../src/use-cases/reports/list-ticket-reports';
import { query } from '../support/database';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';

describe('inbound flow (wppconnect)', () => {
  let helpdesk: TestHelpdesk;

  before(async () => {
    helpdesk = await startTestHelpdesk();
    for (const [name, capacity] of [
      ['busy', '5'],
      ['free', '5'],
    ] as const) {
      const added = await helpdesk.cli(
        'agents:add',
        '--name',
        name,
        '--email',
        `${name}@pharmacy.test`,
        '--password',
        'password-123',
        '--capacity',
        capacity,
      );
      assert.equal(added.status, 0, added.stderr);
      assert.equal((await helpdesk.cli('agents:availability', `${name}@pharmacy.test`, 'online')).status, 0);
    }
  });
  after(() => helpdesk.stop());

  /** What `helpdesk:cli tickets:list --json` prints (the same function), read in-process. */
  const tickets = () => listTicketReports(helpdesk.context.pool);
  const ticketOf = async (phone: string) => (await tickets()).find((t) => t.customerPhone === phone);
  const sendsTo = (phone: string) => helpdesk.sidecar.sends.filter((send) => send.to === phone);

  it('when a new customer writes, then one assigned ticket is opened and the welcome and menu are sent', async () => {
    // Load one agent with a ticket first so the least-loaded rule is visible.
    const first = await helpdesk.postWppconnect(textEvent('+201001110001', 'hello'));
    assert.equal(first.status, 202);
    const firstTicket = await waitFor(
      async () => (await ticketOf('+201001110001'))?.assignee && ticketOf('+201001110001'),
      10_000,
      'first ticket assigned',
    );

    const response = await helpdesk.postWppconnect(
      textEvent('+201001234567', 'السلام عليكم', { name: 'Mona' }),
    );
    assert.equal(response.status, 202);
    const ticket = await waitFor(
      async () => {
        const found = await ticketOf('+201001234567');
        // The welcome and menu can be sent before the assignment, a step of its own, commits.
        return found?.assignee && found.messages.filter((m) => m.deliveryStatus === 'sent').length === 2
          ? found
          : null;
      },
      10_000,
      'welcome and menu sent, the ticket assigned',
    );
    assert.equal(ticket.status, 'open');
    assert.equal(ticket.channel, 'pharmacy');
    assert.ok(ticket.assignee, 'the ticket is assigned');
    assert.notEqual(ticket.assignee, firstTicket!.assignee, 'the least-loaded agent gets it');
    assert.deepEqual(
      ticket.messages.map((m) => [m.direction, m.author, m.type]),
      [
        ['inbound', 'customer', 'text'],
        ['outbound', 'bot', 'text'],
        ['outbound', 'bot', 'interactive'],
      ],
    );
    const sent = sendsTo('+201001234567');
    assert.equal(sent.length, 2);
    assert.match(sent[0]!.text!, /أهلاً/, 'Arabic welcome for an Arabic message');
    assert.match(sent[1]!.text!, /^1\. /m, 'the menu is a numbered text on WPPConnect');
    const customers = await query(
      helpdesk.database.url,
      `SELECT name FROM customers WHERE phone = '+201001234567'`,
    );
    assert.deepEqual(customers, [{ name: 'Mona' }]);
  });

  it('when the customer answers "2", then the ticket is classified and a confirmation is sent', async () => {
    await helpdesk.postWppconnect(textEvent('+201001234567', '2'));
    const ticket = await waitFor(
      async () => (await ticketOf('+201001234567'))?.category && ticketOf('+201001234567'),
      10_000,
      'classified',
    );
    assert.equal(ticket!.category, 'order_status');
    await waitFor(() => sendsTo('+201001234567').length === 3, 5000, 'confirmation');
    assert.match(sendsTo('+201001234567')[2]!.text!, /حالة الطلب/);
    assert.equal(
      (await tickets()).filter((t) => t.customerPhone === '+201001234567').length,
      1,
      'still one ticket',
    );
  });

  it('when a customer answers with the Arabic-Indic digit "٢", then it counts as 2', async () => {
    await helpdesk.postWppconnect(textEvent('+201001234568', 'hi'));
    await waitFor(() => sendsTo('+201001234568').length === 2, 10_000, 'menu');
    await helpdesk.postWppconnect(textEvent('+201001234568', '٢'));
    const ticket = await waitFor(
      async () => (await ticketOf('+201001234568'))?.category && ticketOf('+201001234568'),
      10_000,
      'classified',
    );
    assert.equal(ticket!.category, 'order_status');
  });

  it('when a customer answers "9", then the menu is repeated and the ticket stays unclassified', async () => {
    await helpdesk.postWppconnect(textEvent('+201001234569', 'hello'));
    await waitFor(() => sendsTo('+201001234569').length === 2, 10_000, 'menu');
    await helpdesk.postWppconnect(textEvent('+201001234569', '9'));
    await waitFor(() => sendsTo('+201001234569').length === 3, 10_000, 'menu again');
    const repeated = sendsTo('+201001234569')[2]!;
    assert.match(repeated.text!, /did not understand/);
    assert.match(repeated.text!, /^1\. Prescription refill$/m);
    assert.equal((await ticketOf('+201001234569'))!.category, null);
  });

  it('when the same event is delivered twice, then nothing doubles', async () => {
    const event = textEvent('+201001234570', 'hello twice');
    assert.equal((await helpdesk.postWppconnect(event)).status, 202);
    assert.equal((await helpdesk.postWppconnect(event)).status, 202);
    await waitFor(() => sendsTo('+201001234570').length === 2, 10_000, 'menu');
    // The queue deduplicates by event id; the database by provider message id, after processing too.
    assert.equal((await helpdesk.postWppconnect(event)).status, 202);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const mine = (await tickets()).filter((t) => t.customerPhone === '+201001234570');
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.messages.filter((m) => m.direction === 'inbound').length, 1);
    assert.equal(sendsTo('+201001234570').length, 2, 'one welcome, one menu');
    const events = await query(
      helpdesk.database.url,
      `SELECT count(*)::int AS n FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id JOIN customers c ON c.id = t.customer_id
        WHERE c.phone = '+201001234570' AND e.type = 'assigned'`,
    );
    assert.deepEqual(events, [{ n: 1 }], 'one assignment');
  });
});
