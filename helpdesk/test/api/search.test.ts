/**
 * Search everywhere (`GET /api/search`) as an agent uses the search box: a word from a customer's
 * message finds a ticket resolved long ago; Arabic is found whatever the spelling variant
 * (ة/ه, أ/ا, ى/ي), harakat or tatweel; a phone in any form (Arabic-Indic digits, +20, spaces);
 * a ticket number; and a ticket another agent holds is listed as not openable, without its text.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { searchResultSchema, type SearchHit } from '@whatsapp-helpdesk/contract/api';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import {
  apiClient,
  assertMatches,
  assertValidationError,
  createAgent,
  seedTicket,
  type TestAgent,
} from './api-support';

type Seeded = Awaited<ReturnType<typeof seedTicket>>;

describe("agents' API: search everywhere", () => {
  let helpdesk: TestHelpdesk;
  let mona: TestAgent;
  let omar: TestAgent;
  let admin: TestAgent;
  let friday: Seeded;
  let pharmacy: Seeded;
  let ahmed: Seeded;
  let thanks: Seeded;
  let omars: Seeded;
  let panadol: Seeded;

  before(async () => {
    helpdesk = await startTestHelpdesk();
    mona = await createAgent(helpdesk, { name: 'Mona', availability: 'away' });
    omar = await createAgent(helpdesk, { name: 'Omar', availability: 'away' });
    admin = await createAgent(helpdesk, { name: 'Admin', role: 'admin', capacity: 0, availability: 'away' });
    const db = helpdesk.context.db;
    friday = await seedTicket(db, {
      status: 'resolved',
      assigneeId: mona.id,
      customerName: 'Salma',
      text: 'هل الصيدلية مفتوحة يوم الجمعة بعد الصلاة؟',
      openedAt: new Date(Date.now() - 40 * 24 * 3600 * 1000),
    });
    // A four-digit number, also part of a customer's phone below: the number ranks first.
    await db.ticket.update({ where: { id: friday.id }, data: { number: 1234 } });
    friday.number = 1234;
    pharmacy = await seedTicket(db, {
      status: 'closed',
      customerName: 'Youssef',
      text: 'أريد دواء الضغط من صيدلية النهدي',
    });
    ahmed = await seedTicket(db, { customerName: 'أحمد إبراهيم', phone: '+201001234567', text: 'مرحبا' });
    thanks = await seedTicket(db, {
      assigneeId: mona.id,
      customerName: 'Hoda',
      text: 'شُكْراً جَزِيــــلاً على المساعدة',
    });
    omars = await seedTicket(db, {
      assigneeId: omar.id,
      customerName: 'Karim',
      text: 'الروشتة فيها مضاد حيوي',
    });
    panadol = await seedTicket(db, { customerName: 'Laila', text: 'Do you have Panadol Extra?' });
    // An agent's reply (outbound) is searched too, and its caption.
    await db.message.create({
      data: {
        ticketId: thanks.id,
        channel: 'pharmacy',
        provider: 'wppconnect',
        direction: 'outbound',
        author: 'agent',
        agentId: mona.id,
        type: 'image',
        caption: 'صورة الفاتورة المطلوبة',
        deliveryStatus: 'sent',
      },
    });
  });
  after(() => helpdesk.stop());

  async function search(agent: TestAgent, q: string, limit?: number): Promise<SearchHit[]> {
    const answer = await agent.api.get<{ items: SearchHit[] }>(
      `/api/search?q=${encodeURIComponent(q)}${limit ? `&limit=${limit}` : ''}`,
    );
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assertMatches(searchResultSchema, answer.body, `search ${q}`);
    return answer.body.items;
  }

  const hitFor = (hits: SearchHit[], ticket: Seeded) => hits.find((hit) => hit.ticket.id === ticket.id);

  it('when a word of a message of a resolved ticket is searched, then that ticket is found with an excerpt', async () => {
    const hits = await search(mona, 'الجمعه'); // typed with ه for ة
    const hit = hitFor(hits, friday);
    assert.ok(hit, `found: ${JSON.stringify(hits)}`);
    assert.equal(hit.ticket.status, 'resolved');
    assert.equal(hit.ticket.number, friday.number);
    assert.equal(hit.matchedIn, 'message');
    assert.match(hit.snippet ?? '', /يوم الجمعة/);
    assert.ok(hit.messageId);
    assert.ok(hit.matchedAt);
    assert.equal(hit.openable, true);
    assert.equal(hit.reason, null);
  });

  it('when "صيدليه" is searched, then messages with "صيدلية" and "الصيدلية" are found (closed tickets too)', async () => {
    const hits = await search(mona, 'صيدليه');
    assert.ok(hitFor(hits, pharmacy), 'صيدلية النهدي');
    assert.ok(hitFor(hits, friday), 'الصيدلية');
    assert.equal(hitFor(hits, pharmacy)?.ticket.status, 'closed');
    // And the other way round: written with harakat, found without.
    assert.ok(hitFor(await search(mona, 'صَيْدَلِيَّة'), pharmacy));
  });

  it('when "احمد" is searched, then the customer "أحمد إبراهيم" is found by name', async () => {
    const hits = await search(mona, 'احمد');
    const hit = hitFor(hits, ahmed);
    assert.ok(hit);
    assert.equal(hit.matchedIn, 'name');
    assert.equal(hit.ticket.customer.name, 'أحمد إبراهيم');
    assert.equal(hit.snippet, null);
    assert.ok(hitFor(await search(mona, 'ابراهيم'), ahmed), 'إ folds to ا');
  });

  it('when harakat and tatweel differ, then they are ignored both ways', async () => {
    const plain = await search(mona, 'شكرا جزيلا');
    assert.ok(hitFor(plain, thanks), 'stored with harakat and tatweel, searched plain');
    const decorated = await search(mona, 'الـصـيـدلـيـة');
    assert.ok(hitFor(decorated, friday), 'searched with tatweel');
  });

  it('when an agent reply caption or Latin text in another case is searched, then it is found', async () => {
    const caption = hitFor(await search(mona, 'الفاتوره'), thanks);
    assert.equal(caption?.matchedIn, 'message');
    assert.match(caption?.snippet ?? '', /الفاتورة/);
    assert.ok(hitFor(await search(mona, 'PANADOL extra'), panadol));
  });

  it('when a phone is typed in Arabic-Indic digits, nationally or with +20 and spaces, then its customer is found', async () => {
    for (const q of ['٠١٠٠١٢٣٤٥٦٧', '٠١٠٠ ١٢٣ ٤٥٦٧', '+20 100-123-4567', '201001234567', '1234567']) {
      const hits = await search(mona, q);
      assert.equal(
        hits[0]?.ticket.id,
        ahmed.id,
        `${q}: ${JSON.stringify(hits.map((hit) => hit.ticket.number))}`,
      );
      assert.equal(hits[0]?.matchedIn, 'phone', q);
    }
  });

  it('when a ticket number is searched (#, bare or in Arabic-Indic digits), then that ticket comes first', async () => {
    for (const q of ['#1234', '#١٢٣٤', '١٢٣٤', '# 1234', '1234']) {
      const hits = await search(mona, q);
      assert.equal(hits[0]?.ticket.id, friday.id, q);
      assert.equal(hits[0]?.matchedIn, 'number', q);
    }
    // A bare number is also part of a phone (+201001234567); "#" asks for the ticket number only.
    assert.equal(hitFor(await search(mona, '1234'), ahmed)?.matchedIn, 'phone');
    assert.deepEqual(
      (await search(mona, '#1234')).map((hit) => hit.ticket.id),
      [friday.id],
    );
  });

  it('when a hit is assigned to another agent, then it is listed as not openable, without its text', async () => {
    const hit = hitFor(await search(mona, 'الروشته'), omars);
    assert.ok(hit);
    assert.equal(hit.openable, false);
    assert.equal(hit.reason, 'assigned_to_other');
    assert.equal(hit.snippet, null);
    assert.equal(hit.messageId, null);
    assert.equal(hit.ticket.assignee?.name, 'Omar');
    const forOmar = hitFor(await search(omar, 'الروشته'), omars);
    assert.equal(forOmar?.openable, true);
    assert.match(forOmar?.snippet ?? '', /الروشتة/);
    assert.equal(hitFor(await search(admin, 'الروشته'), omars)?.openable, true);
  });

  it('when limit is given, then at most that many hits come', async () => {
    assert.equal((await search(mona, 'ال', 1)).length <= 1, true);
    assert.equal((await search(admin, 'صيدليه', 1)).length, 1);
  });

  it('when q is shorter than 2 characters, missing, or limit is out of range, then 400 naming the field', async () => {
    assertValidationError(await mona.api.get('/api/search?q=a'), 'q');
    assertValidationError(await mona.api.get(`/api/search?q=${encodeURIComponent(' ١ ')}`), 'q');
    assertValidationError(await mona.api.get('/api/search'), 'q');
    assertValidationError(await mona.api.get('/api/search?q=ahmed&limit=51'), 'limit');
    assert.equal((await apiClient(helpdesk.url, null).get('/api/search?q=ahmed')).status, 401);
  });

  it('when a customer is renamed, then search finds them by the new name and no longer by the old one', async () => {
    const renamed = await seedTicket(helpdesk.context.db, { customerName: 'Nadia Fawzy' });
    assert.equal(hitFor(await search(mona, 'Nadia Fawzy'), renamed)?.matchedIn, 'name');
    await helpdesk.context.db.customer.update({
      where: { id: renamed.customerId },
      data: { name: 'نادية إسماعيل' },
    });
    assert.equal(hitFor(await search(mona, 'fawzy'), renamed), undefined, 'the old name');
    const hit = hitFor(await search(mona, 'اسماعيل'), renamed);
    assert.equal(hit?.matchedIn, 'name', 'the new name, إ typed as ا');
    assert.equal(hit?.ticket.customer.name, 'نادية إسماعيل');
  });

  it('when a word is whole in an older message and part of a longer word in a newer one, then the whole word ranks first, newest first among whole words', async () => {
    const db = helpdesk.context.db;
    // Within the last day (the first step of a message search) and older (the full ranking).
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600 * 1000);
    const older = await seedTicket(db, { text: 'Is Augmentin 1g available?', openedAt: hoursAgo(3) });
    const newer = await seedTicket(db, { text: 'Do you have Augmentin syrup?', openedAt: hoursAgo(2) });
    const partial = await seedTicket(db, { text: 'I need augmentinum for my son', openedAt: hoursAgo(1) });
    const old = await seedTicket(db, { text: 'Augmentin again please', openedAt: hoursAgo(24 * 40) });
    const ids = async (limit: number) => (await search(mona, 'augmentin', limit)).map((hit) => hit.ticket.id);
    assert.deepEqual(await ids(1), [newer.id]);
    assert.deepEqual(await ids(2), [newer.id, older.id]);
    assert.deepEqual(await ids(3), [newer.id, older.id, old.id]);
    assert.deepEqual(await ids(4), [newer.id, older.id, old.id, partial.id]);
    // Part of a word is still found, and Arabic written with hamza and harakat by its plain form.
    assert.deepEqual(
      (await search(mona, 'augmentinu')).map((hit) => hit.ticket.id),
      [partial.id],
    );
    const arabic = await seedTicket(db, { text: 'عندي روشتة أُوجمنتين', openedAt: hoursAgo(1) });
    assert.ok(hitFor(await search(mona, 'اوجمنتين'), arabic), 'أ and harakat folded');
  });

  it('when nothing matches, then the list is empty', async () => {
    assert.deepEqual(await search(mona, 'zzzz-nothing'), []);
  });
});
