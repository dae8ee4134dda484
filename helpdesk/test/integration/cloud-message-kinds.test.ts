/**
 * Messages as WhatsApp really sends them (issue 12), through the WhatsApp Cloud API webhook: replies
 * (`context.id`) linked to our reply and to the customer's own message, reactions (and their
 * removal) as changes of the reacted message, edits and revokes (Coexistence numbers), contact
 * cards, a location with its link, forwarded messages, list and button replies, template buttons
 * and a Flow's answer (`nfm_reply`); and an agent's quoting reply reaching the stand-in Graph API
 * with `context.message_id`. Payloads follow Meta's documentation (test/support/cloud-payloads.ts
 * names each page); checked where agents see them, GET /api/tickets/:id.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ticketThreadSchema, type Message } from '@whatsapp-helpdesk/contract/api';
import { query } from '../support/database';
import { startTestHelpdesk, waitFor, type TestHelpdesk } from '../support/harness';
import { message, messagesValue, notification, type Sender } from '../support/cloud-payloads';
import { assertMatches, createAgent, type TestAgent } from '../api/api-support';

let senderCounter = 0;
/** A fresh sender: an Egyptian mobile's wa_id (digits, no "+"). */
function newSender(): Sender {
  return {
    waId: `2011${String(Date.now() % 10_000_000).padStart(7, '0')}${++senderCounter % 10}`,
    name: 'Mona Adel',
  };
}

describe('message kinds through the Cloud API webhook', () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk({
      provider: 'cloud',
      env: { JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '200' },
    });
    admin = await createAgent(helpdesk, { role: 'admin', capacity: 50 });
  });
  after(async () => {
    await helpdesk.stop();
  });

  const rows = <T extends Record<string, unknown>>(sql: string, values: unknown[] = []) =>
    query<T>(helpdesk.database.url, sql, values);

  /** Posts Meta's notification with these messages from `sender`. */
  async function post(sender: Sender, ...messages: Array<Record<string, unknown>>): Promise<void> {
    const answer = await helpdesk.postCloud(notification(messagesValue(sender, messages)));
    assert.equal(answer.status, 200, await answer.text());
  }

  /** Posts a customer's message and waits until it is stored. */
  async function customerSends(
    sender: Sender,
    item: Record<string, unknown> & { id: string },
  ): Promise<{ wamid: string; messageId: string; ticketId: string }> {
    await post(sender, item);
    return waitFor(
      async () => {
        const [found] = await rows<{ id: string; ticket_id: string }>(
          `SELECT id, ticket_id FROM messages WHERE provider = 'cloud' AND provider_message_id = $1`,
          [item.id],
        );
        return found ? { wamid: item.id, messageId: found.id, ticketId: found.ticket_id } : null;
      },
      10_000,
      `message ${item.id} stored`,
    );
  }

  async function messageOf(ticketId: string, messageId: string): Promise<Message> {
    const answer = await admin.api.get(`/api/tickets/${ticketId}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assertMatches(ticketThreadSchema, answer.body, 'thread');
    const found = ticketThreadSchema.parse(answer.body).messages.find((entry) => entry.id === messageId);
    assert.ok(found, `message ${messageId} in the thread`);
    return found;
  }

  /** An agent's reply, sent through the stand-in Graph API; resolves to our id and its wamid. */
  async function agentReplies(
    ticketId: string,
    body: Record<string, unknown>,
  ): Promise<{ messageId: string; wamid: string; message: Message }> {
    const answer = await admin.api.post<Message>(`/api/tickets/${ticketId}/messages`, body);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    const wamid = await waitFor(async () => {
      const [found] = await rows<{ provider_message_id: string | null }>(
        `SELECT provider_message_id FROM messages WHERE id = $1 AND delivery_status = 'sent'`,
        [answer.body.id],
      );
      return found?.provider_message_id ?? null;
    });
    return { messageId: answer.body.id, wamid, message: answer.body };
  }

  it('when a customer replies to our message and to their own (context.id), then each is linked', async () => {
    const sender = newSender();
    const first = await customerSends(sender, message.text(sender, 'is the clinic open on Friday?'));
    const ours = await agentReplies(first.ticketId, { text: 'Yes, 10 to 4.' });
    // Replying to ours: `context.from` is our display number (cloud-payloads' base()).
    const toOurs = await customerSends(sender, message.text(sender, 'thanks!', { context: ours.wamid }));
    // Replying to their own: `context.from` is their wa_id.
    const toTheirs = await customerSends(sender, {
      ...message.text(sender, 'I meant this Friday'),
      context: { from: sender.waId, id: first.wamid },
    });
    const linkedToOurs = await messageOf(first.ticketId, toOurs.messageId);
    assert.deepEqual(linkedToOurs.quoted, {
      messageId: ours.messageId,
      providerMessageId: ours.wamid,
      direction: 'outbound',
      type: 'text',
      text: 'Yes, 10 to 4.',
    });
    const linkedToTheirs = await messageOf(first.ticketId, toTheirs.messageId);
    assert.equal(linkedToTheirs.quoted?.messageId, first.messageId);
    assert.equal(linkedToTheirs.quoted?.direction, 'inbound');
  });

  it('when an agent replies quoting a customer message, then the Graph API gets context.message_id', async () => {
    const sender = newSender();
    const question = await customerSends(sender, message.text(sender, 'do you deliver to Maadi?'));
    const reply = await agentReplies(question.ticketId, { text: 'We do.', replyTo: question.messageId });
    const send = helpdesk.graph!.sends.find((entry) => entry.wamid === reply.wamid);
    assert.deepEqual(send?.body.context, { message_id: question.wamid });
    assert.deepEqual(helpdesk.graph!.violations, []);
    assert.equal(reply.message.quoted?.messageId, question.messageId);
  });

  it('when the customer reacts to our reply and removes the reaction, then it shows and goes', async () => {
    const sender = newSender();
    const first = await customerSends(sender, message.text(sender, 'ready?'));
    const ours = await agentReplies(first.ticketId, { text: 'Ready for pickup.' });
    await post(sender, message.reaction(sender, ours.wamid, '🙏'));
    const reacted = await waitFor(async () => {
      const view = await messageOf(first.ticketId, ours.messageId);
      return view.reactions.length ? view : null;
    });
    assert.deepEqual(
      reacted.reactions.map(({ emoji, by }) => ({ emoji, by })),
      [{ emoji: '🙏', by: 'customer' }],
    );
    // Meta's timestamps are whole seconds: the removal comes a second later.
    const removal = message.reactionRemoved(sender, ours.wamid);
    removal.timestamp = String(Number(removal.timestamp) + 1);
    await post(sender, removal);
    await waitFor(async () => (await messageOf(first.ticketId, ours.messageId)).reactions.length === 0);
    const reactionMessages = await rows<{ n: number }>(
      `SELECT count(*)::int AS n FROM messages WHERE ticket_id = $1 AND type = 'reaction'`,
      [first.ticketId],
    );
    assert.equal(reactionMessages[0]!.n, 0, 'a reaction is no message of its own');
  });

  it('when the customer edits and then revokes a message, then the edit keeps its history and the text stays', async () => {
    const sender = newSender();
    const sent = await customerSends(sender, message.text(sender, 'two boxes of panadol'));
    const edit = message.edit(sender, sent.wamid, 'three boxes of panadol');
    edit.timestamp = String(Number(edit.timestamp) + 1);
    await post(sender, edit);
    const edited = await waitFor(async () => {
      const view = await messageOf(sent.ticketId, sent.messageId);
      return view.editedAt ? view : null;
    });
    assert.equal(edited.text, 'three boxes of panadol');
    assert.deepEqual(
      edited.edits.map((version) => version.text),
      ['two boxes of panadol'],
    );
    await post(sender, message.revoke(sender, sent.wamid));
    const deleted = await waitFor(async () => {
      const view = await messageOf(sent.ticketId, sent.messageId);
      return view.deletedAt ? view : null;
    });
    assert.equal(deleted.text, 'three boxes of panadol');
  });

  it('when the customer shares a contact card and a place, then the card and the place with its link are shown', async () => {
    const sender = newSender();
    const card = await customerSends(sender, message.contactCard(sender));
    const contact = await messageOf(card.ticketId, card.messageId);
    assert.equal(contact.type, 'contact');
    assert.equal(contact.contacts?.length, 1);
    const [shared] = contact.contacts!;
    assert.equal(shared!.name, 'Dr. Hany Aziz');
    assert.equal(shared!.org, 'Nile Clinic');
    assert.deepEqual(shared!.phones, [
      { number: '+20 100 123 4599', waId: '201001234599', type: 'CELL' },
      { number: '+20 2 2345 6789', waId: null, type: 'WORK' },
    ]);
    assert.match(shared!.vcard, /waid=201001234599/);

    const place = await customerSends(sender, message.locationWithUrl(sender));
    assert.deepEqual((await messageOf(place.ticketId, place.messageId)).location, {
      latitude: 30.0561,
      longitude: 31.2394,
      name: 'Zamalek Pharmacy',
      address: '26 July St, Zamalek, Cairo',
      live: false,
      url: 'https://maps.example/zamalek-pharmacy',
    });
  });

  it('when messages are forwarded or answer lists, buttons, templates and flows, then the details are shown', async () => {
    const sender = newSender();
    const forwarded = await customerSends(sender, message.forwarded(sender, 'read this', true));
    const list = await customerSends(
      sender,
      message.listReply(sender, { id: 'rx', title: 'Prescriptions', description: 'refill or new' }),
    );
    const button = await customerSends(sender, message.buttonReply(sender, { id: 'yes', title: 'Yes' }));
    const template = await customerSends(
      sender,
      message.button(sender, { payload: 'STOP', text: 'Stop promotions' }, 'wamid.TEMPLATE'),
    );
    const flow = await customerSends(
      sender,
      message.flowReply(sender, { flow_token: 'refill-1', medicine: 'Concor 5', boxes: 2 }),
    );
    const view = (entry: { ticketId: string; messageId: string }) =>
      messageOf(entry.ticketId, entry.messageId);
    assert.equal((await view(forwarded)).details?.forwarded, true);
    const listed = await view(list);
    assert.deepEqual(listed.details?.listReply, {
      id: 'rx',
      title: 'Prescriptions',
      description: 'refill or new',
    });
    assert.equal(listed.text, 'Prescriptions');
    assert.deepEqual((await view(button)).details?.buttonReply, { id: 'yes', text: 'Yes' });
    const templated = await view(template);
    assert.deepEqual(templated.details?.buttonReply, { id: 'STOP', text: 'Stop promotions' });
    assert.equal(
      templated.quoted?.messageId,
      null,
      'a template button quotes our template, never stored here',
    );
    const flowed = await view(flow);
    assert.equal(flowed.type, 'interactive');
    assert.deepEqual(flowed.details?.interactive, {
      kind: 'nfm_reply',
      name: 'flow',
      body: 'Sent',
      response: { flow_token: 'refill-1', medicine: 'Concor 5', boxes: 2 },
    });
  });

  it('when the display number is ours, then a reply to a message we never stored is still marked as ours', async () => {
    const sender = newSender();
    const reply = await customerSends(
      sender,
      message.text(sender, 'about your offer', { context: 'wamid.OLD' }),
    );
    const view = await messageOf(reply.ticketId, reply.messageId);
    assert.deepEqual(view.quoted, {
      messageId: null,
      providerMessageId: 'wamid.OLD',
      direction: 'outbound',
      type: null,
      text: null,
    });
  });
});
