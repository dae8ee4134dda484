/**
 * Nobody missed: the inbox orders tickets by the latest customer message, each agent has their own
 * unread count per ticket (cleared by `POST /api/tickets/:id/read`), `waitingSince` stays until an
 * agent (not the bot) answers, `GET /api/tickets/counts` gives the badges, and keyset pages in the
 * activity order return every ticket exactly once.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  ticketCountsSchema,
  ticketPageSchema,
  ticketSchema,
  ticketThreadSchema,
  type Ticket,
  type TicketCounts,
  type TicketPage,
} from '@whatsapp-helpdesk/contract/api';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';
import { assertMatches, assertValidationError, createAgent, seedTicket, type TestAgent } from './api-support';

const MINUTE = 60_000;

describe("agents' API: unread messages, waiting customers and the activity order", () => {
  let helpdesk: TestHelpdesk;
  let mona: TestAgent;
  let omar: TestAgent;
  let admin: TestAgent;
  let older: Awaited<ReturnType<typeof seedTicket>>;
  let newer: Awaited<ReturnType<typeof seedTicket>>;
  let waiting: Awaited<ReturnType<typeof seedTicket>>;

  before(async () => {
    helpdesk = await startTestHelpdesk();
    // Away: automatic assignment leaves the seeded waiting ticket in the queue.
    mona = await createAgent(helpdesk, { name: 'Mona', availability: 'away' });
    omar = await createAgent(helpdesk, { name: 'Omar', availability: 'away' });
    admin = await createAgent(helpdesk, { name: 'Admin', role: 'admin', capacity: 0 });
    const db = helpdesk.context.db;
    older = await seedTicket(db, {
      assigneeId: mona.id,
      customerName: 'Older',
      phone: '+201005550001',
      openedAt: new Date(Date.now() - 120 * MINUTE),
    });
    newer = await seedTicket(db, {
      assigneeId: mona.id,
      customerName: 'Newer',
      phone: '+201005550002',
      openedAt: new Date(Date.now() - 60 * MINUTE),
    });
    waiting = await seedTicket(db, {
      customerName: 'Waiting',
      phone: '+201005550003',
      openedAt: new Date(Date.now() - 30 * MINUTE),
    });
  });
  after(() => helpdesk.stop());

  const list = async (agent: TestAgent, query = '') => {
    const answer = await agent.api.get<TicketPage>(`/api/tickets${query}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assertMatches(ticketPageSchema, answer.body);
    return answer.body;
  };
  const ticketIn = async (agent: TestAgent, id: string, query = '') => {
    const found = (await list(agent, query)).items.find((item) => item.id === id);
    assert.ok(found, `ticket ${id} is listed`);
    return found;
  };
  const counts = async (agent: TestAgent) => {
    const answer = await agent.api.get<TicketCounts>('/api/tickets/counts');
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assertMatches(ticketCountsSchema, answer.body);
    return answer.body;
  };
  /** The customer writes through the real webhook; resolves once the message is stored. */
  const customerWrites = async (phone: string, text: string) => {
    assert.equal((await helpdesk.postWppconnect(textEvent(phone, text))).status, 202);
    await waitFor(
      () => helpdesk.context.db.message.findFirst({ where: { text, direction: 'inbound' } }),
      10_000,
      `"${text}" stored`,
    );
  };

  it('when a customer writes on an older ticket, then it moves to the top of the default list', async () => {
    assert.deepEqual(
      (await list(mona)).items.map((item) => item.number),
      [newer.number, older.number],
      'before: the latest customer message first',
    );
    await customerWrites(older.phone, 'are you there?');
    const page = await list(mona);
    assert.deepEqual(
      page.items.map((item) => item.number),
      [older.number, newer.number],
    );
    assert.equal(page.items[0]!.lastMessage?.direction, 'inbound');
    assert.equal(
      page.items[0]!.lastMessage?.deliveryStatus,
      null,
      'inbound messages have no delivery status',
    );
    assert.deepEqual(
      (await list(mona, '?sort=newest')).items.map((item) => item.number),
      [newer.number, older.number],
      'sort=newest still orders by ticket number',
    );
    assert.deepEqual(
      (await list(mona, '?sort=oldest')).items.map((item) => item.number),
      [older.number, newer.number],
    );
  });

  it("when one agent reads a ticket, then only that agent's unread count is cleared", async () => {
    assert.equal((await ticketIn(mona, older.id)).unreadCount, 2, 'never read: every customer message');
    assert.equal((await ticketIn(admin, older.id, '?view=all')).unreadCount, 2);

    const read = await mona.api.post(`/api/tickets/${older.id}/read`);
    assert.equal(read.status, 204, JSON.stringify(read.body));
    assert.equal((await ticketIn(mona, older.id)).unreadCount, 0);
    assert.equal((await ticketIn(admin, older.id, '?view=all')).unreadCount, 2, "the admin's own count");

    const thread = await mona.api.get<{ ticket: Ticket }>(`/api/tickets/${older.id}`);
    assertMatches(ticketThreadSchema, thread.body);
    assert.equal(thread.body.ticket.unreadCount, 0);

    await customerWrites(older.phone, 'hello again');
    assert.equal((await ticketIn(mona, older.id)).unreadCount, 1, 'a new message after the read');
    assert.equal((await ticketIn(admin, older.id, '?view=all')).unreadCount, 3);

    // Answers that carry a Ticket carry the caller's count too.
    const pending = await mona.api.post<Ticket>(`/api/tickets/${older.id}/status`, { status: 'pending' });
    assert.equal(pending.status, 200, JSON.stringify(pending.body));
    assertMatches(ticketSchema, pending.body);
    assert.equal(pending.body.unreadCount, 1);

    assert.equal((await admin.api.post(`/api/tickets/${older.id}/read`)).status, 204);
    assert.equal((await ticketIn(admin, older.id, '?view=all')).unreadCount, 0);
    assert.equal((await ticketIn(mona, older.id)).unreadCount, 1, "Mona's count is untouched");
  });

  it('when someone may not open the ticket, then marking it read answers as the thread would', async () => {
    assert.equal((await omar.api.post(`/api/tickets/${older.id}/read`)).status, 403);
    assert.equal((await omar.api.get(`/api/tickets/${older.id}`)).status, 403);
    assert.equal((await omar.api.post(`/api/tickets/${randomUUID()}/read`)).status, 404);
    assertValidationError(await omar.api.post('/api/tickets/not-a-uuid/read'), 'id');
    assert.equal((await omar.api.post(`/api/tickets/${waiting.id}/read`)).status, 204, 'a waiting ticket');
  });

  it('when the bot answers, then the customer still waits; when an agent answers, then no longer', async () => {
    const before = await ticketIn(mona, newer.id);
    const firstMessage = await helpdesk.context.db.message.findFirstOrThrow({
      where: { ticketId: newer.id },
    });
    assert.equal(before.waitingSince, firstMessage.sentAt.toISOString());

    await helpdesk.context.db.message.create({
      data: {
        ticketId: newer.id,
        channel: 'pharmacy',
        provider: 'wppconnect',
        direction: 'outbound',
        author: 'bot',
        type: 'text',
        text: 'An agent will answer soon',
        deliveryStatus: 'sent',
      },
    });
    const afterBot = await ticketIn(mona, newer.id);
    assert.equal(afterBot.waitingSince, before.waitingSince, 'a bot message is no answer');
    assert.equal(afterBot.lastMessage?.author, 'bot');
    assert.equal(afterBot.lastMessage?.deliveryStatus, 'sent');

    const reply = await mona.api.post(`/api/tickets/${newer.id}/messages`, { text: 'أهلاً، تحت أمرك' });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    const afterAgent = await ticketIn(mona, newer.id);
    assert.equal(afterAgent.waitingSince, null);
    assert.equal(afterAgent.lastMessage?.author, 'agent');
    assert.ok(
      ['queued', 'sent', 'delivered', 'read'].includes(afterAgent.lastMessage?.deliveryStatus ?? ''),
      `the reply's delivery status: ${afterAgent.lastMessage?.deliveryStatus}`,
    );

    await customerWrites(newer.phone, 'one more question');
    const stored = await helpdesk.context.db.message.findFirstOrThrow({
      where: { text: 'one more question' },
    });
    const again = await ticketIn(mona, newer.id);
    assert.equal(
      again.waitingSince,
      new Date(Math.min(stored.sentAt.getTime(), stored.createdAt.getTime())).toISOString(),
      'waiting since the first unanswered message',
    );

    await helpdesk.context.db.message.create({
      data: {
        ticketId: newer.id,
        channel: 'pharmacy',
        provider: 'wppconnect',
        direction: 'outbound',
        author: 'agent',
        agentId: mona.id,
        type: 'text',
        text: 'never arrived',
        deliveryStatus: 'failed',
        error: 'number not on WhatsApp',
      },
    });
    const afterFailure = await ticketIn(mona, newer.id);
    assert.equal(afterFailure.waitingSince, again.waitingSince, 'a reply that failed to send is no answer');
    assert.equal(afterFailure.lastMessage?.deliveryStatus, 'failed', 'the inbox can show the failure');
  });

  it("when an agent asks for counts, then they get their open tickets, the queue and what they haven't read", async () => {
    // Mona: older (pending, 1 unread), newer (open, never read: 2 customer messages).
    assert.deepEqual(await counts(mona), { mine: 2, unassigned: 1, unreadTickets: 2, unreadMessages: 3 });
    assert.equal((await mona.api.post(`/api/tickets/${newer.id}/read`)).status, 204);
    assert.deepEqual(await counts(mona), { mine: 2, unassigned: 1, unreadTickets: 1, unreadMessages: 1 });
    assert.deepEqual(await counts(omar), { mine: 0, unassigned: 1, unreadTickets: 0, unreadMessages: 0 });
    assert.equal((await omar.api.get('/api/tickets/counts')).status, 200, 'not taken for a ticket id');
  });

  it('when paging in the activity order, then every ticket comes exactly once, ties and tickets without customer messages included', async () => {
    const db = helpdesk.context.db;
    const tie = new Date(Date.now() - 10 * MINUTE);
    // 3 + 4 tickets with customer messages, then 3 without: with pages of 2, one page holds both.
    for (let index = 0; index < 4; index += 1) {
      await seedTicket(db, { status: 'resolved', customerName: `Tie ${index}`, openedAt: tie });
    }
    for (let index = 0; index < 3; index += 1) {
      const silent = await seedTicket(db, { status: 'closed', customerName: `Silent ${index}` });
      await db.ticket.update({ where: { id: silent.id }, data: { lastInboundAt: null } });
    }
    const all = await db.ticket.findMany({ select: { number: true, lastInboundAt: true } });
    const expected = all
      .sort(
        (a, b) =>
          (b.lastInboundAt?.getTime() ?? -Infinity) - (a.lastInboundAt?.getTime() ?? -Infinity) ||
          b.number - a.number,
      )
      .map((ticket) => ticket.number);

    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?view=all&status=open,pending,resolved,closed&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await list(admin, query);
      seen.push(...page.items.map((item) => item.number));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 20);
    assert.equal(all.filter((ticket) => ticket.lastInboundAt).length % 2, 1);
    assert.deepEqual(seen, expected);
    assert.equal(new Set(seen).size, all.length);
    assert.equal(pages, Math.ceil(all.length / 2));

    const oneCursor = (await list(admin, '?view=all&status=closed&limit=1')).nextCursor!;
    assertValidationError(
      await admin.api.get(`/api/tickets?view=all&sort=newest&cursor=${oneCursor}`),
      'cursor',
    );
  });

  it('when the API document is fetched, then it describes the read marker, the counts and the new fields', async () => {
    const document = (await (await fetch(`${helpdesk.url}/api/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: Array<{ name: string; schema?: { enum?: string[]; default?: string } }>;
            responses: Record<string, unknown>;
          }
        >
      >;
      components: { schemas: Record<string, { required?: string[] }> };
    };
    assert.ok(
      document.paths['/api/tickets/{id}/read']?.post?.responses['204'],
      'POST /api/tickets/{id}/read answers 204',
    );
    assert.ok(document.paths['/api/tickets/counts']?.get?.responses['200'], 'GET /api/tickets/counts');
    assert.deepEqual(document.components.schemas.TicketCounts?.required?.sort(), [
      'mine',
      'unassigned',
      'unreadMessages',
      'unreadTickets',
    ]);
    const ticket = document.components.schemas.Ticket?.required ?? [];
    assert.ok(ticket.includes('unreadCount') && ticket.includes('waitingSince'), ticket.join());
    const sort = document.paths['/api/tickets']!.get!.parameters!.find(
      (parameter) => parameter.name === 'sort',
    );
    assert.deepEqual(sort?.schema?.enum, ['activity', 'newest', 'oldest']);
    assert.equal(sort?.schema?.default, 'activity');
  });

  it('when a customer shares contacts, then the inbox preview names them, not the raw vCard', async () => {
    const vcards = [
      'BEGIN:VCARD\nVERSION:3.0\nN:سامي;د.;;;\nFN:د. سامي\nitem1.TEL;waid=201112223334:+20 111 222 3334\nEND:VCARD',
      'BEGIN:VCARD\nVERSION:3.0\nN:الصيدلية;;;;\nTEL;type=CELL:+20 100 000 0001\nEND:VCARD',
    ].join('\n');
    const event = textEvent(waiting.phone, vcards);
    Object.assign(event.message, { type: 'contact' });
    assert.equal((await helpdesk.postWppconnect(event)).status, 202);
    const stored = await waitFor(
      () =>
        helpdesk.context.db.message.findFirst({
          where: { providerMessageId: event.message.providerMessageId },
          select: { ticketId: true, type: true },
        }),
      10_000,
      'contact stored',
    );
    assert.equal(stored.type, 'contact');
    assert.equal(stored.ticketId, waiting.id);
    const item = await ticketIn(admin, waiting.id, '?view=all');
    assert.equal(item.lastMessage?.type, 'contact');
    assert.equal(item.lastMessage?.preview, 'د. سامي، الصيدلية');
  });
});
