import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildMenu } from '../../src/domain/menu';
import { DEFAULT_BOT_TEXTS } from '../../src/domain/bot-texts';
import { ProviderError } from '../../src/errors';
import {
  addressing,
  fit,
  LIST_LIMITS,
  listMessage,
  mediaMessage,
  textMessage,
} from '../../src/whatsapp/cloud/outbound-messages';
import { checkMessageBody } from '../support/stand-in-graph-api';

const PHONE = { phone: '+201001234567', lid: null, userId: null };
const BSUID_ONLY = { phone: null, lid: null, userId: 'EG.13491208655302741918' };

describe('Cloud API message bodies', () => {
  it('when a text is sent, then link previews are off and the phone goes in `to` as digits', () => {
    const body = textMessage(PHONE, 'hello', 'wamid.QUOTED');
    assert.deepEqual(body, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '201001234567',
      context: { message_id: 'wamid.QUOTED' },
      type: 'text',
      text: { preview_url: false, body: 'hello' },
    });
    assert.deepEqual(checkMessageBody(body), []);
  });

  it('when the customer has only a business-scoped user id, then it goes in `recipient`', () => {
    assert.deepEqual(addressing(BSUID_ONLY), { recipient: 'EG.13491208655302741918' });
    assert.deepEqual(checkMessageBody(textMessage(BSUID_ONLY, 'hi')), []);
  });

  it('when the customer has neither phone nor user id, then a final ProviderError', () => {
    assert.throws(
      () => addressing({ phone: null, lid: '1@lid', userId: null }),
      (error: unknown) => error instanceof ProviderError && !error.retryable,
    );
  });

  it('when a text is longer than 4096 characters or empty, then it is refused before sending', () => {
    assert.doesNotThrow(() => textMessage(PHONE, 'ش'.repeat(4096)));
    assert.throws(
      () => textMessage(PHONE, 'x'.repeat(4097)),
      /4097 characters; the Cloud API accepts at most 4096/,
    );
    assert.throws(() => textMessage(PHONE, ''), /empty/);
  });

  it('when media is sent, then it goes by id; a voice note is audio with voice true and no caption', () => {
    assert.deepEqual(mediaMessage(PHONE, { type: 'voice', mediaId: '42', caption: 'ignored' }), {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '201001234567',
      type: 'audio',
      audio: { id: '42', voice: true },
    });
    const document = mediaMessage(PHONE, {
      type: 'document',
      mediaId: '43',
      caption: 'bill',
      filename: 'bill.pdf',
    });
    assert.deepEqual(document.document, { id: '43', caption: 'bill', filename: 'bill.pdf' });
    const image = mediaMessage(PHONE, { type: 'image', mediaId: '44', caption: 'x', filename: 'x.png' });
    assert.deepEqual(image.image, { id: '44', caption: 'x' });
    for (const body of [document, image]) assert.deepEqual(checkMessageBody(body), []);
  });

  it('when the default menu is rendered, then it is an interactive list of its options within Meta limits', () => {
    const menu = buildMenu(DEFAULT_BOT_TEXTS, 'en');
    const body = listMessage(PHONE, menu)!;
    assert.deepEqual(checkMessageBody(body), []);
    const interactive = body.interactive as {
      type: string;
      body: { text: string };
      action: {
        button: string;
        sections: Array<{ rows: Array<{ id: string; title: string; description?: string }> }>;
      };
    };
    assert.equal(interactive.type, 'list');
    assert.equal(interactive.body.text, menu.body);
    assert.equal(interactive.action.button, 'Services');
    assert.deepEqual(
      interactive.action.sections[0]!.rows.map((row) => row.id),
      ['prescription_refill', 'order_status', 'pharmacist', 'delivery', 'other'],
    );
    assert.deepEqual(interactive.action.sections[0]!.rows[0], {
      id: 'prescription_refill',
      title: 'Prescription refill',
      description: 'Send a photo of the prescription',
    });
  });

  it('when titles, button and body are too long, then they are cut to Meta limits and a cut title moves to the description', () => {
    const body = listMessage(PHONE, {
      body: 'b'.repeat(5000),
      buttonText: 'Choose one of the services',
      options: [
        { id: 'long', title: 'A rather long option title that overflows' },
        { id: 'described', title: 'Another very long option title', description: 'd'.repeat(100) },
      ],
    })!;
    assert.deepEqual(checkMessageBody(body), []);
    const interactive = body.interactive as {
      body: { text: string };
      action: { button: string; sections: Array<{ rows: Array<{ title: string; description?: string }> }> };
    };
    assert.equal([...interactive.body.text].length, LIST_LIMITS.bodyChars);
    assert.equal(interactive.action.button, 'Choose one of the s…');
    const [first, second] = interactive.action.sections[0]!.rows;
    assert.equal(first!.title, 'A rather long option ti…');
    assert.equal(first!.description, 'A rather long option title that overflows');
    assert.equal([...second!.description!].length, LIST_LIMITS.rowDescriptionChars);
  });

  it('when a menu has more than 10 options, then no list is built (the driver sends the numbered text)', () => {
    const options = Array.from({ length: 11 }, (_, index) => ({ id: `o${index}`, title: `Option ${index}` }));
    assert.equal(listMessage(PHONE, { body: 'pick', buttonText: 'Pick', options }), null);
  });

  it('when text is cut, then characters (not UTF-16 halves) are counted', () => {
    assert.equal(fit('👍👍👍👍', 3), '👍👍…');
    assert.equal(fit('short', 24), 'short');
  });
});
