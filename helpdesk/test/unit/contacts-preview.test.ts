/**
 * What the inbox shows for a shared contact (contract/src/normalise/contacts.ts): the cards' names,
 * never the raw vCard, whichever provider sent it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contactsPreview } from '@whatsapp-helpdesk/contract/normalise';

describe('contactsPreview', () => {
  it('when vCards are shared, then their names (FN, else N) are joined with an Arabic comma', () => {
    const vcards = [
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:د. سامي\r\nTEL;waid=201112223334:+20 111 222 3334\r\nEND:VCARD',
      'BEGIN:VCARD\nVERSION:3.0\nN:Nour;Pharmacy\\, Downtown;;;\nEND:VCARD',
    ].join('\n');
    assert.equal(contactsPreview(vcards), 'د. سامي، Pharmacy, Downtown Nour');
  });

  it('when a card has no name, then its number stands for it', () => {
    assert.equal(contactsPreview('BEGIN:VCARD\nVERSION:3.0\nTEL:+201000000001\nEND:VCARD'), '+201000000001');
  });

  it('when the Cloud API driver wrote one line per card, then the names come without the numbers', () => {
    assert.equal(contactsPreview('Ali: +201000000002, +201000000003\nMona: +201000000004'), 'Ali، Mona');
  });

  it('when nothing can be read, then null (the caller keeps the text)', () => {
    assert.equal(contactsPreview(null), null);
    assert.equal(contactsPreview('   '), null);
    assert.equal(contactsPreview('BEGIN:VCARD\nVERSION:3.0\nEND:VCARD'), null);
  });
});
