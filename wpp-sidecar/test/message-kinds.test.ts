/**
 * Every kind of WhatsApp message as WPPConnect really delivers it (issue 12): each fixture of
 * wpp-fixtures.ts `kinds` (named sources) through the fake client and the real sidecar (outbox on the
 * real Redis, signed webhooks), and the webhook the helpdesk receives, checked by the helpdesk's own
 * schema and the contract's emitted form (helpdesk-rules.ts), field by field. Edits, deletions and
 * reactions come through `onMessageEdit`, `onRevokedMessage` and `onReactionMessage`, and as `revoked` /
 * `protocol` messages; `ciphertext` is read again until decrypted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SidecarInboundMessage, SidecarWebhookEvent } from '@whatsapp-helpdesk/contract/sidecar-events';
import { messageEventId } from '../src/events/event-id';
import { eventBytes, fitMessageEvent } from '../src/events/fit-event';
import { toInboundMessage } from '../src/events/normalize-message';
import { createLogger } from '../src/logger';
import { InboundHandler, UNREADABLE_NOTE, VIEW_ONCE_NOTE } from '../src/inbound/inbound-handler';
import { LidResolver } from '../src/session/lid-resolver';
import type { MediaStore } from '../src/media/media-store';
import type { WppMessage } from '../src/events/wpp-types';
import { FakeWppClient } from './fake-wppconnect-client';
import { HelpdeskStub, waitFor } from './helpers';
import { helpdeskRules } from './helpdesk-rules';
import { startTestSidecar, type TestSidecar } from './test-sidecar';
import {
  OWN,
  editOf,
  fixtures,
  hostile,
  kinds,
  publishedReaction,
  reactionTo,
  revokeOf,
} from './wpp-fixtures';

type Event<T extends SidecarWebhookEvent['type']> = Extract<SidecarWebhookEvent, { type: T }>;

describe('message kinds, as WPPConnect delivers them, reach the helpdesk', () => {
  let running: TestSidecar;
  let helpdesk: HelpdeskStub;
  let fake: FakeWppClient;

  before(async () => {
    helpdesk = new HelpdeskStub();
    helpdesk.check = helpdeskRules();
    const url = await helpdesk.start();
    running = await startTestSidecar({ env: { HELPDESK_WEBHOOK_URL: url }, waitFor: 'connected' });
    fake = running.fake;
  });

  after(async () => {
    await running?.stop();
    await helpdesk?.stop();
  });

  /** Emit one message and return the message event the helpdesk accepted for it. */
  async function forward(message: WppMessage): Promise<SidecarInboundMessage> {
    fake.emitMessage(message);
    const hit = await waitFor(
      () =>
        helpdesk.received.find(
          (r) => r.event.type === 'message' && r.event.message.providerMessageId === message.id,
        ),
      `webhook for ${message.id}`,
    );
    return (hit.event as Event<'message'>).message;
  }

  /** The first accepted event of `type` whose body mentions `marker`. */
  function received<T extends SidecarWebhookEvent['type']>(type: T, marker: string): Promise<Event<T>> {
    return waitFor(
      () =>
        helpdesk.received.find((r) => r.event.type === type && r.rawBody.includes(marker))?.event as Event<T>,
      `${type} event with ${marker}`,
    );
  }

  /** Emit `messages` then a marker text in the same chat; once the marker is in, the others were handled. */
  async function emitThenMarker(messages: WppMessage[], chat = '201001234567@c.us'): Promise<void> {
    for (const message of messages) fake.emitMessage(message);
    await forward(fixtures.text(chat, `marker ${Math.random()}`));
  }

  it('when nothing was refused, then every event so far passed the helpdesk schema (checked last too)', () => {
    assert.deepEqual(helpdesk.rejected, []);
  });

  it('when a reply quotes our message by quotedStanzaID only, then quoted names our message and replyTo carries its id', async () => {
    const m = kinds.replyToOurs();
    const inbound = await forward(m);
    const id = 'true_201001234567@c.us_3EB0OURREPLY00000000A1';
    assert.deepEqual(inbound.quoted, {
      providerMessageId: id,
      participant: null,
      fromMe: true,
      type: 'text',
      text: 'Which strength do you need?',
    });
    assert.equal(inbound.replyTo, id);
  });

  it("when a reply quotes the customer's own photo, then quoted names their message, them, and the caption", async () => {
    const inbound = await forward(kinds.replyToTheirPhoto());
    assert.deepEqual(inbound.quoted, {
      providerMessageId: 'false_201001234567@c.us_3EB0THEIRPHOTO0000000B2',
      participant: '+201001234567',
      fromMe: false,
      type: 'image',
      text: 'page 1',
    });
  });

  it('when a reply carries quotedMsgId (older WPPConnect), then that id is used as it is', async () => {
    const inbound = await forward(fixtures.quoted());
    assert.equal(inbound.quoted?.providerMessageId, 'true_201001234567@c.us_3EB0AAAA');
    assert.equal(inbound.quoted?.fromMe, true);
    assert.equal(inbound.replyTo, 'true_201001234567@c.us_3EB0AAAA');
  });

  it('when a contact card arrives, then its name, organisation, numbers (waid = WhatsApp number) and vCard are parsed', async () => {
    const inbound = await forward(kinds.contactCard());
    assert.equal(inbound.type, 'contact');
    assert.match(inbound.text ?? '', /^BEGIN:VCARD/);
    assert.equal(inbound.contacts?.length, 1);
    const [card] = inbound.contacts!;
    assert.equal(card!.name, 'Dr. Mona Hassan');
    assert.equal(card!.org, 'Nile Clinic');
    assert.deepEqual(card!.phones, [
      { number: '+20 100 111 2223', waId: '201001112223', type: 'Mobile' },
      { number: '+20 2 2345 6789', waId: null, type: 'WORK,VOICE' },
    ]);
    assert.match(card!.vcard, /FN:Dr\. Mona Hassan/);
  });

  it('when several contacts are shared (multi_vcard), then each card is parsed, a vCard 2.1 one too', async () => {
    const inbound = await forward(kinds.contactList());
    assert.deepEqual(
      inbound.contacts?.map((card) => [card.name, card.phones.map((phone) => [phone.number, phone.waId])]),
      [
        ['صيدلية النيل', [['+20 100 555 0001', '201005550001']]],
        ['Omar Ali', [['01005550002', null]]],
      ],
    );
  });

  it('when shared contacts carry photos, then the cards keep names and numbers without the photos', async () => {
    const inbound = await forward(hostile.contactShare(3, 20_000));
    assert.equal(inbound.contacts?.length, 3);
    for (const card of inbound.contacts!) {
      assert.doesNotMatch(card.vcard, /PHOTO/);
      assert.match(card.phones[0]?.waId ?? '', /^2010000000\d\d$/);
    }
  });

  it('when a live location comes without coordinates, then location is null (never 0,0) and a note says why', async () => {
    const inbound = await forward(kinds.liveLocationWithoutCoordinates());
    assert.equal(inbound.type, 'location');
    assert.equal(inbound.location, null);
    assert.match(inbound.note ?? '', /without coordinates/);
    assert.match(inbound.note ?? '', /بلا إحداثيات/);
    assert.equal(inbound.caption, 'on my way to the pharmacy');
  });

  it('when a live location has coordinates, then it is marked live', async () => {
    const inbound = await forward(kinds.liveLocation());
    assert.deepEqual(inbound.location, {
      latitude: 30.0561,
      longitude: 31.2394,
      name: null,
      address: null,
      live: true,
      url: null,
    });
    assert.equal(inbound.note, null);
  });

  it('when a place is shared, then its name, address and link are kept', async () => {
    const inbound = await forward(kinds.place());
    assert.deepEqual(inbound.location, {
      latitude: 30.0444,
      longitude: 31.2357,
      name: 'El Ezaby Pharmacy',
      address: '12 Tahrir St, Cairo',
      live: false,
      url: 'https://maps.google.com/?cid=1234567890',
    });
  });

  it('when a forwarded message arrives, then details say so', async () => {
    const inbound = await forward(kinds.forwarded());
    assert.equal(inbound.details?.forwarded, true);
    assert.equal((await forward(fixtures.text())).details?.forwarded, false);
  });

  it('when a view-once photo arrives, then no download is tried and it is shown as view once, not as a failure', async () => {
    const m = kinds.viewOnceImage();
    const inbound = await forward(m);
    assert.equal(inbound.type, 'image');
    assert.equal(inbound.media, null);
    assert.equal(inbound.details?.viewOnce, true);
    assert.equal(inbound.note, VIEW_ONCE_NOTE);
    assert.equal(inbound.raw.sidecarMediaError, undefined);
    assert.ok(
      !fake.calls.some(
        (c) => (c.method === 'decryptFile' || c.method === 'downloadMedia') && c.args[0] === m.id,
      ),
    );
  });

  it('when the photos of an album arrive, then they share one albumId', async () => {
    const first = kinds.albumPhoto();
    const second = kinds.albumPhoto();
    fake.setMedia(first.id, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1]));
    fake.setMedia(second.id, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 2]));
    const a = await forward(first);
    const b = await forward(second);
    assert.equal(a.details?.albumId, 'false_201001234567@c.us_3EB0ALBUM0000000000001');
    assert.equal(b.details?.albumId, a.details?.albumId);
    assert.deepEqual([a.details?.width, a.details?.height], [1600, 1200]);
  });

  it('when a video, a voice note and a document arrive, then duration, size in pixels and pages are carried', async () => {
    const video = kinds.video();
    fake.setMedia(video.id, Buffer.from('....ftypmp42 fake video'));
    const v = await forward(video);
    assert.deepEqual([v.details?.durationSeconds, v.details?.width, v.details?.height], [12, 720, 1280]);
    const ptt = fixtures.ptt();
    fake.setMedia(ptt.id, Buffer.from('OggS voice'));
    assert.equal((await forward(ptt)).details?.durationSeconds, 4);
    const document = fixtures.document();
    fake.setMedia(document.id, Buffer.from('%PDF-1.4 two pages'));
    const d = await forward(document);
    assert.equal(d.details?.pages, 2);
    assert.equal(d.details?.durationSeconds, null);
  });

  it("when a list reply arrives, then the row's id, title and description are carried", async () => {
    const inbound = await forward(kinds.listReply());
    assert.equal(inbound.type, 'interactive');
    assert.equal(inbound.menuChoice, 'menu_1');
    assert.deepEqual(inbound.details?.listReply, {
      id: 'menu_1',
      title: 'Prescription refill',
      description: 'Repeat a previous prescription',
    });
    assert.equal(inbound.details?.buttonReply, null);
  });

  it("when a button reply arrives, then the button's id and text are carried", async () => {
    const inbound = await forward(kinds.buttonReply());
    assert.equal(inbound.type, 'interactive');
    assert.equal(inbound.menuChoice, 'refill_yes');
    assert.deepEqual(inbound.details?.buttonReply, { id: 'refill_yes', text: 'Yes, refill it' });
    const template = await forward(kinds.templateButtonReply());
    assert.deepEqual(template.details?.buttonReply, { id: 'agent', text: 'Talk to a pharmacist' });
  });

  it('when the customer creates a poll, then it is a poll whose text is the question and the options', async () => {
    const inbound = await forward(kinds.poll());
    assert.equal(inbound.type, 'poll');
    assert.equal(inbound.text, 'Which branch is closer?\n• Dokki\n• Maadi');
  });

  it('when a kind the helpdesk has no type for arrives, then it is unknown with a note naming it, never an empty bubble', async () => {
    const inbound = await forward(fixtures.unknownType());
    assert.equal(inbound.type, 'unknown');
    assert.match(inbound.note ?? '', /cannot show \(order\)/);
    assert.match(inbound.note ?? '', /لا يعرضه النظام/);
  });

  it('when a reply quotes a photo, then raw keeps the quote without its thumbnail', async () => {
    const inbound = await forward(kinds.replyToTheirPhoto());
    const quoted = inbound.raw.quotedMsg as { body?: string; caption?: string };
    assert.match(quoted.body ?? '', /^\[stripped \d+ characters\]$/);
    assert.equal(quoted.caption, 'page 1');
  });

  it('when the customer edits a message, then an edit event follows the message in its chat with the new text', async () => {
    const chat = '201001230001@c.us';
    const m = fixtures.text(chat, 'I need 1 box');
    fake.emitMessage(m);
    fake.emitEdit(editOf(m, 'I need 2 boxes'));
    const edit = await received('edit', m.id);
    assert.equal(edit.eventId, `wppconnect:test:edit:${m.id}:1732200900000`);
    assert.deepEqual(
      { ...edit.edit, raw: undefined },
      {
        provider: 'wppconnect',
        channel: 'test',
        providerMessageId: m.id,
        text: 'I need 2 boxes',
        timestamp: '2024-11-21T14:55:00.000Z',
        raw: undefined,
      },
    );
    const order = helpdesk.received.filter((r) => r.rawBody.includes(m.id)).map((r) => r.event.type);
    assert.deepEqual(order, ['message', 'edit'], 'the edit never overtakes the message');
  });

  it("when the customer edits a photo's caption, then the edit carries the new caption", async () => {
    const photo = fixtures.image('201001230002@c.us');
    const edited = editOf(photo, THUMB_BODY);
    edited.msg = { ...edited.msg!, caption: 'page 2 as well', isCaptionByUser: true };
    fake.emitEdit(edited);
    const edit = await received('edit', photo.id);
    assert.equal(edit.edit.text, 'page 2 as well');
  });

  it('when the customer deletes a message for everyone, then a deletion event names it', async () => {
    const chat = '201001230003@c.us';
    const m = fixtures.text(chat, 'wrong chat, sorry');
    fake.emitMessage(m);
    fake.emitRevoke(revokeOf(m));
    const deletion = await received('deletion', m.id);
    assert.equal(deletion.eventId, `wppconnect:test:deletion:${m.id}`);
    assert.equal(deletion.deletion.providerMessageId, m.id);
    assert.equal(deletion.deletion.channel, 'test');
    const order = helpdesk.received.filter((r) => r.rawBody.includes(m.id)).map((r) => r.event.type);
    assert.deepEqual(order, ['message', 'deletion']);
  });

  it('when revoked and protocol messages come through onMessage, then they become deletions and edits, never bubbles', async () => {
    const revoked = kinds.revoked('201001230004@c.us');
    const protocolRevoke = kinds.protocolRevoke('201001230004@c.us');
    const protocolEdit = kinds.protocolEdit('201001230004@c.us');
    const other = kinds.protocolOther('201001230004@c.us');
    const notice = kinds.securityNotice('201001230004@c.us');
    await emitThenMarker([revoked, protocolRevoke, protocolEdit, other, notice], '201001230004@c.us');
    assert.equal((await received('deletion', revoked.id)).deletion.providerMessageId, revoked.id);
    const deleted = 'false_201001234567@c.us_3EB0DELETED00000000C3';
    assert.equal((await received('deletion', deleted)).deletion.providerMessageId, deleted);
    const edit = await received('edit', 'false_201001234567@c.us_3EB0EDITED000000000D4');
    assert.equal(edit.edit.text, 'I need 2 boxes, not 1');
    assert.equal(edit.edit.timestamp, '2024-11-21T14:52:57.000Z');
    for (const m of [revoked, protocolRevoke, protocolEdit, other, notice]) {
      assert.ok(
        !helpdesk.received.some(
          (r) => r.event.type === 'message' && r.event.message.providerMessageId === m.id,
        ),
        `${m.type} ${String(m.subtype ?? '')} is not a message`,
      );
    }
  });

  it('when the customer reacts to our reply and then removes the reaction, then two reaction events name our message', async () => {
    const ours = 'true_201001234567@c.us_3EB0OURREPLY0000000R1';
    fake.emitReaction(reactionTo(ours, '👍', { timestamp: 1_732_201_000 }));
    fake.emitReaction(reactionTo(ours, '', { timestamp: 1_732_201_060 }));
    const events = await waitFor(() => {
      const got = helpdesk.received.filter((r) => r.event.type === 'reaction' && r.rawBody.includes(ours));
      return got.length === 2 ? got.map((r) => r.event as Event<'reaction'>) : null;
    }, 'two reactions');
    assert.deepEqual(
      events.map((e) => [e.eventId, e.reaction.emoji, e.reaction.timestamp]),
      [
        [
          `wppconnect:test:reaction:${ours}:201001234567@c.us:1732201000000`,
          '👍',
          '2024-11-21T14:56:40.000Z',
        ],
        [`wppconnect:test:reaction:${ours}:201001234567@c.us:1732201060000`, '', '2024-11-21T14:57:40.000Z'],
      ],
    );
    assert.deepEqual(events[0]!.reaction.from, { phone: '+201001234567', lid: null, userId: null });
    assert.equal(events[0]!.reaction.providerMessageId, ours);
  });

  it('when a reaction comes as published (no sender, time in ms), then the sender is read from its key', async () => {
    const target = 'true_553199851111@c.us_3EB03F43F0F814BEA8AB';
    fake.emitReaction(publishedReaction());
    const reaction = await received('reaction', target);
    assert.equal(reaction.eventId, `wppconnect:test:reaction:${target}:553199851111@c.us:1680554473000`);
    assert.deepEqual(reaction.reaction.from, { phone: '+553199851111', lid: null, userId: null });
    assert.equal(reaction.reaction.emoji, '👍');
    assert.equal(reaction.reaction.timestamp, '2023-04-03T20:41:13.000Z');
  });

  it('when a @lid customer reacts, then the reaction carries the lid and the resolved phone', async () => {
    const lid = '176543210987654@lid';
    fake.setLidPhone(lid, '201114445556');
    const target = `false_${lid}_3EB0THEIRS000000000R2`;
    fake.emitReaction(reactionTo(target, '❤️', { sender: lid }));
    const reaction = await received('reaction', target);
    assert.deepEqual(reaction.reaction.from, { phone: '+201114445556', lid, userId: null });
  });

  it('when we react from the phone, or someone reacts in a group or to a status, then nothing is forwarded', async () => {
    const ours = reactionTo('false_201001234567@c.us_3EB0THEIRS000000000R3', '🙏', {
      fromMe: true,
      sender: OWN,
    });
    const group = reactionTo('false_120363025123456789@g.us_3EB0GROUP0000000000R4_201005556667@c.us', '😂', {
      sender: '201005556667@c.us',
    });
    const status = reactionTo('false_status@broadcast_3EB0STATUS000000000R5_201001234567@c.us', '🔥', {
      sender: '201001234567@c.us',
    });
    for (const reaction of [ours, group, status]) fake.emitReaction(reaction);
    // A later reaction in the first chat's lane: once it is in, the one before it was handled (the group and
    // status ones, in lanes of their own, are skipped before any I/O, so earlier still).
    const marker = 'false_201001234567@c.us_3EB0MARKER000000000R6';
    fake.emitReaction(reactionTo(marker, '👌'));
    await received('reaction', marker);
    for (const id of ['3EB0THEIRS000000000R3', '3EB0GROUP0000000000R4', '3EB0STATUS000000000R5']) {
      assert.ok(!helpdesk.received.some((r) => r.rawBody.includes(id)), `${id} must not be forwarded`);
    }
  });

  it('when a message arrives not yet decrypted (ciphertext), then it is read again and forwarded decrypted, never as an empty bubble', async () => {
    const waiting = kinds.ciphertext('201001230005@c.us');
    fake.setStoredMessage({
      ...waiting,
      type: 'chat',
      body: 'Do you have insulin pens?',
      content: 'Do you have insulin pens?',
    });
    fake.emitMessage(waiting);
    const hit = await waitFor(
      () => helpdesk.received.find((r) => r.event.type === 'message' && r.rawBody.includes(waiting.id)),
      'the decrypted message',
      15_000,
    );
    const message = (hit.event as Event<'message'>).message;
    assert.equal(message.type, 'text');
    assert.equal(message.text, 'Do you have insulin pens?');
    assert.equal(hit.event.eventId, `wppconnect:test:${waiting.id}`);
    assert.ok(fake.calls.some((c) => c.method === 'getMessageById' && c.args[0] === waiting.id));
    assert.equal(helpdesk.received.filter((r) => r.rawBody.includes(waiting.id)).length, 1);
  });

  it('when every event was checked, then the helpdesk refused none', () => {
    assert.deepEqual(helpdesk.rejected, []);
  });
});

/** A base64 thumbnail standing in for a media message's `body`. */
const THUMB_BODY = `/9j/${'A'.repeat(600)}`;

describe('a message that never decrypts', () => {
  it('when a ciphertext message stays undecrypted, then it is forwarded once as unknown with a note, and a late decryption does not double it', async () => {
    const events: SidecarWebhookEvent[] = [];
    const handler = new InboundHandler({
      forwardGroups: false,
      publicUrl: () => 'http://127.0.0.1:1',
      mediaStore: {} as MediaStore,
      lidResolver: new LidResolver(),
      enqueue: async (event) => {
        events.push(event);
      },
      logger: createLogger('silent'),
      webhookMaxBytes: 1024 * 1024,
      ciphertextRetryMs: [20, 20, 20],
    });
    const client = new FakeWppClient();
    const waiting = kinds.ciphertext();
    await handler.handleMessage(client, waiting, 'test');
    const event = await waitFor(() => events.find((e) => e.type === 'message'), 'the unknown message', 5000);
    assert.ok(event.type === 'message');
    assert.equal(event.message.type, 'unknown');
    assert.equal(event.message.note, UNREADABLE_NOTE);
    assert.equal(client.calls.filter((c) => c.method === 'getMessageById').length, 3);

    // The decrypted copy arriving through onMessage before the re-reads end stops them.
    const second = kinds.ciphertext();
    await handler.handleMessage(client, second, 'test');
    await handler.handleMessage(client, { ...second, type: 'chat', body: 'late text' }, 'test');
    await new Promise((resolve) => setTimeout(resolve, 150));
    await handler.idle();
    const forSecond = events.filter((e) => e.type === 'message' && e.message.providerMessageId === second.id);
    assert.equal(forSecond.length, 1);
    assert.ok(forSecond[0]!.type === 'message' && forSecond[0]!.message.text === 'late text');
    await handler.close(100);
  });
});

describe('a contact share too large for the webhook', () => {
  it('when the cards do not fit WEBHOOK_MAX_BYTES, then their vCard texts go first and every name and number stays', () => {
    const share = hostile.contactShare(40, 0);
    for (const entry of share.vcardList!)
      entry!.vcard = entry!.vcard!.replace('END:VCARD', `NOTE:${'x'.repeat(3000)}\nEND:VCARD`);
    const inbound = toInboundMessage(share, {
      channel: 'test',
      phone: '+201001234567',
      lid: null,
      media: null,
    });
    const event = { eventId: messageEventId('test', share.id), type: 'message' as const, message: inbound };
    const maxBytes = 150_000;
    assert.ok(eventBytes(event) > maxBytes);
    const fitted = fitMessageEvent(event, maxBytes);
    assert.ok(eventBytes(fitted) <= maxBytes);
    assert.equal(fitted.message.type, 'contact');
    assert.equal(fitted.message.contacts?.length, 40);
    assert.ok(
      fitted.message.contacts!.every((card) => card.vcard === '' && card.name && card.phones[0]?.waId),
    );
  });
});
