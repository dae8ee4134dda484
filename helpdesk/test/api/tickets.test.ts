/**
 * Reading tickets through the agents' API: the inbox list (views, filters, search, cursor
 * pagination) and a ticket's thread, with the access rules (an agent reads their own tickets and
 * waiting ones, never another agent's; admins read everything).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ticketThreadSchema as threadView,
  ticketPageSchema as ticketPageView,
} from '@whatsapp-helpdesk/contract/api';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import { assertMatches, assertValidationError, createAgent, seedTicket, type TestAgent } from './api-support';

interface Page {
  items: Array<{
    id: string;
    number: number;
    status: string;
    assignee: { id: string } | null;
    customer: { name: string };
  }>;
  nextCursor: string | null;
}

describe("agents' API: reading tickets", () => {
  let helpdesk: TestHelpdesk;
  let mona: TestAgent;
  let omar: TestAgent;
  let admin: TestAgent;
  const tickets: Record<string, { id: string; number: number; phone: string }> = {};

  before(async () => {
    helpdesk = await startTestHelpdesk();
    mona = await createAgent(helpdesk, { name: 'Mona' });
    omar = await createAgent(helpdesk, { name: 'Omar' });
    admin = await createAgent(helpdesk, { name: 'Admin', role: 'admin', capacity: 0 });
    const db = helpdesk.context.db;
    tickets.monaOpen = await seedTicket(db, {
      assigneeId: mona.id,
      customerName: 'Salma Hassan',
      category: 'prescription_refill',
      phone: '+201001112233',
    });
    tickets.monaPending = await seedTicket(db, {
      assigneeId: mona.id,
      status: 'pending',
      customerName: 'Karim',
    });
    tickets.monaResolved = await seedTicket(db, {
      assigneeId: mona.id,
      status: 'resolved',
      customerName: 'Old',
    });
    tickets.omarOpen = await seedTicket(db, {
      assigneeId: omar.id,
      customerName: 'Nour',
      category: 'order_status',
    });
    tickets.waiting = await seedTicket(db, { customerName: 'Waiting Person' });
  });
  after(() => helpdesk.stop());

  const numbers = (page: Page) => page.items.map((item) => item.number);

  it('when an agent lists without filters, then they get their own open and pending tickets, newest first', async () => {
    const answer = await mona.api.get<Page>('/api/tickets');
    assert.equal(answer.status, 200);
    assertMatches(ticketPageView, answer.body);
    assert.deepEqual(numbers(answer.body), [tickets.monaPending!.number, tickets.monaOpen!.number]);
    assert.equal(answer.body.nextCursor, null);
  });

  it('when an agent lists the unassigned view, then they see the waiting queue', async () => {
    const answer = await omar.api.get<Page>('/api/tickets?view=unassigned');
    assert.deepEqual(numbers(answer.body), [tickets.waiting!.number]);
    assert.equal(answer.body.items[0]!.assignee, null);
  });

  it('when an agent asks for every ticket, then 403; an admin gets them all', async () => {
    const refused = await mona.api.get('/api/tickets?view=all');
    assert.equal(refused.status, 403);
    assert.match(String(refused.body.message), /view/);
    const all = await admin.api.get<Page>('/api/tickets?view=all&status=open,pending,resolved,closed');
    assert.equal(all.body.items.length, 5);
  });

  it('when filtering by status, category, customer name or phone, then only matches come back', async () => {
    const resolved = await mona.api.get<Page>('/api/tickets?status=resolved');
    assert.deepEqual(numbers(resolved.body), [tickets.monaResolved!.number]);
    const category = await admin.api.get<Page>('/api/tickets?view=all&category=order_status');
    assert.deepEqual(numbers(category.body), [tickets.omarOpen!.number]);
    const byName = await admin.api.get<Page>(`/api/tickets?view=all&q=${encodeURIComponent('salma')}`);
    assert.deepEqual(numbers(byName.body), [tickets.monaOpen!.number]);
    const byNationalPhone = await mona.api.get<Page>('/api/tickets?q=01001112233');
    assert.deepEqual(numbers(byNationalPhone.body), [tickets.monaOpen!.number]);
    const byArabicDigits = await mona.api.get<Page>(`/api/tickets?q=${encodeURIComponent('١١١٢٢٣٣')}`);
    assert.deepEqual(numbers(byArabicDigits.body), [tickets.monaOpen!.number]);
    const byNumber = await admin.api.get<Page>(
      `/api/tickets?view=all&q=${encodeURIComponent(`#${tickets.waiting!.number}`)}`,
    );
    assert.deepEqual(numbers(byNumber.body), [tickets.waiting!.number]);
  });

  it('when paging with a cursor, then every ticket comes exactly once', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/api/tickets?view=all&status=open,pending,resolved&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const answer = await admin.api.get<Page>(query);
      assert.equal(answer.status, 200);
      seen.push(...numbers(answer.body));
      cursor = answer.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => b - a),
    );
    assert.equal(new Set(seen).size, 5);
  });

  it('when the query is invalid, then 400 names the parameter', async () => {
    assertValidationError(await mona.api.get('/api/tickets?status=archived'), 'status.0');
    assertValidationError(await mona.api.get('/api/tickets?limit=500'), 'limit');
    assertValidationError(await mona.api.get('/api/tickets?view=everything'), 'view');
    assertValidationError(await mona.api.get('/api/tickets?cursor=bogus'), 'cursor');
    assertValidationError(await mona.api.get('/api/tickets/not-a-uuid'), 'id');
  });

  it('when a crafted cursor names a ticket number beyond PostgreSQL integers, then 400 names cursor, not 500', async () => {
    for (const number of ['9999999999', '2147483648']) {
      const cursor = Buffer.from(`n:${number}`).toString('base64');
      assertValidationError(
        await mona.api.get(`/api/tickets?sort=newest&cursor=${encodeURIComponent(cursor)}`),
        'cursor',
      );
    }
    const largest = Buffer.from('n:2147483647').toString('base64url');
    assert.equal(
      (await mona.api.get(`/api/tickets?sort=newest&cursor=${largest}`)).status,
      200,
      'the largest integer pages',
    );
    // The default (activity) cursor also names the last customer activity, in ms since 1970.
    for (const crafted of ['a:1:2147483648', 'a:253402300800000:1', 'n:5']) {
      const cursor = Buffer.from(crafted).toString('base64url');
      assertValidationError(await mona.api.get(`/api/tickets?cursor=${cursor}`), 'cursor');
    }
    for (const fine of ['a:253402300799999:2147483647', 'a::2147483647']) {
      const cursor = Buffer.from(fine).toString('base64url');
      assert.equal((await mona.api.get(`/api/tickets?cursor=${cursor}`)).status, 200, fine);
    }
  });

  it('when the assignee opens a ticket, then the whole thread comes back', async () => {
    await helpdesk.context.db.ticketNote.create({
      data: { ticketId: tickets.monaOpen!.id, agentId: mona.id, body: 'called the branch' },
    });
    const answer = await mona.api.get<{
      ticket: { number: number };
      messages: Array<{ text: string }>;
      notes: Array<{ body: string }>;
      customer: { phone: string };
    }>(`/api/tickets/${tickets.monaOpen!.id}`);
    assert.equal(answer.status, 200);
    assertMatches(threadView, answer.body);
    assert.equal(answer.body.ticket.number, tickets.monaOpen!.number);
    assert.equal(answer.body.customer.phone, '+201001112233');
    assert.deepEqual(
      answer.body.messages.map((message) => message.text),
      ['hello'],
    );
    assert.deepEqual(
      answer.body.notes.map((note) => note.body),
      ['called the branch'],
    );
  });

  it("when an agent opens another agent's ticket, then 403; a waiting ticket is readable; an admin reads all", async () => {
    const refused = await omar.api.get(`/api/tickets/${tickets.monaOpen!.id}`);
    assert.equal(refused.status, 403);
    assert.match(String(refused.body.message), /another agent/);
    assert.equal((await omar.api.get(`/api/tickets/${tickets.waiting!.id}`)).status, 200);
    assert.equal((await admin.api.get(`/api/tickets/${tickets.monaOpen!.id}`)).status, 200);
  });

  it('when the ticket does not exist, then 404', async () => {
    const answer = await admin.api.get('/api/tickets/00000000-0000-4000-8000-000000000000');
    assert.equal(answer.status, 404);
  });

  it("when an agent filters by another agent's id, then 403", async () => {
    assert.equal((await mona.api.get(`/api/tickets?assigneeId=${omar.id}`)).status, 403);
    const admins = await admin.api.get<Page>(`/api/tickets?view=all&assigneeId=${omar.id}`);
    assert.deepEqual(numbers(admins.body), [tickets.omarOpen!.number]);
  });
});
