/**
 * Labels through the agents' API: admins keep the list (names unique in any letter case, colours
 * as #rrggbb), agents who may act on a ticket put labels on it, the inbox filters by label, and a
 * deleted label comes off every ticket. Also a ticket's category: chosen from the bot menu's
 * options, recorded as a `classified` event by the agent, announced on the realtime stream.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  labelListSchema,
  labelSchema,
  ticketCategoryListSchema,
  ticketSchema,
  type Label,
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
import { openStream } from './sse-client';

/** The parts of a Ticket this feature adds or changes. */
const labelledTicket = ticketSchema.pick({ id: true, category: true, labels: true, allowedActions: true });

interface TicketAnswer {
  id: string;
  category: string | null;
  labels: Label[];
}

describe("agents' API: labels and categories", () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;
  let mona: TestAgent;
  let omar: TestAgent;
  let monasTicket: { id: string; number: number };
  let waitingTicket: { id: string; number: number };

  before(async () => {
    helpdesk = await startTestHelpdesk();
    admin = await createAgent(helpdesk, { name: 'Admin', role: 'admin', capacity: 0 });
    mona = await createAgent(helpdesk, { name: 'Mona', availability: 'away' });
    omar = await createAgent(helpdesk, { name: 'Omar', availability: 'away' });
    const db = helpdesk.context.db;
    monasTicket = await seedTicket(db, { assigneeId: mona.id, customerName: 'Salma' });
    waitingTicket = await seedTicket(db, { customerName: 'Youssef' });
  });
  after(() => helpdesk.stop());

  const remove = (agent: TestAgent, path: string) => agent.api.fetch(path, { method: 'DELETE' });

  it('when an admin creates, renames and recolours labels, then every agent lists them by name', async () => {
    const vip = await admin.api.post<Label>('/api/labels', { name: 'VIP', color: '#D4A017' });
    assert.equal(vip.status, 201, JSON.stringify(vip.body));
    assertMatches(labelSchema, vip.body);
    assert.equal(vip.body.color, '#d4a017', 'colour kept in lower case');
    const refund = await admin.api.post<Label>('/api/labels', { name: '  استرجاع  ', color: '#c0392b' });
    assert.equal(refund.status, 201);
    assert.equal(refund.body.name, 'استرجاع', 'name trimmed');

    const renamed = await admin.api.patch<Label>(`/api/labels/${vip.body.id}`, { name: 'Gold' });
    assert.equal(renamed.status, 200);
    assert.deepEqual(renamed.body, { id: vip.body.id, name: 'Gold', color: '#d4a017' });
    const recoloured = await admin.api.patch<Label>(`/api/labels/${vip.body.id}`, { color: '#00AA55' });
    assert.deepEqual(recoloured.body, { id: vip.body.id, name: 'Gold', color: '#00aa55' });

    const list = await mona.api.get<{ items: Label[] }>('/api/labels');
    assert.equal(list.status, 200);
    assertMatches(labelListSchema, list.body);
    assert.deepEqual(
      list.body.items.map((label) => label.name),
      ['Gold', 'استرجاع'],
    );
  });

  it('when a label name is taken in any letter case, then 409; bad names and colours are 400 naming the field', async () => {
    const first = await admin.api.post<Label>('/api/labels', { name: 'Urgent', color: '#ff0000' });
    assert.equal(first.status, 201);
    const duplicate = await admin.api.post<{ message: string }>('/api/labels', {
      name: 'uRGENT',
      color: '#00ff00',
    });
    assert.equal(duplicate.status, 409);
    assert.match(duplicate.body.message, /^name: /);
    const other = await admin.api.post<Label>('/api/labels', { name: 'Later', color: '#00ff00' });
    assert.equal((await admin.api.patch(`/api/labels/${other.body.id}`, { name: 'URGENT' })).status, 409);

    assertValidationError(await admin.api.post('/api/labels', { name: '', color: '#ff0000' }), 'name');
    assertValidationError(await admin.api.post('/api/labels', { name: '   ', color: '#ff0000' }), 'name');
    assertValidationError(
      await admin.api.post('/api/labels', { name: 'x'.repeat(41), color: '#ff0000' }),
      'name',
    );
    assertValidationError(await admin.api.post('/api/labels', { name: 'Red', color: 'red' }), 'color');
    assertValidationError(await admin.api.post('/api/labels', { name: 'Red', color: '#ff00' }), 'color');
    assertValidationError(await admin.api.post('/api/labels', { name: 'Red' }), 'color');
    assert.equal((await admin.api.patch(`/api/labels/${other.body.id}`, {})).status, 400);
    assertValidationError(
      await admin.api.patch(`/api/labels/${other.body.id}`, { color: '#12345g' }),
      'color',
    );
    assertValidationError(await admin.api.patch('/api/labels/not-a-uuid', { name: 'x' }), 'id');
    assert.equal(
      (await admin.api.patch('/api/labels/00000000-0000-4000-8000-000000000000', { name: 'x' })).status,
      404,
    );
    const names = (await admin.api.get<{ items: Label[] }>('/api/labels')).body.items.map(
      (label) => label.name,
    );
    assert.ok(!names.includes('uRGENT') && !names.includes('Red'), 'nothing half-written');
  });

  it('when an agent (not an admin) changes labels, then 403; without a session, 401', async () => {
    const label = (await admin.api.get<{ items: Label[] }>('/api/labels')).body.items[0]!;
    assert.equal((await mona.api.post('/api/labels', { name: 'Mine', color: '#123456' })).status, 403);
    assert.equal((await mona.api.patch(`/api/labels/${label.id}`, { name: 'Mine' })).status, 403);
    assert.equal((await remove(mona, `/api/labels/${label.id}`)).status, 403);
    assert.equal((await apiClient(helpdesk.url, null).get('/api/labels')).status, 401);
    const after = (await admin.api.get<{ items: Label[] }>('/api/labels')).body.items;
    assert.ok(
      after.some((entry) => entry.id === label.id && entry.name === label.name),
      'unchanged',
    );
  });

  it('when the assignee labels a ticket, then the ticket carries its labels and the inbox filters by them', async () => {
    const vip = await admin.api.post<Label>('/api/labels', { name: 'VIP', color: '#aa00aa' });
    const refill = await admin.api.post<Label>('/api/labels', { name: 'Refill', color: '#0055aa' });
    const stream = await openStream(helpdesk.url, admin.token);
    const answer = await mona.api.put<TicketAnswer>(`/api/tickets/${monasTicket.id}/labels`, {
      labelIds: [vip.body.id, refill.body.id, vip.body.id],
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    try {
      const seen = await stream.next((event) => event.event === 'ticket.updated');
      assert.equal(seen.data.ticketId, monasTicket.id);
      assert.deepEqual(
        [...(seen.data.labelIds as string[])].sort(),
        [vip.body.id, refill.body.id].sort(),
        'other consoles hear of it',
      );
    } finally {
      stream.close();
    }
    assertMatches(labelledTicket, answer.body);
    assert.deepEqual(
      answer.body.labels.map((label) => label.name),
      ['Refill', 'VIP'],
    );

    const thread = await mona.api.get<{ ticket: TicketAnswer }>(`/api/tickets/${monasTicket.id}`);
    assert.deepEqual(
      thread.body.ticket.labels.map((label) => label.id).sort(),
      [vip.body.id, refill.body.id].sort(),
    );

    const filtered = await admin.api.get<{ items: TicketAnswer[] }>(
      `/api/tickets?view=all&label=${vip.body.id}`,
    );
    assert.equal(filtered.status, 200);
    assert.deepEqual(
      filtered.body.items.map((ticket) => ticket.id),
      [monasTicket.id],
    );
    const mine = await mona.api.get<{ items: TicketAnswer[] }>(
      `/api/tickets?view=mine&label=${refill.body.id}`,
    );
    assert.deepEqual(
      mine.body.items.map((ticket) => ticket.id),
      [monasTicket.id],
    );
    const everything = await admin.api.get<{ items: TicketAnswer[] }>('/api/tickets?view=all');
    const waiting = everything.body.items.find((ticket) => ticket.id === waitingTicket.id);
    assert.deepEqual(waiting?.labels, [], 'an unlabelled ticket has none');
    assertValidationError(await admin.api.get('/api/tickets?view=all&label=vip'), 'label');

    // Fewer labels: the others come off; none: the ticket has none.
    const fewer = await mona.api.put<TicketAnswer>(`/api/tickets/${monasTicket.id}/labels`, {
      labelIds: [refill.body.id],
    });
    assert.deepEqual(
      fewer.body.labels.map((label) => label.name),
      ['Refill'],
    );
    const none = await mona.api.put<TicketAnswer>(`/api/tickets/${monasTicket.id}/labels`, { labelIds: [] });
    assert.deepEqual(none.body.labels, []);
  });

  it("when an agent labels another agent's ticket, then 403; a waiting ticket anyone may label", async () => {
    const label = (await admin.api.get<{ items: Label[] }>('/api/labels')).body.items[0]!;
    const refused = await omar.api.put(`/api/tickets/${monasTicket.id}/labels`, { labelIds: [label.id] });
    assert.equal(refused.status, 403);
    const thread = await mona.api.get<{ ticket: TicketAnswer }>(`/api/tickets/${monasTicket.id}`);
    assert.ok(!thread.body.ticket.labels.some((entry) => entry.id === label.id), 'nothing written');

    const waiting = await omar.api.put<TicketAnswer>(`/api/tickets/${waitingTicket.id}/labels`, {
      labelIds: [label.id],
    });
    assert.equal(waiting.status, 200);
    assert.deepEqual(
      waiting.body.labels.map((entry) => entry.id),
      [label.id],
    );
    const byAdmin = await admin.api.put<TicketAnswer>(`/api/tickets/${monasTicket.id}/labels`, {
      labelIds: [label.id],
    });
    assert.equal(byAdmin.status, 200);
  });

  it('when label ids are unknown or malformed, then 400 naming labelIds and the labels stay', async () => {
    const label = (await admin.api.get<{ items: Label[] }>('/api/labels')).body.items[0]!;
    const before = await admin.api.get<{ ticket: TicketAnswer }>(`/api/tickets/${monasTicket.id}`);
    assertValidationError(
      await admin.api.put(`/api/tickets/${monasTicket.id}/labels`, {
        labelIds: [label.id, '00000000-0000-4000-8000-000000000000'],
      }),
      'labelIds',
    );
    assertValidationError(
      await admin.api.put(`/api/tickets/${monasTicket.id}/labels`, { labelIds: ['vip'] }),
      'labelIds.0',
    );
    assertValidationError(await admin.api.put(`/api/tickets/${monasTicket.id}/labels`, {}), 'labelIds');
    assert.equal(
      (
        await admin.api.put('/api/tickets/00000000-0000-4000-8000-000000000000/labels', {
          labelIds: [label.id],
        })
      ).status,
      404,
    );
    const after = await admin.api.get<{ ticket: TicketAnswer }>(`/api/tickets/${monasTicket.id}`);
    assert.deepEqual(after.body.ticket.labels, before.body.ticket.labels, 'nothing half-written');
  });

  it('when an admin deletes a label, then it comes off every ticket and is gone from the list', async () => {
    const doomed = await admin.api.post<Label>('/api/labels', { name: 'Temporary', color: '#999999' });
    await admin.api.put(`/api/tickets/${monasTicket.id}/labels`, { labelIds: [doomed.body.id] });
    await omar.api.put(`/api/tickets/${waitingTicket.id}/labels`, { labelIds: [doomed.body.id] });
    const deleted = await remove(admin, `/api/labels/${doomed.body.id}`);
    assert.equal(deleted.status, 204);
    assert.equal((await remove(admin, `/api/labels/${doomed.body.id}`)).status, 404);
    const list = await admin.api.get<{ items: Label[] }>('/api/labels');
    assert.ok(!list.body.items.some((label) => label.id === doomed.body.id));
    for (const ticketId of [monasTicket.id, waitingTicket.id]) {
      const thread = await admin.api.get<{ ticket: TicketAnswer }>(`/api/tickets/${ticketId}`);
      assert.deepEqual(thread.body.ticket.labels, []);
    }
    const filtered = await admin.api.get<{ items: unknown[] }>(
      `/api/tickets?view=all&label=${doomed.body.id}`,
    );
    assert.deepEqual(filtered.body.items, []);
  });

  it("when an admin adds, renames or deletes a label, then every agent's open console hears of it", async () => {
    // Omar has no ticket: the notice goes to everyone, not only to those whose tickets carry it.
    const stream = await openStream(helpdesk.url, omar.token);
    try {
      assert.equal(stream.status, 200);
      const added = await admin.api.post<Label>('/api/labels', { name: 'Announced', color: '#ff0000' });
      assert.equal(added.status, 201);
      const labelId = added.body.id;
      const heard = (change: string) =>
        stream.next(
          (event) =>
            event.event === 'labels.changed' &&
            event.data.labelId === labelId &&
            event.data.change === change,
          5000,
          `labels.changed ${change}`,
        );
      const created = await heard('created');
      assert.equal(created.data.ticketId, null);
      assert.equal(created.data.ticketNumber, null);
      assert.equal((await admin.api.patch(`/api/labels/${labelId}`, { name: 'معلن' })).status, 200);
      await heard('updated');
      assert.equal((await remove(admin, `/api/labels/${labelId}`)).status, 204);
      await heard('deleted');
      // A refused change (unknown label) tells nobody anything.
      assert.equal((await remove(admin, `/api/labels/${labelId}`)).status, 404);
      const count = stream.events.filter((event) => event.event === 'labels.changed').length;
      assert.equal(count, 3, 'one notice per change');
    } finally {
      stream.close();
    }
  });

  it("when an agent lists categories, then they are the bot menu's options in Arabic and English", async () => {
    const answer = await mona.api.get<{ items: Array<{ id: string; ar: string; en: string }> }>(
      '/api/ticket-categories',
    );
    assert.equal(answer.status, 200);
    assertMatches(ticketCategoryListSchema, answer.body);
    assert.deepEqual(
      answer.body.items.map((category) => category.id),
      helpdesk.context.bot.texts.menu.map((option) => option.id),
    );
    const refill = answer.body.items.find((category) => category.id === 'prescription_refill');
    assert.deepEqual(refill, { id: 'prescription_refill', ar: 'إعادة صرف روشتة', en: 'Prescription refill' });
  });

  it('when the assignee changes the category, then it is kept, recorded as by them, and other consoles hear of it', async () => {
    const stream = await openStream(helpdesk.url, admin.token);
    try {
      const answer = await mona.api.put<TicketAnswer>(`/api/tickets/${monasTicket.id}/category`, {
        category: 'order_status',
      });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assertMatches(labelledTicket, answer.body);
      assert.equal(answer.body.category, 'order_status');

      const seen = await stream.next((event) => event.event === 'ticket.updated');
      assert.equal(seen.data.ticketId, monasTicket.id);
      assert.equal(seen.data.category, 'order_status');
      assert.equal(seen.data.previousCategory, null);

      const thread = await mona.api.get<{
        ticket: TicketAnswer;
        events: Array<{ type: string; agent: { id: string; name: string } | null; data: unknown }>;
      }>(`/api/tickets/${monasTicket.id}`);
      assert.equal(thread.body.ticket.category, 'order_status');
      const classified = thread.body.events.filter((event) => event.type === 'classified');
      assert.equal(classified.length, 1);
      assert.deepEqual(classified[0]!.agent, { id: mona.id, name: 'Mona' });
      assert.deepEqual(classified[0]!.data, { category: 'order_status', from: null, by: 'agent' });

      const listed = await mona.api.get<{ items: TicketAnswer[] }>(
        '/api/tickets?view=mine&category=order_status',
      );
      assert.deepEqual(
        listed.body.items.map((ticket) => ticket.id),
        [monasTicket.id],
      );

      // The same category again records nothing; null clears it.
      await mona.api.put(`/api/tickets/${monasTicket.id}/category`, { category: 'order_status' });
      const cleared = await mona.api.put<TicketAnswer>(`/api/tickets/${monasTicket.id}/category`, {
        category: null,
      });
      assert.equal(cleared.body.category, null);
      const events = (
        await mona.api.get<{ events: Array<{ type: string; data: unknown }> }>(
          `/api/tickets/${monasTicket.id}`,
        )
      ).body.events.filter((event) => event.type === 'classified');
      assert.deepEqual(
        events.map((event) => event.data),
        [
          { category: 'order_status', from: null, by: 'agent' },
          { category: null, from: 'order_status', by: 'agent' },
        ],
      );
    } finally {
      stream.close();
    }
  });

  it('when the category is unknown or the agent may not act on the ticket, then 400 naming category or 403', async () => {
    assertValidationError(
      await mona.api.put(`/api/tickets/${monasTicket.id}/category`, { category: 'pizza' }),
      'category',
    );
    assertValidationError(
      await mona.api.put(`/api/tickets/${monasTicket.id}/category`, { category: 7 }),
      'category',
    );
    assertValidationError(await mona.api.put(`/api/tickets/${monasTicket.id}/category`, {}), 'category');
    assert.equal(
      (await omar.api.put(`/api/tickets/${monasTicket.id}/category`, { category: 'delivery' })).status,
      403,
    );
    const thread = await mona.api.get<{ ticket: TicketAnswer }>(`/api/tickets/${monasTicket.id}`);
    assert.equal(thread.body.ticket.category, null, 'unchanged');
    const waiting = await omar.api.put<TicketAnswer>(`/api/tickets/${waitingTicket.id}/category`, {
      category: 'delivery',
    });
    assert.equal(waiting.status, 200);
    assert.equal(waiting.body.category, 'delivery');
  });
});
