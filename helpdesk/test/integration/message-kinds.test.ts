/**
 * Messages as WhatsApp really sends them (issue 12), through the sidecar's signed webhook: quoted
 * replies (linked to our reply and to the customer's own message), edits with their history,
 * deletions that keep the text, reactions on our reply and their removal, contact cards, locations
 * (live, with a link, and one without coordinates), forwarded / view-once / album / duration,
 * list and button replies, polls; changes that arrive before their message; and agents replying
 * with a quote, which reaches the stand-in sidecar as `replyTo`. Each is checked where agents see
 * it: GET /api/tickets/:id. Real PostgreSQL, Redis, HTTP and BullMQ workers; the stand-in sidecar
 * speaks wpp-sidecar's webhook format (contract/src/sidecar-events).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ticketThreadSchema, type Message } from '@whatsapp-helpdesk/contract/api';
import { Redis } from 'ioredis';
import { realtimeStreamKey } from '../../src/realtime/publish';
import { query } from '../support/database';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';
import { assertMatches, assertValidationError, createAgent, type TestAgent } from '../api/api-support';

let phoneCounter = 0;
/** A fresh Egyptian mobile number in E.164. */
function newPhone(): string {
  return `+2010${String(Date.now() % 10_000_000).padStart(7, '0')}${++phoneCounter % 10}`;
}

describe('message kinds through the sidecar webhook', () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;

  before(async () => {
    // Three tries 200 and 400 ms apart: a change without its message is kept after about 0.6 s.
    helpdesk = await startTestHelpdesk({ env: { JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '200' } });
    admin = await createAgent(helpdesk, { role: 'admin', capacity: 50 });
  });
  after(async () => {
    await helpdesk.stop();
  });

  const rows = <T extends Record<string, unknown>>(sql: string, values: unknown[] = []) =>
    query<T>(helpdesk.database.url, sql, values);

  /** Posts a sidecar event; the webhook must accept it. */
  async function post(event: unknown): Promise<void> {
    const answer = await helpdesk.postWppconnect(event);
    assert.equal(answer.status, 202, await answer.text());
  }

  /** Posts a customer's message (a text event with `fields` over it) and waits until it is stored. */
  async function customerSends(
    phone: string,
    fields: Record<string, unknown> = {},
  ): Promise<{ providerMessageId: string; messageId: string; ticketId: string }> {
    const event = textEvent(phone, (fields.text as string | undefined) ?? 'hello');
    Object.assign(event.message, fields);
    await post(event);
    return waitFor(
      async () => {
        const [found] = await rows<{ id: string; ticket_id: string }>(
          `SELECT id, ticket_id FROM messages WHERE provider = 'wppconnect' AND provider_message_id = $1`,
          [event.message.providerMessageId],
        );
        return found
          ? {
              providerMessageId: event.message.providerMessageId,
              messageId: found.id,
              ticketId: found.ticket_id,
            }
          : null;
      },
      10_000,
      `message ${event.message.providerMessageId} stored`,
    );
  }

  /** The thread as agents read it, checked against its documented schema. */
  async function thread(ticketId: string) {
    const answer = await admin.api.get(`/api/tickets/${ticketId}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assertMatches(ticketThreadSchema, answer.body, 'thread');
    return ticketThreadSchema.parse(answer.body);
  }

  async function messageOf(ticketId: string, messageId: string): Promise<Message> {
    const found = (await thread(ticketId)).messages.find((entry) => entry.id === messageId);
    assert.ok(found, `message ${messageId} in the thread`);
    return found;
  }

  /** An agent's reply, sent through the stand-in sidecar; resolves to our id and WhatsApp's. */
  async function agentReplies(
    ticketId: string,
    body: Record<string, unknown>,
  ): Promise<{ messageId: string; providerMessageId: string; message: Message }> {
    const answer = await admin.api.post<Message>(`/api/tickets/${ticketId}/messages`, body);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    const messageId = answer.body.id;
    const providerMessageId = await waitFor(async () => {
      const [found] = await rows<{ provider_message_id: string | null }>(
        `SELECT provider_message_id FROM messages WHERE id = $1 AND delivery_status = 'sent'`,
        [messageId],
      );
      return found?.provider_message_id ?? null;
    });
    return { messageId, providerMessageId, message: answer.body };
  }

  const changeEvent = (
    type: 'edit' | 'deletion' | 'reaction',
    providerMessageId: string,
    body: Record<string, unknown>,
    at = new Date(),
  ) => ({
    eventId: `wppconnect:pharmacy:${type}:${providerMessageId}:${JSON.stringify(body)}:${at.getTime()}`,
    type,
    [type]: {
      provider: 'wppconnect',
      channel: 'pharmacy',
      providerMessageId,
      timestamp: at.toISOString(),
      ...body,
    },
  });

  it('when a customer quotes our reply and their own message, then each reply links to the quoted message', async () => {
    const phone = newPhone();
    const first = await customerSends(phone, { text: 'do you have insulin pens?' });
    const ours = await agentReplies(first.ticketId, { text: 'Yes, we do.' });
    const toOurs = await customerSends(phone, {
      text: 'great, two please',
      replyTo: ours.providerMessageId,
      quoted: {
        providerMessageId: ours.providerMessageId,
        participant: null,
        fromMe: true,
        type: 'text',
        text: 'Yes, we do.',
      },
    });
    const toTheirs = await customerSends(phone, {
      text: 'and this one',
      replyTo: first.providerMessageId,
      quoted: {
        providerMessageId: first.providerMessageId,
        participant: phone,
        fromMe: false,
        type: 'text',
        text: 'do you have insulin pens?',
      },
    });
    const toUnknown = await customerSends(phone, {
      text: 'about last year',
      replyTo: 'false_201000000000@c.us_OLD',
      quoted: {
        providerMessageId: 'false_201000000000@c.us_OLD',
        participant: phone,
        fromMe: false,
        type: 'text',
        text: 'an old message',
      },
    });

    const replyToOurs = await messageOf(first.ticketId, toOurs.messageId);
    assert.deepEqual(replyToOurs.quoted, {
      messageId: ours.messageId,
      providerMessageId: ours.providerMessageId,
      direction: 'outbound',
      type: 'text',
      text: 'Yes, we do.',
    });
    const replyToTheirs = await messageOf(first.ticketId, toTheirs.messageId);
    assert.equal(replyToTheirs.quoted?.messageId, first.messageId);
    assert.equal(replyToTheirs.quoted?.direction, 'inbound');
    assert.equal(replyToTheirs.quoted?.text, 'do you have insulin pens?');
    const replyToUnknown = await messageOf(first.ticketId, toUnknown.messageId);
    assert.deepEqual(replyToUnknown.quoted, {
      messageId: null,
      providerMessageId: 'false_201000000000@c.us_OLD',
      direction: 'inbound',
      type: 'text',
      text: 'an old message',
    });
  });

  it('when an agent replies quoting a customer message, then the sidecar gets replyTo and the reply shows the quote', async () => {
    const phone = newPhone();
    const question = await customerSends(phone, { text: 'price of panadol?' });
    const reply = await agentReplies(question.ticketId, { text: '35 EGP', replyTo: question.messageId });
    const send = helpdesk.sidecar.sends.find((entry) => entry.id === reply.providerMessageId);
    assert.equal(send?.replyTo, question.providerMessageId);
    assert.equal(reply.message.quoted?.messageId, question.messageId);
    assert.equal(reply.message.quoted?.direction, 'inbound');
    assert.equal(reply.message.quoted?.text, 'price of panadol?');

    // Multipart (a file with a caption) quotes the same way.
    const form = new FormData();
    form.set('text', 'the leaflet');
    form.set('replyTo', question.messageId);
    form.set('file', new Blob([Buffer.from('%PDF-1.4 leaflet')], { type: 'application/pdf' }), 'leaflet.pdf');
    const media = await admin.api.fetch(`/api/tickets/${question.ticketId}/messages`, {
      method: 'POST',
      body: form,
    });
    assert.equal(media.status, 201, await media.clone().text());
    const mediaId = ((await media.json()) as Message).id;
    const mediaSend = await waitFor(async () => {
      const [found] = await rows<{ provider_message_id: string | null }>(
        `SELECT provider_message_id FROM messages WHERE id = $1`,
        [mediaId],
      );
      return helpdesk.sidecar.sends.find((entry) => entry.id === found?.provider_message_id);
    });
    assert.equal(mediaSend.path, '/api/send-media');
    assert.equal(mediaSend.replyTo, question.providerMessageId);
  });

  it('when replyTo is not a message of the ticket, then 400 names replyTo and nothing is stored', async () => {
    const phone = newPhone();
    const mine = await customerSends(phone, { text: 'hi' });
    const other = await customerSends(newPhone(), { text: 'another customer' });
    const count = async () =>
      (
        await rows<{ n: number }>(
          `SELECT count(*)::int AS n FROM messages WHERE ticket_id = $1 AND author = 'agent'`,
          [mine.ticketId],
        )
      )[0]!.n;
    const before = await count();
    assertValidationError(
      await admin.api.post(`/api/tickets/${mine.ticketId}/messages`, { text: 'x', replyTo: other.messageId }),
      'replyTo',
    );
    assertValidationError(
      await admin.api.post(`/api/tickets/${mine.ticketId}/messages`, { text: 'x', replyTo: 'not-an-id' }),
      'replyTo',
    );
    const form = new FormData();
    form.set('text', 'caption');
    form.set('replyTo', other.messageId);
    form.set('file', new Blob([Buffer.from('%PDF-1.4')], { type: 'application/pdf' }), 'a.pdf');
    const multipart = await admin.api.fetch(`/api/tickets/${mine.ticketId}/messages`, {
      method: 'POST',
      body: form,
    });
    assertValidationError(
      { status: multipart.status, headers: multipart.headers, body: await multipart.json() },
      'replyTo',
    );
    assert.equal(await count(), before);
  });

  it('when the customer edits a message twice, then the thread shows the latest text, editedAt and the history once', async () => {
    const phone = newPhone();
    const sent = await customerSends(phone, { text: 'I need amoxicilin' });
    const firstEdit = new Date(Date.now() + 1000);
    const secondEdit = new Date(Date.now() + 2000);
    const edit1 = changeEvent('edit', sent.providerMessageId, { text: 'I need amoxicillin' }, firstEdit);
    await post(edit1);
    await post(changeEvent('edit', sent.providerMessageId, { text: 'I need amoxicillin 500' }, secondEdit));
    // Redelivered: applies once.
    await post(edit1);
    const edited = await waitFor(async () => {
      const message = await messageOf(sent.ticketId, sent.messageId);
      return message.edits.length === 2 ? message : null;
    });
    assert.equal(edited.text, 'I need amoxicillin 500');
    assert.equal(edited.editedAt, secondEdit.toISOString());
    assert.deepEqual(
      edited.edits.map((version) => version.text),
      ['I need amoxicilin', 'I need amoxicillin'],
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal((await messageOf(sent.ticketId, sent.messageId)).edits.length, 2);
  });

  it('when the customer deletes a message, then it keeps its text and shows deletedAt', async () => {
    const phone = newPhone();
    const sent = await customerSends(phone, { text: 'my national id is 2990101' });
    const at = new Date();
    await post(changeEvent('deletion', sent.providerMessageId, {}, at));
    const deleted = await waitFor(async () => {
      const message = await messageOf(sent.ticketId, sent.messageId);
      return message.deletedAt ? message : null;
    });
    assert.equal(deleted.deletedAt, at.toISOString());
    assert.equal(deleted.text, 'my national id is 2990101');
    // Consoles are told: `message.updated` on the realtime stream.
    const redis = new Redis(helpdesk.env.REDIS_URL!);
    try {
      const entries = await redis.xrange(realtimeStreamKey(helpdesk.env.QUEUE_PREFIX!), '-', '+');
      const updates = entries
        .map(([, fields]) => JSON.parse(fields[1]!) as { type: string; ticketId: string; data: unknown })
        .filter((event) => event.type === 'message.updated' && event.ticketId === sent.ticketId);
      assert.deepEqual(
        updates.map((event) => event.data),
        [{ messageId: sent.messageId, change: 'deletion' }],
      );
    } finally {
      redis.disconnect();
    }
  });

  it('when the customer reacts to our reply and then removes it, then the reaction shows and goes', async () => {
    const phone = newPhone();
    const first = await customerSends(phone, { text: 'is it ready?' });
    const ours = await agentReplies(first.ticketId, { text: 'Ready for pickup.' });
    const from = { phone, lid: null, userId: null };
    await post(changeEvent('reaction', ours.providerMessageId, { from, emoji: '👍' }));
    const reacted = await waitFor(async () => {
      const message = await messageOf(first.ticketId, ours.messageId);
      return message.reactions.length ? message : null;
    });
    assert.equal(reacted.reactions[0]!.emoji, '👍');
    assert.equal(reacted.reactions[0]!.by, 'customer');
    await post(
      changeEvent('reaction', ours.providerMessageId, { from, emoji: '' }, new Date(Date.now() + 1000)),
    );
    await waitFor(async () => (await messageOf(first.ticketId, ours.messageId)).reactions.length === 0);
  });

  it('when a reaction arrives before its message, then it is applied once the message is stored', async () => {
    const phone = newPhone();
    const event = textEvent(phone, 'arrives late');
    const id = event.message.providerMessageId;
    await post(changeEvent('reaction', id, { from: { phone, lid: null, userId: null }, emoji: '❤️' }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await post(event);
    const stored = await waitFor(async () => {
      const [found] = await rows<{ id: string; ticket_id: string; reactions: Array<{ emoji: string }> }>(
        `SELECT id, ticket_id, reactions FROM messages WHERE provider_message_id = $1`,
        [id],
      );
      return found?.reactions.length ? found : null;
    });
    const message = await messageOf(stored.ticket_id, stored.id);
    assert.deepEqual(
      message.reactions.map((reaction) => reaction.emoji),
      ['❤️'],
    );
  });

  it('when a change names a message not stored, then after the attempts it is kept, and applied if the message comes', async () => {
    const phone = newPhone();
    await post(
      changeEvent('reaction', 'false_never@c.us_STORED', {
        from: { phone, lid: null, userId: null },
        emoji: '😮',
      }),
    );
    const kept = await waitFor(
      async () =>
        (
          await rows<{ message_id: string | null; kind: string; data: { emoji: string } }>(
            `SELECT message_id, kind, data FROM message_changes WHERE provider_message_id = 'false_never@c.us_STORED'`,
          )
        )[0],
      10_000,
      'the change kept',
    );
    assert.equal(kept.message_id, null);
    assert.equal(kept.kind, 'reaction');
    assert.equal(kept.data.emoji, '😮');

    // Should the message arrive after all, the kept change applies to it then.
    const late = await customerSends(phone, {
      providerMessageId: 'false_never@c.us_STORED',
      text: 'at last',
    });
    const message = await waitFor(async () => {
      const view = await messageOf(late.ticketId, late.messageId);
      return view.reactions.length ? view : null;
    });
    assert.deepEqual(
      message.reactions.map((reaction) => reaction.emoji),
      ['😮'],
    );
    const [attached] = await rows<{ message_id: string | null }>(
      `SELECT message_id FROM message_changes WHERE provider_message_id = 'false_never@c.us_STORED'`,
    );
    assert.equal(attached!.message_id, late.messageId);
  });

  it('when a customer shares a contact card, then its name, org, phones and WhatsApp number are shown', async () => {
    const phone = newPhone();
    const vcard =
      'BEGIN:VCARD\nVERSION:3.0\nN:Aziz;Hany;;;\nFN:Dr. Hany Aziz\nORG:Nile Clinic\n' +
      'item1.TEL;waid=201001234599:+20 100 123 4599\nitem1.X-ABLabel:Mobile\nEND:VCARD';
    const sent = await customerSends(phone, {
      type: 'contact',
      text: vcard,
      contacts: [
        {
          name: 'Dr. Hany Aziz',
          org: 'Nile Clinic',
          phones: [{ number: '+20 100 123 4599', waId: '201001234599', type: 'Mobile' }],
          vcard,
        },
      ],
    });
    const message = await messageOf(sent.ticketId, sent.messageId);
    assert.equal(message.type, 'contact');
    assert.deepEqual(message.contacts, [
      {
        name: 'Dr. Hany Aziz',
        org: 'Nile Clinic',
        phones: [{ number: '+20 100 123 4599', waId: '201001234599', type: 'Mobile' }],
        vcard,
      },
    ]);
  });

  it('when a customer shares locations, then name, address, live and link are shown, and no coordinates is not 0,0', async () => {
    const phone = newPhone();
    const place = await customerSends(phone, {
      type: 'location',
      text: null,
      location: {
        latitude: 30.0444,
        longitude: 31.2357,
        name: 'Tahrir Pharmacy',
        address: 'Tahrir Square, Cairo',
        live: false,
        url: 'https://maps.google.com/?q=30.0444,31.2357',
      },
    });
    const live = await customerSends(phone, {
      type: 'location',
      text: null,
      location: { latitude: 30.05, longitude: 31.24, name: null, address: null, live: true, url: null },
    });
    const nowhere = await customerSends(phone, {
      type: 'location',
      text: null,
      location: { latitude: null, longitude: null, name: 'Home', address: null, live: false, url: null },
      note: 'location without coordinates',
    });
    const placed = await messageOf(place.ticketId, place.messageId);
    assert.deepEqual(placed.location, {
      latitude: 30.0444,
      longitude: 31.2357,
      name: 'Tahrir Pharmacy',
      address: 'Tahrir Square, Cairo',
      live: false,
      url: 'https://maps.google.com/?q=30.0444,31.2357',
    });
    assert.match(placed.text ?? '', /Tahrir Pharmacy/);
    assert.equal((await messageOf(live.ticketId, live.messageId)).location?.live, true);
    const unplaced = await messageOf(nowhere.ticketId, nowhere.messageId);
    assert.equal(unplaced.location, null);
    assert.doesNotMatch(unplaced.text ?? '', /\(0, 0\)/);
    assert.match(unplaced.error ?? '', /without coordinates/);
  });

  it('when messages carry details, then forwarded, view once, album, duration, list and button replies and polls are shown', async () => {
    const phone = newPhone();
    const forwarded = await customerSends(phone, {
      text: 'forwarded advice',
      details: { forwarded: true },
    });
    const viewOnce = await customerSends(phone, {
      type: 'image',
      text: null,
      details: { viewOnce: true, albumId: 'album-1', width: 640, height: 480 },
      note: 'view-once media: open it on the phone',
    });
    const voice = await customerSends(phone, {
      type: 'voice',
      text: null,
      details: { durationSeconds: 12 },
    });
    const listReply = await customerSends(phone, {
      type: 'interactive',
      text: 'Prescriptions',
      menuChoice: 'rx',
      details: { listReply: { id: 'rx', title: 'Prescriptions', description: 'refill or new' } },
    });
    const buttonReply = await customerSends(phone, {
      type: 'interactive',
      text: 'Yes',
      menuChoice: 'confirm-yes',
      details: { buttonReply: { id: 'confirm-yes', text: 'Yes' } },
    });
    const poll = await customerSends(phone, {
      type: 'poll',
      text: 'Which branch?\n- Dokki\n- Zamalek',
    });
    const view = async (entry: { ticketId: string; messageId: string }) =>
      messageOf(entry.ticketId, entry.messageId);
    assert.equal((await view(forwarded)).details?.forwarded, true);
    const once = await view(viewOnce);
    assert.equal(once.details?.viewOnce, true);
    assert.equal(once.details?.albumId, 'album-1');
    assert.equal(once.details?.width, 640);
    assert.equal((await view(voice)).details?.durationSeconds, 12);
    const listed = await view(listReply);
    assert.equal(listed.details?.listReply?.title, 'Prescriptions');
    assert.equal(listed.text, 'Prescriptions');
    assert.deepEqual((await view(buttonReply)).details?.buttonReply, { id: 'confirm-yes', text: 'Yes' });
    const polled = await view(poll);
    assert.equal(polled.type, 'poll');
    assert.match(polled.text ?? '', /Which branch\?/);
  });
});
