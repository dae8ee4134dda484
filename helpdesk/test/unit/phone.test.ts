import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalisePhone, whatsappNumberAsE164 } from '../../src/domain/phone';

describe('normalisePhone', () => {
  it('when an Egyptian mobile is written in E.164, then it is kept as is', () => {
    assert.equal(normalisePhone('+201001234567', 'EG'), '+201001234567');
  });

  it('when an Egyptian mobile is written nationally as 01001234567 with default country EG, then it becomes +201001234567', () => {
    assert.equal(normalisePhone('01001234567', 'EG'), '+201001234567');
    assert.equal(normalisePhone('01201234567', 'EG'), '+201201234567');
  });

  it('when a number has spaces around and inside it, then they are ignored', () => {
    assert.equal(normalisePhone('  01001234567  ', 'EG'), '+201001234567');
    assert.equal(normalisePhone('+20 100 123 4567', 'EG'), '+201001234567');
  });

  it('when an international number is written without "+" (a wa_id), then it becomes E.164', () => {
    assert.equal(normalisePhone('201001234567', 'EG'), '+201001234567');
    assert.equal(normalisePhone('447911123456', 'EG'), '+447911123456');
    assert.equal(normalisePhone('12025550123', 'EG'), '+12025550123');
  });

  it('when the input is a WhatsApp jid like 201001234567@c.us, then the phone is taken from it', () => {
    assert.equal(normalisePhone('201001234567@c.us', 'EG'), '+201001234567');
    assert.equal(normalisePhone('447911123456@c.us', 'EG'), '+447911123456');
  });

  it('when the jid is @s.whatsapp.net with a device suffix, then the phone is taken from it', () => {
    assert.equal(normalisePhone('201001234567:12@s.whatsapp.net', 'EG'), '+201001234567');
  });

  it('when the input is an @lid id, then it is never turned into a phone number', () => {
    assert.equal(normalisePhone('123456789012345@lid', 'EG'), null);
    // Even when its digits would form a valid number.
    assert.equal(normalisePhone('201001234567@lid', 'EG'), null);
  });

  it('when the input is a group jid, then there is no phone number', () => {
    assert.equal(normalisePhone('120363025246125486@g.us', 'EG'), null);
  });

  it('when the default country is GB, then a British national number is read as British', () => {
    assert.equal(normalisePhone('07911123456', 'GB'), '+447911123456');
  });

  it('when the input is not a valid phone number, then the result is null', () => {
    for (const input of [
      'hello',
      '0100',
      '+2010012345678',
      '123456789012345',
      '@c.us',
      '',
      null,
      undefined,
    ]) {
      assert.equal(normalisePhone(input, 'EG'), null, `for ${JSON.stringify(input)}`);
    }
  });
});

describe('whatsappNumberAsE164', () => {
  it('when WhatsApp gives a number its metadata calls invalid, then it is kept as E.164', () => {
    assert.equal(normalisePhone('553199851111@c.us', 'EG'), null, 'libphonenumber-js refuses it');
    assert.equal(whatsappNumberAsE164('553199851111@c.us'), '+553199851111');
    assert.equal(whatsappNumberAsE164('+553199851111'), '+553199851111');
    assert.equal(whatsappNumberAsE164('553199851111'), '+553199851111');
  });

  it('when the input is a lid, a group, too short, too long or starts with 0, then it is not a phone', () => {
    assert.equal(whatsappNumberAsE164('123456789012345@lid'), null);
    assert.equal(whatsappNumberAsE164('120363025246125486@g.us'), null);
    assert.equal(whatsappNumberAsE164('12'), null);
    assert.equal(whatsappNumberAsE164('+1234567890123456'), null);
    assert.equal(whatsappNumberAsE164('01001234567'), null);
  });
});
