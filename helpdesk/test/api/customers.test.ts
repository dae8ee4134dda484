/**
 * Customers through the agents' API: search by name, phone (national or E.164, Arabic digits) and
 * tag, ticket history, and editing name, tags and notes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  customerHistorySchema as customerHistoryView,
  customerPageSchema as customerPageView,
  customerSchema as customerView,
} from '@whatsapp-helpdesk/contract/api';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import {
  apiClient,
  assertMatches,
  assertValidationError,
  createAgent,
  seedTicket,
  type TestAgent,
} from './api-support';

describe("agents' API: customers", () => {
  let helpdesk: TestHelpdesk;
  let mona: TestAgent;
  let salma: { customerId: string; phone: string };

  before(async () => {
    helpdesk = await startTestHelpdesk();
    mona = await createAgent(helpdesk, { name: 'Mona', availability: 'away' });
    const db = helpdesk.context.db;
    salma = await seedTicket(db, {
      customerName: 'Salma Hassan',
      phone: '+201005556677',
      status: 'resolved',
    });
    await seedTicket(db, { phone: '+201005556677', assigneeId: mona.id });
    await seedTicket(db, { customerName: 'Youssef', phone: '+201009998877' });
    await db.customer.update({ where: { id: salma.customerId }, data: { tags: ['vip'] } });
  });
  after(() => helpdesk.stop());

  const ids = (body: { items: Array<{ id: string }> }) => body.items.map((item) => item.id);

  it('when an agent searches by name, phone or tag, then the customer is found', async () => {
    const byName = await mona.api.get<{ items: Array<{ id: string }> }>('/api/customers?q=salma');
    assert.equal(byName.status, 200);
    assertMatches(customerPageView, byName.body);
    assert.deepEqual(ids(byName.body), [salma.customerId]);
    assert.deepEqual(
      ids((await mona.api.get<{ items: Array<{ id: string }> }>('/api/customers?q=01005556677')).body),
      [salma.customerId],
    );
    assert.deepEqual(
      ids(
        (
          await mona.api.get<{ items: Array<{ id: string }> }>(
            `/api/customers?q=${encodeURIComponent('+201005556677')}`,
          )
        ).body,
      ),
      [salma.customerId],
    );
    assert.deepEqual(
      ids((await mona.api.get<{ items: Array<{ id: string }> }>('/api/customers?q=vip')).body),
      [salma.customerId],
    );
    const everyone = await mona.api.get<{ items: unknown[]; nextCursor: string | null }>(
      '/api/customers?limit=1',
    );
    assert.equal(everyone.body.items.length, 1);
    assert.ok(everyone.body.nextCursor);
    const next = await mona.api.get<{ items: Array<{ id: string }>; nextCursor: string | null }>(
      `/api/customers?limit=1&cursor=${everyone.body.nextCursor}`,
    );
    assert.equal(next.body.items.length, 1);
    assert.equal(next.body.nextCursor, null);
    assertValidationError(await mona.api.get('/api/customers?limit=0'), 'limit');
  });

  it('when an agent opens a customer, then their ticket history comes back, newest first', async () => {
    const answer = await mona.api.get<{ tickets: Array<{ status: string }>; openTickets: number }>(
      `/api/customers/${salma.customerId}`,
    );
    assert.equal(answer.status, 200);
    assertMatches(customerHistoryView, answer.body);
    assert.deepEqual(
      answer.body.tickets.map((ticket) => ticket.status),
      ['open', 'resolved'],
    );
    assert.equal(answer.body.openTickets, 1);
    assert.equal((await mona.api.get('/api/customers/00000000-0000-4000-8000-000000000000')).status, 404);
  });

  it("when an agent edits a customer's name, tags and notes, then they are kept", async () => {
    const answer = await mona.api.patch(`/api/customers/${salma.customerId}`, {
      name: 'سلمى حسن',
      tags: ['vip', ' diabetic ', 'vip'],
      notes: 'prefers Arabic',
    });
    assert.equal(answer.status, 200);
    assertMatches(customerView, answer.body);
    assert.equal(answer.body.name, 'سلمى حسن');
    assert.deepEqual(answer.body.tags, ['vip', 'diabetic']);
    assert.equal(answer.body.notes, 'prefers Arabic');
    const cleared = await mona.api.patch(`/api/customers/${salma.customerId}`, { notes: null });
    assert.equal(cleared.body.notes, null);
    assert.equal(cleared.body.name, 'سلمى حسن', 'left out: unchanged');
    // The directory finds her by the new tag and name at once, the name spelt with ي for ى.
    const found = async (q: string) =>
      ids(
        (await mona.api.get<{ items: Array<{ id: string }> }>(`/api/customers?q=${encodeURIComponent(q)}`))
          .body,
      );
    assert.deepEqual(await found('diabetic'), [salma.customerId]);
    assert.deepEqual(await found('سلمي'), [salma.customerId]);
    assert.deepEqual(await found('salma'), [], 'the old name no more');
  });

  it('when an edit is invalid, then 400 names the field; without a session, 401', async () => {
    assertValidationError(
      await mona.api.patch(`/api/customers/${salma.customerId}`, { tags: 'vip' }),
      'tags',
    );
    assertValidationError(
      await mona.api.patch(`/api/customers/${salma.customerId}`, { tags: [''] }),
      'tags.0',
    );
    assertValidationError(
      await mona.api.patch(`/api/customers/${salma.customerId}`, { name: 'x'.repeat(300) }),
      'name',
    );
    assert.equal((await mona.api.patch(`/api/customers/${salma.customerId}`, {})).status, 400);
    const nobody = '00000000-0000-4000-8000-000000000000';
    assert.equal((await mona.api.patch(`/api/customers/${nobody}`, { notes: 'x' })).status, 404);
    assert.equal((await apiClient(helpdesk.url, null).get('/api/customers')).status, 401);
  });

  it('when a crafted cursor holds an out-of-range date or a non-UUID id, then 400 names cursor, not 500', async () => {
    const id = '3f1c2a64-1b1e-4c1e-9f44-5b8f1e0c2d7a';
    for (const decoded of [
      `+275760-09-13T00:00:00.000Z|${id}`,
      `-271821-04-20T00:00:00.000Z|${id}`,
      `2026-01-01T00:00:00.000Z|${'-'.repeat(36)}`,
      `2026-01-01T00:00:00.000Z|zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz`,
    ]) {
      const cursor = Buffer.from(decoded).toString('base64url');
      assertValidationError(await mona.api.get(`/api/customers?cursor=${cursor}`), 'cursor');
    }
  });
});
