import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { AppError } from '../../src/errors';
import { parseCloudWebhook, sha256ToHex } from '../../src/whatsapp/cloud/parse-webhook';
import type { InboundJob, InboundMessage } from '../../src/whatsapp/inbound-event';
import {
  message,
  messagesValue,
  notification,
  PHONE_NUMBER_ID,
  status,
  statusesValue,
  wamid,
  WABA_ID,
} from '../support/cloud-payloads';

const OPTIONS = { phoneNumberId: PHONE_NUMBER_ID, graphUrl: 'https://graph.facebook.com/v23.0' };
const SENDER = { waId: '201001234567', userId: 'EG.13491208655302741918', name: 'Mona' };
const PNG = Buffer.from('89504e470d0a1a0a', 'hex');

const messages = (jobs: InboundJob[]): InboundMessage[] =>
  jobs.flatMap((job) => (job.kind === 'message' ? [job.message] : []));

describe('parseCloudWebhook', () => {
  it('when a text arrives, then it becomes a neutral text event from the wa_id as E.164', () => {
    const text = message.text(SENDER, 'hello');
    const { jobs, rejected } = parseCloudWebhook(notification(messagesValue(SENDER, [text])), OPTIONS);
    assert.deepEqual(rejected, []);
    assert.equal(jobs.length, 1);
    const job = jobs[0]!;
    assert.equal(job.kind, 'message');
    assert.equal(job.eventId, `cloud:${PHONE_NUMBER_ID}:${text.id}`);
    const event = messages(jobs)[0]!;
    assert.equal(event.provider, 'cloud');
    assert.equal(event.channel, PHONE_NUMBER_ID);
    assert.equal(event.providerMessageId, text.id);
    assert.equal(event.timestamp, new Date(Number(text.timestamp) * 1000).toISOString());
    assert.deepEqual(event.from, {
      phone: '+201001234567',
      lid: null,
      userId: 'EG.13491208655302741918',
      name: 'Mona',
      username: null,
    });
    assert.equal(event.type, 'text');
    assert.equal(event.text, 'hello');
    assert.deepEqual((event.raw as { message: unknown }).message, text);
  });

  it('when every documented message type arrives in one batch, then each maps to its SPEC type', () => {
    const reacted = wamid();
    const batch = [
      message.text(SENDER, 'hi', { context: reacted }),
      message.image(SENDER, { id: 'img-1', bytes: PNG, caption: 'prescription' }),
      message.audio(SENDER, { id: 'aud-1', voice: true }),
      message.audio(SENDER, { id: 'aud-2', voice: false }),
      message.video(SENDER, { id: 'vid-1' }),
      message.document(SENDER, { id: 'doc-1', filename: 'invoice.pdf' }),
      message.sticker(SENDER, { id: 'stk-1' }),
      message.location(SENDER),
      message.contacts(SENDER),
      message.listReply(SENDER, { id: 'order_status', title: 'Order status' }),
      message.buttonReply(SENDER, { id: 'yes', title: 'Yes' }),
      message.button(SENDER, { payload: 'STOP', text: 'Stop promotions' }, reacted),
      message.reaction(SENDER, reacted, '👍'),
      message.unsupported(SENDER),
    ];
    const { jobs, rejected } = parseCloudWebhook(notification(messagesValue(SENDER, batch)), OPTIONS);
    assert.deepEqual(rejected, []);
    const events = messages(jobs);
    assert.deepEqual(
      events.map((event) => event.type),
      [
        'text',
        'image',
        'voice',
        'audio',
        'video',
        'document',
        'sticker',
        'location',
        'contact',
        'interactive',
        'interactive',
        'interactive',
        'unknown',
      ],
    );
    // A reaction changes the reacted message: its own job, not a message (issue 12).
    const reactionJob = jobs.find((job) => job.kind === 'reaction');
    assert.equal(reactionJob?.kind === 'reaction' && reactionJob.reaction.providerMessageId, reacted);
    assert.equal(reactionJob?.kind === 'reaction' && reactionJob.reaction.emoji, '👍');
    const [
      text,
      image,
      voice,
      ,
      video,
      document,
      sticker,
      location,
      contact,
      list,
      button,
      template,
      unknown,
    ] = events;
    assert.equal(text!.replyTo, reacted);
    assert.deepEqual(image!.media, {
      id: 'img-1',
      mimeType: 'image/png',
      filename: null,
      size: null,
      sha256: createHash('sha256').update(PNG).digest('hex'),
      url: 'https://graph.facebook.com/v23.0/img-1',
    });
    assert.equal(image!.caption, 'prescription');
    assert.equal(voice!.media!.mimeType, 'audio/ogg; codecs=opus');
    assert.equal(video!.caption, 'a video');
    assert.equal(document!.media!.filename, 'invoice.pdf');
    assert.equal(sticker!.media!.mimeType, 'image/webp');
    assert.deepEqual(location!.location, {
      latitude: 30.0444,
      longitude: 31.2357,
      name: 'Tahrir Pharmacy',
      address: 'Tahrir Square, Cairo',
      live: false,
      url: null,
    });
    assert.equal(contact!.text, 'Dr. Hany Aziz: +20 100 123 4599');
    assert.equal(list!.menuChoice, 'order_status');
    assert.equal(list!.text, 'Order status');
    assert.equal(button!.menuChoice, 'yes');
    assert.equal(template!.menuChoice, 'STOP');
    assert.equal(template!.replyTo, reacted);
    assert.ok(unknown!.raw, 'an unknown type keeps its raw payload');
  });

  it('when Meta sends a reaction, its removal, an edit or a revoke, then each is a change of the named message, not a message', () => {
    const target = 'wamid.TARGET';
    const batch = [
      message.reaction(SENDER, target, '👍'),
      message.reactionRemoved(SENDER, target),
      message.edit(SENDER, target, 'new text'),
      message.revoke(SENDER, target),
    ];
    const { jobs, rejected } = parseCloudWebhook(notification(messagesValue(SENDER, batch)), OPTIONS);
    assert.deepEqual(rejected, []);
    assert.deepEqual(
      jobs.map((job) => job.kind),
      ['reaction', 'reaction', 'edit', 'deletion'],
    );
    const [reaction, removal, edit, deletion] = jobs;
    assert.ok(reaction?.kind === 'reaction' && removal?.kind === 'reaction');
    assert.equal(reaction.reaction.providerMessageId, target);
    assert.equal(reaction.reaction.emoji, '👍');
    assert.equal(reaction.reaction.from.phone, '+201001234567');
    assert.equal(removal.reaction.emoji, '', 'no emoji: removed');
    assert.ok(edit?.kind === 'edit' && deletion?.kind === 'deletion');
    assert.equal(edit.edit.providerMessageId, target);
    assert.equal(edit.edit.text, 'new text');
    assert.equal(deletion.deletion.providerMessageId, target);
    assert.equal(new Set(jobs.map((job) => job.eventId)).size, 4, 'each change has its own event id');
  });

  it('when a message quotes, is forwarded, shares a card or answers a flow, then the parts are read', () => {
    const ours = message.text(SENDER, 'thanks', { context: 'wamid.OURS' });
    const theirs = {
      ...message.text(SENDER, 'this one'),
      context: { from: SENDER.waId, id: 'wamid.THEIRS' },
    };
    const batch = [
      ours,
      theirs,
      message.forwarded(SENDER, 'pass it on'),
      message.contactCard(SENDER),
      message.flowReply(SENDER, { flow_token: 't', choice: 2 }),
    ];
    const { jobs, rejected } = parseCloudWebhook(notification(messagesValue(SENDER, batch)), OPTIONS);
    assert.deepEqual(rejected, []);
    const [quotedOurs, quotedTheirs, forwarded, card, flow] = messages(jobs);
    assert.deepEqual(quotedOurs!.quoted, {
      providerMessageId: 'wamid.OURS',
      participant: null,
      fromMe: true,
      type: null,
      text: null,
    });
    assert.equal(quotedOurs!.replyTo, 'wamid.OURS');
    assert.equal(quotedTheirs!.quoted?.fromMe, false);
    assert.equal(quotedTheirs!.quoted?.participant, '+201001234567');
    assert.equal(forwarded!.details?.forwarded, true);
    assert.equal(card!.contacts?.[0]?.org, 'Nile Clinic');
    assert.deepEqual(card!.contacts?.[0]?.phones[0], {
      number: '+20 100 123 4599',
      waId: '201001234599',
      type: 'CELL',
    });
    assert.match(card!.contacts?.[0]?.vcard ?? '', /^BEGIN:VCARD\nVERSION:3\.0\nFN:Dr\. Hany Aziz/);
    assert.deepEqual(flow!.details?.interactive?.response, { flow_token: 't', choice: 2 });
  });

  it('when a type is new to the helpdesk (even one named like an object key), then it is kept as unknown with its raw payload', () => {
    const odd = [
      { ...message.text(SENDER, 'x'), type: 'constructor' },
      { ...message.text(SENDER, 'y'), type: 'request_welcome' },
    ];
    const { jobs, rejected } = parseCloudWebhook(notification(messagesValue(SENDER, odd)), OPTIONS);
    assert.deepEqual(rejected, []);
    assert.deepEqual(
      messages(jobs).map((event) => [event.type, (event.raw as { message: { type: string } }).message.type]),
      [
        ['unknown', 'constructor'],
        ['unknown', 'request_welcome'],
      ],
    );
  });

  it('when one of three messages is malformed, then all three are kept, the third as unknown with the reason as its note', () => {
    const broken = message.image(SENDER, { id: 'img-2', bytes: PNG }) as Record<string, unknown>;
    delete (broken.image as Record<string, unknown>).id;
    const body = notification(
      messagesValue(SENDER, [message.text(SENDER, 'one'), broken, message.text(SENDER, 'three')]),
    );
    const { jobs, rejected } = parseCloudWebhook(body, OPTIONS);
    assert.deepEqual(rejected, []);
    const events = messages(jobs);
    assert.deepEqual(
      events.map((event) => [event.type, event.text]),
      [
        ['text', 'one'],
        ['unknown', null],
        ['text', 'three'],
      ],
    );
    assert.equal(events[1]!.providerMessageId, broken.id);
    assert.equal(events[1]!.from.phone, '+201001234567');
    assert.match(events[1]!.note!, /Could not be read in full.*type image: image\.id/);
    assert.deepEqual((events[1]!.raw as { message: unknown }).message, broken);
  });

  it('when a message has no id, then it is rejected and named; with an unreadable timestamp it is kept as unknown', () => {
    const noId = message.text(SENDER, 'x') as Record<string, unknown>;
    delete noId.id;
    const noTime = { ...message.text(SENDER, 'y'), timestamp: 'yesterday' };
    const before = Date.now();
    const { jobs, rejected } = parseCloudWebhook(
      notification(messagesValue(SENDER, [noId, noTime])),
      OPTIONS,
    );
    assert.equal(rejected.length, 1);
    assert.match(rejected[0]!.reason, /messages\[0\]: id:/);
    const [kept] = messages(jobs);
    assert.equal(jobs.length, 1);
    assert.equal(kept!.type, 'unknown');
    assert.equal(kept!.text, 'y', 'what could be read is kept');
    assert.match(kept!.note!, /timestamp: must be Unix seconds/);
    assert.ok(Date.parse(kept!.timestamp) >= before - 1000, 'the time of receipt stands in');
  });

  it('when Meta batches several entries and changes, then every message and status is read', () => {
    const other = { waId: '201001110002', name: 'Omar' };
    const sent = wamid();
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: WABA_ID,
          changes: [
            {
              field: 'messages',
              value: messagesValue(SENDER, [message.text(SENDER, 'a'), message.text(SENDER, 'b')]),
            },
            { field: 'messages', value: statusesValue([status(sent, 'delivered', SENDER)]) },
          ],
        },
        {
          id: WABA_ID,
          changes: [{ field: 'messages', value: messagesValue(other, [message.text(other, 'c')]) }],
        },
      ],
    };
    const { jobs, rejected } = parseCloudWebhook(body, OPTIONS);
    assert.deepEqual(rejected, []);
    assert.deepEqual(
      jobs.map((job) =>
        job.kind === 'message' ? job.message.text : job.kind === 'status' ? job.status.status : job.kind,
      ),
      ['a', 'b', 'delivered', 'c'],
    );
    assert.equal(messages(jobs)[2]!.from.phone, '+201001110002');
  });

  it('when the sender has only a business-scoped user id, then the event has no phone and keeps the id and username', () => {
    const sender = { userId: 'EG.998877665544332211', name: 'Hidden', username: '@hidden' };
    const { jobs } = parseCloudWebhook(
      notification(messagesValue(sender, [message.text(sender, 'hi')])),
      OPTIONS,
    );
    assert.deepEqual(messages(jobs)[0]!.from, {
      phone: null,
      lid: null,
      userId: 'EG.998877665544332211',
      name: 'Hidden',
      username: '@hidden',
    });
  });

  it('when the sender has neither wa_id nor user id, then the message is rejected', () => {
    const { jobs, rejected } = parseCloudWebhook(
      notification(messagesValue({}, [message.text({}, 'who?')])),
      OPTIONS,
    );
    assert.equal(jobs.length, 0);
    assert.match(rejected[0]!.reason, /neither from \(wa_id\) nor a business-scoped user id/);
  });

  it('when statuses arrive, then sent, delivered, read and failed map with the error explained; played counts as read', () => {
    const id = wamid();
    const body = notification(
      statusesValue([
        status(id, 'sent', SENDER),
        status(id, 'delivered', SENDER),
        status(id, 'read', SENDER),
        status(id, 'played', SENDER),
        status(id, 'failed', SENDER, {
          code: 131047,
          title: 'Re-engagement message',
          details: 'More than 24 hours have passed since the recipient last replied.',
        }),
        { ...status(id, 'read', SENDER), status: 'deleted' },
      ]),
    );
    const { jobs, rejected } = parseCloudWebhook(body, OPTIONS);
    const statuses = jobs.flatMap((job) => (job.kind === 'status' ? [job] : []));
    assert.deepEqual(
      statuses.map((job) => job.status.status),
      ['sent', 'delivered', 'read', 'read', 'failed'],
    );
    assert.equal(statuses[0]!.provider, 'cloud');
    assert.equal(statuses[0]!.eventId, `cloud:${PHONE_NUMBER_ID}:${id}:status:sent`);
    assert.equal(statuses[0]!.status.error, null);
    const failure = statuses[4]!.status.error as string;
    assert.match(failure, /^outside the 24-hour customer-service window/);
    assert.match(failure, /131047: Re-engagement message: More than 24 hours/);
    assert.equal(rejected.length, 1);
    assert.match(rejected[0]!.reason, /status "deleted" .* is not tracked/);
  });

  it('when a change is for another phone number id or another field, then it is rejected and nothing is read from it', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: WABA_ID,
          changes: [
            { field: 'messages', value: messagesValue(SENDER, [message.text(SENDER, 'x')], '999999999') },
            { field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } },
          ],
        },
      ],
    };
    const { jobs, rejected } = parseCloudWebhook(body, OPTIONS);
    assert.equal(jobs.length, 0);
    assert.match(rejected[0]!.reason, /phone number id 999999999 is not this helpdesk's/);
    assert.match(rejected[1]!.reason, /field "account_update" is not handled/);
  });

  it('when Meta reports errors in value.errors, then each is reported with its code', () => {
    const body = notification({
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
      errors: [
        {
          code: 130429,
          title: 'Rate limit hit',
          message: 'Rate limit hit',
          error_data: { details: 'Too many' },
        },
      ],
    });
    const { rejected } = parseCloudWebhook(body, OPTIONS);
    assert.match(rejected[0]!.reason, /Meta reported rate limit.*130429: Rate limit hit: Too many/);
  });

  it('when the body is not a WhatsApp notification, then it throws a 400 naming the field', () => {
    for (const body of [
      { object: 'page', entry: [] },
      { object: 'whatsapp_business_account' },
      null,
      'text',
    ]) {
      assert.throws(
        () => parseCloudWebhook(body, OPTIONS),
        (error: unknown) => error instanceof AppError && error.status === 400,
      );
    }
    assert.throws(() => parseCloudWebhook({ object: 'page', entry: [] }, OPTIONS), /object: must be/);
  });
});

describe('sha256ToHex', () => {
  const digest = createHash('sha256').update('bytes').digest();
  it('when Meta gives base64, then it becomes lower-case hex', () => {
    assert.equal(sha256ToHex(digest.toString('base64')), digest.toString('hex'));
  });
  it('when Meta gives hex, then it is kept in lower case', () => {
    assert.equal(sha256ToHex(digest.toString('hex').toUpperCase()), digest.toString('hex'));
  });
  it('when the value is neither, then null', () => {
    assert.equal(sha256ToHex('not-a-hash'), null);
    assert.equal(sha256ToHex(undefined), null);
  });
});
