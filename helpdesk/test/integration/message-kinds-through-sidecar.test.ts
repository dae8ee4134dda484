/**
 * Each message kind end to end (issue 12): a fixture shaped as WPPConnect 2.3 publishes it → the real
 * wpp-sidecar (on its fake WPPConnect client, the only stand-in) → signed webhook → the helpdesk stores it →
 * what an agent sees in GET /api/tickets/:id. Quoted replies (to our welcome and to the customer's own
 * photo), edits with their history, deletions that keep the text, reactions on our welcome and their
 * removal (and one in the published shape, no `sender` and a milliseconds time, on our menu), contact
 * cards, locations (a place, a live one, one without coordinates), forwarded, view-once, album, duration,
 * list and button replies, polls; `revoked` / `protocol` messages never become bubbles; and an agent's
 * reply quoting a message reaches WPPConnect's `sendText` with `quotedMsg`. One sidecar and one helpdesk
 * for the whole file. Fixtures and their published sources: wpp-sidecar/test/wpp-fixtures.ts.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ticketThreadSchema, type Message } from '@whatsapp-helpdesk/contract/api';
import { startSidecar, type RunningSidecar } from '../../../wpp-sidecar/src/app';
import type { WppMessage } from '../../../wpp-sidecar/src/events/wpp-types';
import { FakeWppClient } from '../../../wpp-sidecar/test/fake-wppconnect-client';
import { testEnv, type TestEnv } from '../../../wpp-sidecar/test/helpers';
import {
  editOf,
  fixtures,
  kinds,
  publishedReaction,
  reactionTo,
  revokeOf,
} from '../../../wpp-sidecar/test/wpp-fixtures';
import { query } from '../support/database';
import { startTestHelpdesk, WEBHOOK_SECRET, waitFor, type TestHelpdesk } from '../support/harness';
import { assertMatches, createAgent, type TestAgent } from '../api/api-support';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const apiKey = 'shared-sidecar-api-key-0123456789';
/** The customer of most tests (their WhatsApp chat id). */
const CHAT = '201001234567@c.us';

/** The bare WhatsApp id of `<fromMe>_<chat>_<id>`. */
const bareId = (providerMessageId: string) => providerMessageId.split('_')[2]!;

describe('each message kind through the real wpp-sidecar to the agents API', () => {
  let helpdesk: TestHelpdesk;
  let sidecarEnv: TestEnv;
  let sidecar: RunningSidecar;
  let admin: TestAgent;
  const fake = new FakeWppClient();
  /** The ticket of CHAT and our welcome in it (set by the first test). */
  let ticketId = '';
  let welcome: { messageId: string; providerMessageId: string } = { messageId: '', providerMessageId: '' };
  /** The customer's photo (quoted by them and by the agent). */
  let photo: { messageId: string; providerMessageId: string } = { messageId: '', providerMessageId: '' };
  /** Ids of WhatsApp messages that must never be stored as messages. */
  const neverBubbles: string[] = [];

  before(async () => {
    const sidecarPort = await freePort();
    helpdesk = await startTestHelpdesk({
      // Three tries 200 and 400 ms apart: a change whose message never comes is kept after about 0.6 s.
      env: {
        SIDECAR_URL: `http://127.0.0.1:${sidecarPort}`,
        SIDECAR_API_KEY: apiKey,
        JOB_ATTEMPTS: '3',
        JOB_BACKOFF_MS: '200',
      },
    });
    sidecarEnv = await testEnv({
      SIDECAR_PORT: String(sidecarPort),
      SIDECAR_API_KEY: apiKey,
      SIDECAR_WEBHOOK_SECRET: WEBHOOK_SECRET,
      HELPDESK_WEBHOOK_URL: `${helpdesk.url}/webhooks/wppconnect`,
      SESSION_NAME: 'pharmacy',
    });
    sidecar = await startSidecar({
      config: sidecarEnv.config,
      clientFactory: fake.factory(),
      printQrToTerminal: false,
    });
    await sidecar.waitForState('connected');
    admin = await createAgent(helpdesk, { role: 'admin', capacity: 50 });
  });
  after(async () => {
    await sidecar?.stop();
    await sidecarEnv?.cleanup();
    await helpdesk?.stop();
  });

  const rows = <T extends Record<string, unknown>>(sql: string, values: unknown[] = []) =>
    query<T>(helpdesk.database.url, sql, values);

  /** The fake phone receives `message` (as `onMessage` delivers it); resolves once the helpdesk stored it. */
  async function customerSends(message: WppMessage): Promise<{ messageId: string; ticketId: string }> {
    fake.emitMessage(message);
    return waitFor(
      async () => {
        const [found] = await rows<{ id: string; ticket_id: string }>(
          `SELECT id, ticket_id FROM messages WHERE provider = 'wppconnect' AND provider_message_id = $1`,
          [message.id],
        );
        return found ? { messageId: found.id, ticketId: found.ticket_id } : null;
      },
      20_000,
      `${message.type} ${message.id} stored`,
    );
  }

  /** The thread as agents read it, checked against its documented schema. */
  async function thread(id: string) {
    const answer = await admin.api.get(`/api/tickets/${id}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assertMatches(ticketThreadSchema, answer.body, 'thread');
    return ticketThreadSchema.parse(answer.body);
  }

  async function view(entry: { ticketId: string; messageId: string }): Promise<Message> {
    const found = (await thread(entry.ticketId)).messages.find((message) => message.id === entry.messageId);
    assert.ok(found, `message ${entry.messageId} in the thread`);
    return found;
  }

  /**
   * Our `index`th message to `chat` that WPPConnect sent (0: the welcome, 1: the menu), once the helpdesk
   * recorded it as sent with its WhatsApp id.
   */
  async function ourMessageTo(
    chat: string,
    index = 0,
  ): Promise<{ messageId: string; providerMessageId: string }> {
    const sent = await waitFor(
      () => fake.sent.filter((call) => call.to === chat && call.id)[index] ?? null,
      20_000,
      `our message ${index} to ${chat}`,
    );
    const [stored] = await waitFor(
      () =>
        rows<{ id: string }>(
          `SELECT id FROM messages WHERE provider_message_id = $1 AND delivery_status = 'sent'`,
          [sent.id],
        ).then((found) => (found.length ? found : null)),
      10_000,
      `our message ${index} recorded as sent`,
    );
    return { messageId: stored!.id, providerMessageId: sent.id! };
  }

  it('when a customer writes, then a ticket opens and our welcome is recorded with its WhatsApp id', async () => {
    const first = await customerSends(fixtures.text(CHAT, 'السلام عليكم، أريد إعادة صرف روشتة'));
    ticketId = first.ticketId;
    welcome = await ourMessageTo(CHAT);
    assert.match(welcome.providerMessageId, /^true_201001234567@c\.us_/);
  });

  it('when the customer quotes our welcome and then their own photo, then each reply links to the quoted message', async () => {
    // Only `quotedStanzaID` + `quotedParticipant` are published: the sidecar rebuilds the full id.
    const toOurs = await customerSends(kinds.replyToOurs(CHAT, bareId(welcome.providerMessageId)));
    const quotedOurs = (await view(toOurs)).quoted;
    assert.equal(quotedOurs?.messageId, welcome.messageId);
    assert.equal(quotedOurs?.providerMessageId, welcome.providerMessageId);
    assert.equal(quotedOurs?.direction, 'outbound');
    // The text agents see is our stored welcome's, not WhatsApp's snapshot of it.
    assert.equal(quotedOurs?.text, fake.sent.find((call) => call.id === welcome.providerMessageId)?.content);

    const image = fixtures.image(CHAT, 4096);
    fake.setMedia(image.id, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4092, 7)]));
    photo = { ...(await customerSends(image)), providerMessageId: image.id };
    const toTheirs = await customerSends(kinds.replyToTheirPhoto(CHAT, bareId(image.id)));
    const quotedTheirs = (await view(toTheirs)).quoted;
    assert.equal(quotedTheirs?.messageId, photo.messageId);
    assert.equal(quotedTheirs?.providerMessageId, image.id);
    assert.equal(quotedTheirs?.direction, 'inbound');
    assert.equal(quotedTheirs?.type, 'image');
    assert.equal(quotedTheirs?.text, 'my prescription');
  });

  it('when the customer edits a message twice, then agents see the latest text, editedAt and the earlier versions', async () => {
    const original = fixtures.text(CHAT, 'I need amoxicilin');
    const sent = await customerSends(original);
    fake.emitEdit(editOf(original, 'I need amoxicillin', 1_732_200_900_456));
    fake.emitEdit(editOf(original, 'I need amoxicillin 500 mg', 1_732_200_960_789));
    const edited = await waitFor(
      async () => {
        const message = await view(sent);
        return message.edits.length === 2 ? message : null;
      },
      20_000,
      'two edits',
    );
    assert.equal(edited.text, 'I need amoxicillin 500 mg');
    // Edit times are whole seconds (the sidecar floors them so one edit seen twice is one event).
    assert.equal(edited.editedAt, new Date(1_732_200_960_000).toISOString());
    assert.deepEqual(
      edited.edits.map((version) => version.text),
      ['I need amoxicilin', 'I need amoxicillin'],
    );

    // The edit as a `protocol` message (subtype message_edit) edits its target and is no bubble itself.
    const other = fixtures.text(CHAT, 'I need 1 box');
    const target = await customerSends(other);
    const protocolEdit = kinds.protocolEdit(CHAT, other.id);
    neverBubbles.push(protocolEdit.id);
    fake.emitMessage(protocolEdit);
    const viaProtocol = await waitFor(
      async () => {
        const message = await view(target);
        return message.editedAt ? message : null;
      },
      20_000,
      'the protocol edit applied',
    );
    assert.equal(viaProtocol.text, 'I need 2 boxes, not 1');
    assert.deepEqual(
      viaProtocol.edits.map((version) => version.text),
      ['I need 1 box'],
    );
  });

  it('when the customer deletes a message for everyone, then agents see deletedAt and still the text', async () => {
    const original = fixtures.text(CHAT, 'my national id is 29901011234567');
    const sent = await customerSends(original);
    fake.emitRevoke(revokeOf(original));
    const deleted = await waitFor(
      async () => {
        const message = await view(sent);
        return message.deletedAt ? message : null;
      },
      20_000,
      'deletedAt',
    );
    assert.equal(deleted.text, 'my national id is 29901011234567');

    // The revoke as a `protocol` message (subtype revoke) deletes its target and is no bubble itself.
    const other = fixtures.text(CHAT, 'wrong chat, sorry');
    const target = await customerSends(other);
    const protocolRevoke = kinds.protocolRevoke(CHAT, other.id);
    neverBubbles.push(protocolRevoke.id);
    fake.emitMessage(protocolRevoke);
    const viaProtocol = await waitFor(
      async () => {
        const message = await view(target);
        return message.deletedAt ? message : null;
      },
      20_000,
      'the protocol revoke applied',
    );
    assert.equal(viaProtocol.text, 'wrong chat, sorry');
  });

  it('when the customer reacts to our welcome and then removes the reaction, then agents see it and then not', async () => {
    const onWelcome = { ticketId, messageId: welcome.messageId };
    fake.emitReaction(reactionTo(welcome.providerMessageId, '👍', { timestamp: 1_732_201_000 }));
    const reacted = await waitFor(
      async () => {
        const message = await view(onWelcome);
        return message.reactions.length ? message : null;
      },
      20_000,
      'the reaction',
    );
    assert.deepEqual(
      reacted.reactions.map(({ emoji, by }) => ({ emoji, by })),
      [{ emoji: '👍', by: 'customer' }],
    );
    assert.equal(reacted.reactions[0]!.at, new Date(1_732_201_000_000).toISOString());

    fake.emitReaction(reactionTo(welcome.providerMessageId, '', { timestamp: 1_732_201_060 }));
    await waitFor(async () => (await view(onWelcome)).reactions.length === 0, 20_000, 'the reaction removed');
  });

  it('when a reaction arrives in the published shape (no sender, milliseconds), then it shows on our message', async () => {
    // Our second message to the customer (the menu); the published payload's keys moved onto its chat.
    const menu = await ourMessageTo(CHAT, 1);
    const published = publishedReaction();
    const key = (serialized: string) => {
      const [fromMe, remote, id] = serialized.split('_') as [string, string, string];
      return { fromMe: fromMe === 'true', remote, id, _serialized: serialized };
    };
    const reaction = {
      ...published,
      id: key(`false_${CHAT}_${(published.id as { id: string }).id}`),
      msgId: key(menu.providerMessageId),
    };
    assert.equal('sender' in reaction, false);
    fake.emitReaction(reaction);
    const reacted = await waitFor(
      async () => {
        const message = await view({ ticketId, messageId: menu.messageId });
        return message.reactions.length ? message : null;
      },
      20_000,
      'the published reaction',
    );
    assert.deepEqual(
      reacted.reactions.map(({ emoji, at }) => ({ emoji, at })),
      [{ emoji: '👍', at: new Date(1680554473000).toISOString() }],
    );
  });

  it('when the customer shares a contact card and a list of cards, then agents see names, phones with their WhatsApp number and org', async () => {
    const card = await view(await customerSends(kinds.contactCard(CHAT)));
    assert.equal(card.type, 'contact');
    assert.equal(card.contacts?.length, 1);
    const [mona] = card.contacts!;
    assert.equal(mona!.name, 'Dr. Mona Hassan');
    assert.equal(mona!.org, 'Nile Clinic');
    assert.deepEqual(mona!.phones[0], { number: '+20 100 111 2223', waId: '201001112223', type: 'Mobile' });
    assert.equal(mona!.phones[1]?.number, '+20 2 2345 6789');
    assert.equal(mona!.phones[1]?.waId, null);
    assert.match(mona!.vcard, /^BEGIN:VCARD/);

    const list = await view(await customerSends(kinds.contactList(CHAT)));
    assert.deepEqual(
      list.contacts?.map((contact) => [contact.name, contact.phones[0]?.number, contact.phones[0]?.waId]),
      [
        ['صيدلية النيل', '+20 100 555 0001', '201005550001'],
        ['Omar Ali', '01005550002', null],
      ],
    );
  });

  it('when the customer shares a place, a live location and one without coordinates, then agents see them and never 0,0', async () => {
    const place = await view(await customerSends(kinds.place(CHAT)));
    assert.equal(place.type, 'location');
    assert.deepEqual(place.location, {
      latitude: 30.0444,
      longitude: 31.2357,
      name: 'El Ezaby Pharmacy',
      address: '12 Tahrir St, Cairo',
      live: false,
      url: 'https://maps.google.com/?cid=1234567890',
    });

    const live = await view(await customerSends(kinds.liveLocation(CHAT)));
    assert.equal(live.location?.live, true);
    assert.equal(live.location?.latitude, 30.0561);
    assert.equal(live.location?.longitude, 31.2394);

    const nowhereFixture = kinds.liveLocationWithoutCoordinates(CHAT);
    const nowhere = await customerSends(nowhereFixture);
    const unplaced = await view(nowhere);
    assert.equal(unplaced.type, 'location');
    assert.equal(unplaced.location, null);
    assert.doesNotMatch(unplaced.text ?? '', /\b0(\.0+)?, ?0(\.0+)?\b/);
    assert.match(unplaced.error ?? '', /coordinates/i);
    const [stored] = await rows<{ location: unknown }>(`SELECT location FROM messages WHERE id = $1`, [
      nowhere.messageId,
    ]);
    assert.equal(stored!.location, null);
  });

  it('when the customer forwards a text and sends a view-once photo, then agents see forwarded and view-once, with no failed download', async () => {
    const forwarded = await view(await customerSends(kinds.forwarded(CHAT)));
    assert.equal(forwarded.details?.forwarded, true);
    assert.equal(forwarded.text, 'Pharmacy offer: 20% off vitamins');

    const viewOnceFixture = kinds.viewOnceImage(CHAT);
    const viewOnce = await customerSends(viewOnceFixture);
    const once = await view(viewOnce);
    assert.equal(once.type, 'image');
    assert.equal(once.details?.viewOnce, true);
    assert.doesNotMatch(once.error ?? '', /unavailable|download/i);
    assert.match(once.error ?? '', /view.once|مرة واحدة/i);
    assert.ok(
      !fake.calls.some(
        (call) =>
          ['decryptFile', 'downloadMedia'].includes(call.method) && call.args[0] === viewOnceFixture.id,
      ),
      'the sidecar never tried to download it',
    );
    const attachments = await rows(`SELECT id FROM attachments WHERE message_id = $1`, [viewOnce.messageId]);
    assert.equal(attachments.length, 0);
  });

  it('when the customer sends two photos of one album and a video, then agents see the album id on both and the duration', async () => {
    const albumKey = '3EB0ALBUM0000000000042';
    const photos = [kinds.albumPhoto(CHAT, albumKey), kinds.albumPhoto(CHAT, albumKey)];
    for (const albumPhoto of photos)
      fake.setMedia(albumPhoto.id, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2]));
    const albumIds = [];
    for (const albumPhoto of photos)
      albumIds.push((await view(await customerSends(albumPhoto))).details?.albumId);
    assert.ok(albumIds[0]?.includes(albumKey), `album id ${albumIds[0]}`);
    assert.equal(albumIds[1], albumIds[0]);

    const video = kinds.video(CHAT);
    fake.setMedia(video.id, Buffer.from('\u0000\u0000\u0000\u0018ftypmp42'));
    const clip = await view(await customerSends(video));
    assert.equal(clip.type, 'video');
    assert.equal(clip.details?.durationSeconds, 12);
    assert.equal(clip.details?.width, 720);
    assert.equal(clip.details?.height, 1280);
  });

  it('when the customer answers a list, a button and creates a poll, then agents see the choice and the poll', async () => {
    const list = await view(await customerSends(kinds.listReply(CHAT)));
    assert.deepEqual(list.details?.listReply, {
      id: 'menu_1',
      title: 'Prescription refill',
      description: 'Repeat a previous prescription',
    });
    const button = await view(await customerSends(kinds.buttonReply(CHAT)));
    assert.deepEqual(button.details?.buttonReply, { id: 'refill_yes', text: 'Yes, refill it' });
    const template = await view(await customerSends(kinds.templateButtonReply(CHAT)));
    assert.deepEqual(template.details?.buttonReply, { id: 'agent', text: 'Talk to a pharmacist' });
    const poll = await view(await customerSends(kinds.poll(CHAT)));
    assert.equal(poll.type, 'poll');
    assert.match(poll.text ?? '', /Which branch is closer\?/);
    assert.match(poll.text ?? '', /Dokki/);
    assert.match(poll.text ?? '', /Maadi/);
  });

  it('when WhatsApp delivers revoked and protocol messages, then none becomes a message agents see', async () => {
    const revoked = kinds.revoked(CHAT);
    const other = kinds.protocolOther(CHAT);
    neverBubbles.push(revoked.id, other.id);
    fake.emitMessage(revoked);
    fake.emitMessage(other);
    // The chat's lane keeps order: once the next message is stored, the two before it were handled.
    const next = await customerSends(fixtures.text(CHAT, 'are you there?'));
    const stored = await rows(
      `SELECT provider_message_id FROM messages WHERE provider_message_id = ANY($1)`,
      [neverBubbles],
    );
    assert.deepEqual(stored, []);
    const messages = (await thread(next.ticketId)).messages;
    // Every kind sent in this file has a type: a revoke or protocol message would show as `unknown`.
    assert.deepEqual(
      messages.filter((message) => message.type === 'unknown'),
      [],
    );
    assert.equal(neverBubbles.length, 4);
  });

  it("when an agent replies quoting the customer's photo, then WPPConnect's sendText gets quotedMsg and the reply shows the quote", async () => {
    const answer = await admin.api.post<Message>(`/api/tickets/${ticketId}/messages`, {
      text: 'We received the prescription photo.',
      replyTo: photo.messageId,
    });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    const call = await waitFor(
      () => fake.sent.find((sent) => sent.content === 'We received the prescription photo.') ?? null,
      20_000,
      'the reply sent through WPPConnect',
    );
    assert.equal(call.method, 'sendText');
    assert.equal(call.to, CHAT);
    assert.deepEqual(call.options, { quotedMsg: photo.providerMessageId });
    const reply = await view({ ticketId, messageId: answer.body.id });
    assert.equal(reply.quoted?.messageId, photo.messageId);
    assert.equal(reply.quoted?.direction, 'inbound');

    const outbox = await fetch(`${sidecar.url}/api/outbox`, { headers: { 'x-api-key': apiKey } });
    const stats = (await outbox.json()) as { counts: { failed: number }; failed: unknown[] };
    assert.equal(stats.counts.failed, 0, `dead letters: ${JSON.stringify(stats.failed)}`);
  });
});
