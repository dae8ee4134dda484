/**
 * `GET /api/customers/:id/media`: the files a customer sent (stored by the real inbound pipeline)
 * and was sent (an agent's multipart reply) across their tickets, newest first, each with a URL
 * that downloads it; another customer's files never appear.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { customerMediaListSchema, type CustomerMediaItem } from '@whatsapp-helpdesk/contract/api';
import { sendCustomerMedia, startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import {
  apiClient,
  assertMatches,
  assertValidationError,
  createAgent,
  seedTicket,
  type TestAgent,
} from './api-support';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe("agents' API: a customer's shared media", () => {
  let helpdesk: TestHelpdesk;
  let mona: TestAgent;
  let omar: TestAgent;
  let sara: TestAgent;
  const phone = '+201007770001';
  let salma: { customerId: string; first: { id: string; number: number }; second: { id: string } };
  let imageId: string;
  let pdfId: string;

  /** The customer at `from` sends an image through the real webhook; resolves to its attachment id. */
  function sendImage(from: string, mediaId: string): Promise<string> {
    return sendCustomerMedia(helpdesk, from, {
      id: mediaId,
      body: PNG,
      mimeType: 'image/png',
      type: 'image',
      caption: 'روشتة',
    });
  }

  before(async () => {
    helpdesk = await startTestHelpdesk();
    mona = await createAgent(helpdesk, { name: 'Mona', availability: 'away' });
    omar = await createAgent(helpdesk, { name: 'Omar', availability: 'away' });
    sara = await createAgent(helpdesk, { name: 'Sara', availability: 'away' });
    const db = helpdesk.context.db;
    // Salma's first ticket, with Mona: Salma sends a prescription photo, Mona sends an invoice.
    const first = await seedTicket(db, { assigneeId: mona.id, customerName: 'Salma', phone });
    imageId = await sendImage(phone, 'media-salma-1');
    const form = new FormData();
    form.set('file', new Blob([PDF], { type: 'application/pdf' }), 'فاتورة.pdf');
    const reply = await mona.api.fetch(`/api/tickets/${first.id}/messages`, { method: 'POST', body: form });
    const message = (await reply.json()) as { attachments: Array<{ id: string }> };
    assert.equal(reply.status, 201, JSON.stringify(message));
    pdfId = message.attachments[0]!.id;
    assert.equal(
      (await mona.api.post(`/api/tickets/${first.id}/status`, { status: 'resolved' })).status,
      200,
    );
    // Her next ticket goes to Omar.
    const second = await seedTicket(db, { assigneeId: omar.id, phone });
    salma = { customerId: first.customerId, first, second };
    // Another customer's photo must not show up in Salma's files.
    await seedTicket(db, { assigneeId: mona.id, phone: '+201007770002' });
    await sendImage('+201007770002', 'media-other-1');
  });
  after(() => helpdesk.stop());

  it("when an agent opens a customer's media, then the files of all their tickets come, newest first", async () => {
    const answer = await omar.api.get<{ items: CustomerMediaItem[] }>(
      `/api/customers/${salma.customerId}/media`,
    );
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assertMatches(customerMediaListSchema, answer.body);
    assert.deepEqual(
      answer.body.items.map((item) => [item.id, item.direction, item.mimeType, item.filename]),
      [
        [pdfId, 'outbound', 'application/pdf', 'فاتورة.pdf'],
        [imageId, 'inbound', 'image/png', null],
      ],
    );
    for (const item of answer.body.items) {
      assert.equal(item.ticketId, salma.first.id);
      assert.equal(item.ticketNumber, salma.first.number);
      assert.equal(item.url, `/api/attachments/${item.id}`);
    }
    assert.equal(answer.body.items[1]!.size, PNG.length);

    // The URL downloads the file (for an agent who may read its ticket).
    const file = await mona.api.fetch(answer.body.items[1]!.url);
    assert.equal(file.status, 200);
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), PNG);
  });

  it("when the agent works the customer's new ticket, then the files of her earlier ticket open for them; not for others", async () => {
    // Omar has Salma's open ticket: her earlier files (Mona's resolved ticket) are his to see.
    for (const id of [imageId, pdfId]) {
      const file = await omar.api.fetch(`/api/attachments/${id}`);
      assert.equal(file.status, 200, `attachment ${id}`);
    }
    assert.deepEqual(
      Buffer.from(await (await omar.api.fetch(`/api/attachments/${imageId}`)).arrayBuffer()),
      PNG,
    );
    // Sara has nothing to do with Salma.
    assert.equal((await sara.api.fetch(`/api/attachments/${imageId}`)).status, 403);
    // Once Omar resolves it, Salma is no longer at hand for him.
    assert.equal(
      (await omar.api.post(`/api/tickets/${salma.second.id}/status`, { status: 'resolved' })).status,
      200,
    );
    assert.equal((await omar.api.fetch(`/api/attachments/${imageId}`)).status, 403);
  });

  it('when a limit is given, then at most that many of the newest come; a bad limit is 400 naming limit', async () => {
    const one = await mona.api.get<{ items: CustomerMediaItem[] }>(
      `/api/customers/${salma.customerId}/media?limit=1`,
    );
    assert.deepEqual(
      one.body.items.map((item) => item.id),
      [pdfId],
    );
    const arabicDigits = await mona.api.get<{ items: CustomerMediaItem[] }>(
      `/api/customers/${salma.customerId}/media?limit=${encodeURIComponent('١')}`,
    );
    assert.equal(arabicDigits.status, 200, 'Arabic-Indic digits are accepted');
    assert.equal(arabicDigits.body.items.length, 1);
    assertValidationError(await mona.api.get(`/api/customers/${salma.customerId}/media?limit=0`), 'limit');
    assertValidationError(await mona.api.get(`/api/customers/${salma.customerId}/media?limit=101`), 'limit');
    assertValidationError(await mona.api.get(`/api/customers/${salma.customerId}/media?limit=many`), 'limit');
  });

  it('when the customer is unknown, has no files, or the caller has no session, then 404, an empty list, or 401', async () => {
    assert.equal(
      (await mona.api.get('/api/customers/00000000-0000-4000-8000-000000000000/media')).status,
      404,
    );
    assertValidationError(await mona.api.get('/api/customers/salma/media'), 'id');
    const quiet = await seedTicket(helpdesk.context.db, { phone: '+201007770003' });
    const empty = await mona.api.get<{ items: unknown[] }>(`/api/customers/${quiet.customerId}/media`);
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.body.items, []);
    assert.equal(
      (await apiClient(helpdesk.url, null).get(`/api/customers/${salma.customerId}/media`)).status,
      401,
    );
  });
});
