/**
 * Working tickets through the agents' API: replies (text and media) that the outbound worker sends
 * through the driver to the stand-in sidecar, internal notes that are never sent, status changes
 * with their rules (resolving frees capacity and assigns waiting tickets), and transfers.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import {
  messageSchema as messageView,
  noteSchema as noteView,
  ticketSchema as ticketView,
} from '@whatsapp-helpdesk/contract/api';
import { startTestHelpdesk, waitFor, type TestHelpdesk } from '../support/harness';
import { assertMatches, assertValidationError, createAgent, seedTicket, type TestAgent } from './api-support';

/** A real 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

interface Thread {
  ticket: {
    firstResponseAt: string | null;
    firstResponseSeconds: number | null;
    status: string;
    assignee: { id: string } | null;
  };
  messages: Array<{
    id: string;
    author: string;
    text: string | null;
    deliveryStatus: string;
    type: string;
    attachments: Array<{ url: string; mimeType: string }>;
  }>;
  notes: Array<{ body: string }>;
  events: Array<{ type: string }>;
}

describe("agents' API: working tickets", () => {
  let helpdesk: TestHelpdesk;
  let mona: TestAgent;
  let omar: TestAgent;
  let admin: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk({ env: { MEDIA_MAX_BYTES: String(64 * 1024) } });
    // Away: automatic assignment leaves them alone unless a test says otherwise.
    mona = await createAgent(helpdesk, { name: 'Mona', availability: 'away' });
    omar = await createAgent(helpdesk, { name: 'Omar', availability: 'away' });
    admin = await createAgent(helpdesk, { name: 'Admin', role: 'admin', capacity: 0 });
  });
  after(() => helpdesk.stop());

  const db = () => helpdesk.context.db;
  const sendsTo = (phone: string) => helpdesk.sidecar.sends.filter((send) => send.to === phone);
  const thread = async (agent: TestAgent, id: string) =>
    (await agent.api.get<Thread>(`/api/tickets/${id}`)).body;

  it('when the assignee replies with text, then it reaches the driver and the first response time is recorded', async () => {
    const ticket = await seedTicket(db(), { assigneeId: mona.id, openedAt: new Date(Date.now() - 90_000) });
    const answer = await mona.api.post(`/api/tickets/${ticket.id}/messages`, { text: 'أهلاً، كيف أساعدك؟' });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assertMatches(messageView, answer.body);
    assert.equal(answer.body.deliveryStatus, 'queued');
    assert.equal(answer.body.author, 'agent');
    await waitFor(() => sendsTo(ticket.phone).length === 1, 10_000, 'the reply sent');
    assert.equal(sendsTo(ticket.phone)[0]!.text, 'أهلاً، كيف أساعدك؟');

    const after = await waitFor(
      async () => {
        const current = await thread(mona, ticket.id);
        return current.messages.at(-1)?.deliveryStatus === 'sent' ? current : null;
      },
      10_000,
      'delivery status sent',
    );
    assert.ok(after.ticket.firstResponseAt);
    assert.ok(
      after.ticket.firstResponseSeconds! >= 89,
      `first response after ~90 s: ${after.ticket.firstResponseSeconds}`,
    );
    assert.ok(after.events.some((event) => event.type === 'first_response'));

    await mona.api.post(`/api/tickets/${ticket.id}/messages`, { text: 'second' });
    const later = await thread(mona, ticket.id);
    assert.equal(later.ticket.firstResponseAt, after.ticket.firstResponseAt, 'only the first reply counts');
  });

  it('when the assignee sends an image with a caption, then the driver sends media and the thread links the file', async () => {
    const ticket = await seedTicket(db(), { assigneeId: mona.id });
    const form = new FormData();
    form.set('text', 'your prescription');
    form.set('file', new Blob([PNG], { type: 'image/png' }), 'rx.png');
    const response = await mona.api.fetch(`/api/tickets/${ticket.id}/messages`, {
      method: 'POST',
      body: form,
    });
    const body = (await response.json()) as {
      type: string;
      caption: string;
      attachments: Array<{ url: string; mimeType: string; size: number }>;
    };
    assert.equal(response.status, 201, JSON.stringify(body));
    assertMatches(messageView, body);
    assert.equal(body.type, 'image');
    assert.equal(body.caption, 'your prescription');
    assert.equal(body.attachments[0]!.mimeType, 'image/png');
    assert.equal(body.attachments[0]!.size, PNG.length);
    const send = await waitFor(() => sendsTo(ticket.phone)[0], 10_000, 'media sent');
    assert.equal(send.path, '/api/send-media');
    assert.equal(send.type, 'image');
    assert.equal(send.caption, 'your prescription');
    assert.equal(send.bytes, PNG.length);
    const file = await mona.api.fetch(body.attachments[0]!.url);
    assert.equal(file.status, 200);
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), PNG);
  });

  it('when the assignee sends a PDF, then it goes as a document with its file name', async () => {
    const ticket = await seedTicket(db(), { assigneeId: mona.id });
    const form = new FormData();
    form.set('file', new Blob([PDF], { type: 'application/pdf' }), 'فاتورة.pdf');
    const response = await mona.api.fetch(`/api/tickets/${ticket.id}/messages`, {
      method: 'POST',
      body: form,
    });
    assert.equal(response.status, 201);
    const send = await waitFor(() => sendsTo(ticket.phone)[0], 10_000, 'document sent');
    assert.equal(send.type, 'document');
    assert.equal(send.filename, 'فاتورة.pdf');
  });

  it('when an upload is larger than MEDIA_MAX_BYTES, then 413 and nothing is sent', async () => {
    const ticket = await seedTicket(db(), { assigneeId: mona.id });
    const form = new FormData();
    form.set(
      'file',
      new Blob([Buffer.alloc(100 * 1024, 1)], { type: 'application/octet-stream' }),
      'big.bin',
    );
    const response = await mona.api.fetch(`/api/tickets/${ticket.id}/messages`, {
      method: 'POST',
      body: form,
    });
    assert.equal(response.status, 413);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(sendsTo(ticket.phone).length, 0);
    assert.equal(await db().message.count({ where: { ticketId: ticket.id, direction: 'outbound' } }), 0);
  });

  it('when a multipart reply fails validation after its file, then 400 and the file is not left in UPLOADS_DIR', async () => {
    const ticket = await seedTicket(db(), { assigneeId: mona.id });
    const before = await readdir(helpdesk.uploadsDir);
    // Unique bytes: a file of its own, not one another message shares by content hash.
    const unique = Buffer.concat([PDF, Buffer.from(randomBytes(16).toString('hex'))]);
    const tooLong = new FormData();
    tooLong.set('file', new Blob([unique], { type: 'application/pdf' }), 'refused.pdf');
    tooLong.set('text', 'x'.repeat(5000));
    const answer = await mona.api.fetch(`/api/tickets/${ticket.id}/messages`, {
      method: 'POST',
      body: tooLong,
    });
    assert.equal(answer.status, 400);
    assert.match(((await answer.json()) as { message: string }).message, /^text\b/);
    const twoFiles = new FormData();
    twoFiles.append('file', new Blob([unique], { type: 'application/pdf' }), 'one.pdf');
    twoFiles.append('file', new Blob([unique], { type: 'application/pdf' }), 'two.pdf');
    const second = await mona.api.fetch(`/api/tickets/${ticket.id}/messages`, {
      method: 'POST',
      body: twoFiles,
    });
    assert.ok(second.status === 400 || second.status === 413, `refused (${second.status})`);
    assert.deepEqual((await readdir(helpdesk.uploadsDir)).sort(), before.sort(), 'no new file');
    assert.equal(await db().message.count({ where: { ticketId: ticket.id, direction: 'outbound' } }), 0);
  });

  it('when a refused reply carries the same bytes as a sent one, then the sent one keeps its file', async () => {
    const ticket = await seedTicket(db(), { assigneeId: mona.id });
    const shared = Buffer.concat([PDF, Buffer.from(randomBytes(16).toString('hex'))]);
    const good = new FormData();
    good.set('file', new Blob([shared], { type: 'application/pdf' }), 'kept.pdf');
    const sent = await mona.api.fetch(`/api/tickets/${ticket.id}/messages`, { method: 'POST', body: good });
    assert.equal(sent.status, 201);
    const files = await readdir(helpdesk.uploadsDir);
    const refused = new FormData();
    refused.set('file', new Blob([shared], { type: 'application/pdf' }), 'again.pdf');
    refused.set('asVoice', 'maybe');
    const answer = await mona.api.fetch(`/api/tickets/${ticket.id}/messages`, {
      method: 'POST',
      body: refused,
    });
    assert.equal(answer.status, 400);
    assert.deepEqual((await readdir(helpdesk.uploadsDir)).sort(), files.sort(), 'the shared file stays');
  });

  it('when a reply is empty or too long, then 400 names text', async () => {
    const ticket = await seedTicket(db(), { assigneeId: mona.id });
    assertValidationError(await mona.api.post(`/api/tickets/${ticket.id}/messages`, { text: '   ' }), 'text');
    assertValidationError(
      await mona.api.post(`/api/tickets/${ticket.id}/messages`, { text: 'x'.repeat(5000) }),
      'text',
    );
    assertValidationError(await mona.api.post(`/api/tickets/${ticket.id}/messages`, {}), 'text');
    const malformed = await mona.api.fetch(`/api/tickets/${ticket.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text": "unterminated',
    });
    assert.equal(malformed.status, 400);
  });

  it("when an agent replies to another agent's ticket or to a resolved one, then 403 and 409; nothing is sent", async () => {
    const monas = await seedTicket(db(), { assigneeId: mona.id });
    const refused = await omar.api.post(`/api/tickets/${monas.id}/messages`, { text: 'hi' });
    assert.equal(refused.status, 403);
    const form = new FormData();
    form.set('file', new Blob([PNG], { type: 'image/png' }), 'x.png');
    assert.equal(
      (await omar.api.fetch(`/api/tickets/${monas.id}/messages`, { method: 'POST', body: form })).status,
      403,
    );
    const resolved = await seedTicket(db(), { assigneeId: mona.id, status: 'resolved' });
    assert.equal((await mona.api.post(`/api/tickets/${resolved.id}/messages`, { text: 'hi' })).status, 409);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(sendsTo(monas.phone).length + sendsTo(resolved.phone).length, 0);
  });

  it('when an agent adds an internal note, then it is in the thread and never sent to the customer', async () => {
    const ticket = await seedTicket(db(), { assigneeId: mona.id });
    const answer = await mona.api.post(`/api/tickets/${ticket.id}/notes`, {
      body: 'customer is allergic to penicillin',
    });
    assert.equal(answer.status, 201);
    assertMatches(noteView, answer.body);
    const current = await thread(mona, ticket.id);
    assert.deepEqual(
      current.notes.map((note) => note.body),
      ['customer is allergic to penicillin'],
    );
    assert.equal(current.messages.length, 1, 'a note is not a message');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(sendsTo(ticket.phone).length, 0);
    assertValidationError(await mona.api.post(`/api/tickets/${ticket.id}/notes`, { body: '' }), 'body');
    assert.equal((await omar.api.post(`/api/tickets/${ticket.id}/notes`, { body: 'x' })).status, 403);
  });

  it('when the assignee moves a ticket through its statuses, then the rules hold', async () => {
    const ticket = await seedTicket(db(), { assigneeId: mona.id });
    const path = `/api/tickets/${ticket.id}/status`;
    const pending = await mona.api.post(path, { status: 'pending' });
    assert.equal(pending.status, 200);
    assertMatches(ticketView, pending.body);
    assert.equal(pending.body.status, 'pending');
    assert.equal((await mona.api.post(path, { status: 'open' })).body.status, 'open');
    const resolved = await mona.api.post(path, { status: 'resolved' });
    assert.equal(resolved.body.status, 'resolved');
    assert.ok(resolved.body.resolvedAt);
    assert.equal(typeof resolved.body.resolutionSeconds, 'number');
    const refused = await mona.api.post(path, { status: 'pending' });
    assert.equal(refused.status, 409);
    assert.match(String(refused.body.message), /resolved ticket cannot become pending/);
    assert.equal((await mona.api.post(path, { status: 'closed' })).body.status, 'closed');
    const final = await mona.api.post(path, { status: 'open' });
    assert.equal(final.status, 409);
    assert.match(String(final.body.message), /closed is final/);
    assertValidationError(await mona.api.post(path, { status: 'archived' }), 'status');
    const events = (await thread(mona, ticket.id)).events.filter((event) => event.type === 'status_changed');
    assert.equal(events.length, 4);
  });

  it("when an agent changes another agent's ticket status, then 403; an admin may", async () => {
    const ticket = await seedTicket(db(), { assigneeId: mona.id });
    assert.equal(
      (await omar.api.post(`/api/tickets/${ticket.id}/status`, { status: 'resolved' })).status,
      403,
    );
    assert.equal(
      (await admin.api.post(`/api/tickets/${ticket.id}/status`, { status: 'resolved' })).status,
      200,
    );
  });

  it('when a full agent resolves a ticket, then the oldest waiting ticket is assigned to them', async () => {
    const busy = await createAgent(helpdesk, { name: 'Busy', capacity: 1, availability: 'away' });
    const own = await seedTicket(db(), { assigneeId: busy.id });
    const waiting = await seedTicket(db(), { openedAt: new Date('2001-01-01T00:00:00Z') });
    await busy.api.put('/api/me/availability', { availability: 'online' });
    assert.equal(
      (await db().ticket.findUniqueOrThrow({ where: { id: waiting.id } })).assigneeId,
      null,
      'full: it waits',
    );
    await busy.api.post(`/api/tickets/${own.id}/status`, { status: 'resolved' });
    const assigned = await db().ticket.findUniqueOrThrow({ where: { id: waiting.id } });
    assert.equal(assigned.assigneeId, busy.id);
    await busy.api.put('/api/me/availability', { availability: 'away' });
  });

  it('when the assignee transfers a ticket, then the new agent owns it and the old one can no longer read it', async () => {
    const ticket = await seedTicket(db(), { assigneeId: mona.id });
    const answer = await mona.api.post(`/api/tickets/${ticket.id}/transfer`, { agentId: omar.id });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assertMatches(ticketView, answer.body);
    assert.equal((answer.body.assignee as { id: string }).id, omar.id);
    assert.equal((await mona.api.get(`/api/tickets/${ticket.id}`)).status, 403);
    assert.equal((await omar.api.get(`/api/tickets/${ticket.id}`)).status, 200);
    assert.equal(
      (await mona.api.post(`/api/tickets/${ticket.id}/transfer`, { agentId: mona.id })).status,
      403,
      'not hers any more',
    );
    const back = await admin.api.post(`/api/tickets/${ticket.id}/transfer`, { agentId: mona.id });
    assert.equal(back.status, 200);
    const events = (await thread(admin, ticket.id)).events.filter((event) => event.type === 'transferred');
    assert.equal(events.length, 2);
  });

  it('when an agent claims a waiting ticket, then it is theirs; claiming for someone else is refused', async () => {
    const ticket = await seedTicket(db());
    assert.equal(
      (await omar.api.post(`/api/tickets/${ticket.id}/transfer`, { agentId: mona.id })).status,
      403,
    );
    const claimed = await omar.api.post(`/api/tickets/${ticket.id}/transfer`, { agentId: omar.id });
    assert.equal(claimed.status, 200);
    const returned = await omar.api.post(`/api/tickets/${ticket.id}/transfer`, { agentId: null });
    assert.equal(returned.status, 200);
    assert.equal(returned.body.assignee, null);
  });

  it('when a transfer names a bad agent, then 400, 404 or 409 says which', async () => {
    const ticket = await seedTicket(db(), { assigneeId: mona.id });
    assertValidationError(
      await mona.api.post(`/api/tickets/${ticket.id}/transfer`, { agentId: 'omar' }),
      'agentId',
    );
    const unknown = await mona.api.post(`/api/tickets/${ticket.id}/transfer`, {
      agentId: '00000000-0000-4000-8000-000000000000',
    });
    assert.equal(unknown.status, 404);
    const same = await mona.api.post(`/api/tickets/${ticket.id}/transfer`, { agentId: mona.id });
    assert.equal(same.status, 409);
  });
});
