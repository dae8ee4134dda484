/**
 * The contract's new message parts on their own (pure): the vCard parser both services share
 * (`@whatsapp-helpdesk/contract/normalise/vcard-contacts`, ical.js) on the vCards WhatsApp and phones
 * write, and the helpdesk's accepting schemas taking odd input without losing the message.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FIELD_LIMITS,
  inboundMessageSchema,
  webhookEventSchema,
} from '@whatsapp-helpdesk/contract/sidecar-events';
import { parseVcardContacts } from '@whatsapp-helpdesk/contract/normalise/vcard-contacts';
import { vcardWithPhoto } from './wpp-fixtures';

const message = {
  provider: 'wppconnect',
  channel: 'test',
  providerMessageId: 'false_201001234567@c.us_3EB0PARTS',
  timestamp: '2026-11-28T15:00:00.000Z',
  from: { phone: '+201001234567', lid: null },
  type: 'text',
  text: 'hi',
};

describe('shared contacts parsed from vCards', () => {
  it('when WhatsApp shares a card, then FN, ORG, the waid number and its label are read and the photo dropped', () => {
    const [card] = parseVcardContacts(
      vcardWithPhoto('Mona', '201001234567', 3000).replace('END:VCARD', 'ORG:Nile;Branch 2\nEND:VCARD'),
    );
    assert.equal(card!.name, 'Mona');
    assert.equal(card!.org, 'Nile, Branch 2');
    assert.deepEqual(card!.phones, [{ number: '+201001234567', waId: '201001234567', type: 'Mobile' }]);
    assert.doesNotMatch(card!.vcard, /PHOTO/);
  });

  it('when a card has no FN, then the name comes from N (given before family), else from the display name', () => {
    const cards = parseVcardContacts(
      [
        'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Hassan;Mona;;Dr.;\r\nTEL:+20 100\r\nEND:VCARD',
        'BEGIN:VCARD\nVERSION:3.0\nTEL:0100\nEND:VCARD',
      ],
      [null, 'From WhatsApp'],
    );
    assert.deepEqual(
      cards.map((card) => card.name),
      ['Dr. Mona Hassan', 'From WhatsApp'],
    );
  });

  it('when a text holds several cards, escaped text and folded lines, then each card is read', () => {
    const cards = parseVcardContacts(
      'BEGIN:VCARD\nVERSION:3.0\nFN:Ali\\, the pharmacist\nTEL;TYPE=cell:+20 111\n  222\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Sara\nEND:VCARD',
    );
    assert.deepEqual(
      cards.map((card) => [card.name, card.phones.map((phone) => phone.number)]),
      [
        ['Ali, the pharmacist', ['+20 111 222']],
        ['Sara', []],
      ],
    );
  });

  it('when a card is malformed for ical.js, then it is read line by line instead, never lost', () => {
    const [card] = parseVcardContacts(
      'BEGIN:VCARD\nVERSION:3.0\nFN:Odd "quote\nTEL;X="a:b;c";waid=201009998887:123\nEND:VCARD',
    );
    assert.equal(card!.name, 'Odd "quote');
    assert.equal(card!.phones[0]?.waId, '201009998887');
  });

  it('when a share has more cards or numbers than the limits, then the extra ones are left out', () => {
    const phones = Array.from({ length: 30 }, (_, i) => `TEL:+20100${i}`).join('\n');
    const cards = parseVcardContacts(
      Array.from({ length: 60 }, (_, i) => `BEGIN:VCARD\nVERSION:3.0\nFN:Card ${i}\n${phones}\nEND:VCARD`),
    );
    assert.equal(cards.length, FIELD_LIMITS.contacts);
    assert.equal(cards[0]!.phones.length, FIELD_LIMITS.contactPhones);
  });

  it('when there is no vCard at all, then there are no cards', () => {
    assert.deepEqual(parseVcardContacts('just text'), []);
    assert.deepEqual(parseVcardContacts([]), []);
  });
});

describe("the helpdesk's accepting schemas for the new parts", () => {
  it('when a location has null coordinates, then it is accepted as no location (never 0,0)', () => {
    const parsed = inboundMessageSchema.parse({
      ...message,
      type: 'location',
      location: { latitude: null, longitude: 31.2, name: 'Somewhere' },
    });
    assert.equal(parsed.location, null);
  });

  it('when a location has both coordinates, then live defaults to false and url to null', () => {
    const parsed = inboundMessageSchema.parse({
      ...message,
      type: 'location',
      location: { latitude: 30, longitude: 31 },
    });
    assert.deepEqual(parsed.location, {
      latitude: 30,
      longitude: 31,
      name: null,
      address: null,
      live: false,
      url: null,
    });
  });

  it('when quoted, contacts or details are malformed, then they become null and the message is kept', () => {
    const parsed = inboundMessageSchema.parse({
      ...message,
      quoted: { providerMessageId: 'x'.repeat(FIELD_LIMITS.providerMessageId + 1) },
      contacts: 'not a list',
      details: { forwarded: 'yes', durationSeconds: -3, listReply: 42 },
    });
    assert.equal(parsed.quoted, null);
    assert.equal(parsed.contacts, null);
    assert.equal(parsed.details?.forwarded, false);
    assert.equal(parsed.details?.durationSeconds, null);
    assert.equal(parsed.details?.listReply, null);
  });

  it('when a quoted type is unknown to us, then it is accepted as unknown; a long quoted text is shortened', () => {
    const parsed = inboundMessageSchema.parse({
      ...message,
      quoted: { providerMessageId: 'true_x_1', type: 'pin_in_chat', text: 'q'.repeat(5000) },
    });
    assert.equal(parsed.quoted?.type, 'unknown');
    assert.equal(parsed.quoted?.text?.length, FIELD_LIMITS.quotedText);
    assert.equal(parsed.quoted?.participant, null);
  });

  it('when edit, deletion and reaction events come, then they are accepted with the fields named in INTERFACES C', () => {
    const base = {
      provider: 'cloud',
      channel: '1234567890',
      providerMessageId: 'wamid.X',
      timestamp: '2026-11-28T15:00:00Z',
    };
    for (const event of [
      { eventId: 'e1', type: 'edit', edit: { ...base, text: 'new' } },
      { eventId: 'e2', type: 'deletion', deletion: base },
      {
        eventId: 'e3',
        type: 'reaction',
        reaction: { ...base, from: { phone: '+201001234567', lid: null }, emoji: '' },
      },
    ]) {
      const parsed = webhookEventSchema.safeParse(event);
      assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
    }
    const refused = webhookEventSchema.safeParse({
      eventId: 'e4',
      type: 'reaction',
      reaction: { ...base, emoji: '👍' },
    });
    assert.equal(refused.success, false, 'a reaction names who reacted');
  });
});
