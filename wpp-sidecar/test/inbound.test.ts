/**
 * Inbound: WPPConnect-shaped messages through the fake client -> signed webhooks at a stand-in helpdesk,
 * stored media files, and the right client calls.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningSidecar } from '../src/app';
import type { SidecarInboundMessage } from '@whatsapp-helpdesk/contract/sidecar-events';
import type { FakeWppClient } from './fake-wppconnect-client';
import { API_KEY, HelpdeskStub, waitFor } from './helpers';
import { startTestSidecar, type TestSidecar } from './test-sidecar';
import { ack, fixtures, inboundAck } from './wpp-fixtures';

describe('inbound messages', () => {
  let running: TestSidecar;
  let helpdesk: HelpdeskStub;
  let fake: FakeWppClient;
  let sidecar: RunningSidecar;

  before(async () => {
    helpdesk = new HelpdeskStub();
    const url = await helpdesk.start();
    running = await startTestSidecar({ env: { HELPDESK_WEBHOOK_URL: url }, waitFor: 'connected' });
    ({ fake, sidecar } = running);
  });

  after(async () => {
    await running?.stop();
    await helpdesk?.stop();
  });

  /** Emit one message and return the forwarded inbound message. */
  async function forward(
    message: Parameters<FakeWppClient['emitMessage']>[0],
  ): Promise<SidecarInboundMessage> {
    fake.emitMessage(message);
    const hit = await waitFor(
      () =>
        helpdesk.received.find(
          (r) => r.event.type === 'message' && r.event.message.providerMessageId === message.id,
        ),
      `webhook for ${message.id}`,
    );
    assert.equal(hit.event.type, 'message');
    assert.equal(hit.event.eventId, `wppconnect:test:${message.id}`);
    return (hit.event as { message: SidecarInboundMessage }).message;
  }

  it('when a text (chat) arrives, then a signed message event with E.164 phone is forwarded', async () => {
    const m = fixtures.text();
    const inbound = await forward(m);
    assert.equal(inbound.provider, 'wppconnect');
    assert.equal(inbound.channel, 'test');
    assert.equal(inbound.type, 'text');
    assert.equal(inbound.text, 'Hello, I need a refill');
    assert.deepEqual(inbound.from, { phone: '+201001234567', lid: null, userId: null, name: 'Mona Ali' });
    assert.equal(inbound.timestamp, new Date((m.t as number) * 1000).toISOString());
    assert.equal(inbound.media, null);
    assert.equal(inbound.raw.id, m.id);
    const hit = helpdesk.received.find((r) => r.rawBody.includes(m.id))!;
    assert.match(String(hit.headers['x-webhook-signature']), /^sha256=[0-9a-f]{64}$/);
  });

  it('when an image arrives, then it is decrypted, stored as <sha256>.jpg and offered at /api/media/:id', async () => {
    const m = fixtures.image();
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('fake-jpeg-bytes-for-test')]);
    fake.setMedia(m.id, bytes);
    const inbound = await forward(m);
    const sha = createHash('sha256').update(bytes).digest('hex');
    assert.equal(inbound.type, 'image');
    assert.equal(inbound.caption, 'my prescription');
    assert.equal(inbound.text, null);
    assert.ok(inbound.media);
    assert.equal(inbound.media.id, `${sha}.jpg`);
    assert.equal(inbound.media.sha256, sha);
    assert.equal(inbound.media.size, bytes.length);
    assert.equal(inbound.media.mimeType, 'image/jpeg');
    assert.equal(inbound.media.url, `${sidecar.url}/api/media/${sha}.jpg`);
    assert.deepEqual(await readFile(path.join(running.env.config.mediaDir, `${sha}.jpg`)), bytes);
    assert.match(String(inbound.raw.body), /^\[stripped \d+ characters\]$/);
    assert.ok(fake.calls.some((c) => c.method === 'decryptFile' && c.args[0] === m.id));

    const res = await fetch(inbound.media.url, { headers: { 'x-api-key': API_KEY } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/jpeg');
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);
    const noKey = await fetch(inbound.media.url);
    assert.equal(noKey.status, 401);
  });

  it('when a voice note (ptt) arrives, then type is voice and the file is .ogg', async () => {
    const m = fixtures.ptt();
    const bytes = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(64, 7)]);
    fake.setMedia(m.id, bytes);
    const inbound = await forward(m);
    assert.equal(inbound.type, 'voice');
    assert.equal(inbound.media?.mimeType, 'audio/ogg');
    assert.match(inbound.media?.id ?? '', /^[0-9a-f]{64}\.ogg$/);
  });

  it('when a document arrives, then its filename and caption are kept and the file is .pdf', async () => {
    const m = fixtures.document();
    fake.setMedia(m.id, Buffer.from('%PDF-1.4 fake pdf'));
    const inbound = await forward(m);
    assert.equal(inbound.type, 'document');
    assert.equal(inbound.media?.filename, 'lab-results.pdf');
    assert.equal(inbound.caption, 'results');
    assert.match(inbound.media?.id ?? '', /\.pdf$/);
  });

  it('when decryptFile fails, then downloadMedia is used as the fallback', async () => {
    const m = fixtures.image();
    fake.setMediaFallback(m.id, `data:image/png;base64,${Buffer.from('png-bytes').toString('base64')}`);
    const inbound = await forward(m);
    assert.equal(inbound.media?.size, 'png-bytes'.length);
  });

  it('when media cannot be downloaded at all, then the message is still forwarded with media null and a note', async () => {
    const m = fixtures.image();
    const inbound = await forward(m);
    assert.equal(inbound.type, 'image');
    assert.equal(inbound.media, null);
    assert.match(String(inbound.raw.sidecarMediaError), /media download failed/);
  });

  it('when an image is larger than 5 MB, then it is not downloaded and forwarded with a size note', async () => {
    const m = fixtures.image('201001234567@c.us', 6 * 1024 * 1024);
    const inbound = await forward(m);
    assert.equal(inbound.media, null);
    assert.match(String(inbound.raw.sidecarMediaError), /media_too_large/);
    assert.ok(!fake.calls.some((c) => c.method === 'decryptFile' && c.args[0] === m.id));
  });

  it('when a location arrives, then latitude/longitude/name/address are set', async () => {
    const inbound = await forward(fixtures.location());
    assert.equal(inbound.type, 'location');
    assert.deepEqual(inbound.location, {
      latitude: 30.0444,
      longitude: 31.2357,
      name: 'El Ezaby Pharmacy',
      address: '12 Tahrir St, Cairo',
      live: false,
      url: null,
    });
  });

  it('when a vcard arrives, then type is contact and text is the vcard', async () => {
    const inbound = await forward(fixtures.vcard());
    assert.equal(inbound.type, 'contact');
    assert.match(inbound.text ?? '', /^BEGIN:VCARD/);
  });

  it('when a list_response arrives, then type is interactive with menuChoice = selected row id', async () => {
    const inbound = await forward(fixtures.listResponse());
    assert.equal(inbound.type, 'interactive');
    assert.equal(inbound.menuChoice, 'menu_1');
  });

  it('when an unknown type arrives, then it is forwarded as unknown (never dropped)', async () => {
    const inbound = await forward(fixtures.unknownType());
    assert.equal(inbound.type, 'unknown');
  });

  it('when a reply arrives, then replyTo is the quoted message id', async () => {
    const inbound = await forward(fixtures.quoted());
    assert.equal(inbound.replyTo, 'true_201001234567@c.us_3EB0AAAA');
  });

  it('when a @lid sender is resolvable, then phone comes from getPnLidEntry and the lookup is cached', async () => {
    const lid = '187654321098765@lid';
    fake.setLidPhone(lid, '201112223334');
    const first = await forward(fixtures.fromLid(lid));
    assert.deepEqual([first.from.phone, first.from.lid], ['+201112223334', lid]);
    await forward(fixtures.fromLid(lid));
    assert.equal(fake.calls.filter((c) => c.method === 'getPnLidEntry' && c.args[0] === lid).length, 1);
  });

  it('when a @lid sender is not resolvable, then phone is null (never derived from lid digits)', async () => {
    const lid = '201009998887@lid';
    const inbound = await forward(fixtures.fromLid(lid));
    assert.equal(inbound.from.phone, null);
    assert.equal(inbound.from.lid, lid);
  });

  it('when group, status broadcast and own messages arrive, then none is forwarded', async () => {
    const skipped = [fixtures.group(), fixtures.statusBroadcast(), fixtures.own()];
    for (const m of skipped) fake.emitMessage(m);
    const marker = fixtures.text('201007770000@c.us', 'marker');
    await forward(marker);
    for (const m of skipped) {
      assert.ok(!helpdesk.received.some((r) => r.rawBody.includes(m.id)), `${m.id} must not be forwarded`);
    }
  });

  it('when a document comes with only the filename WhatsApp put in caption, then it has no caption and keeps the file name', async () => {
    const m = fixtures.documentNamedOnly();
    fake.setMedia(m.id, Buffer.from('%PDF-1.4 scanned prescription'));
    const inbound = await forward(m);
    assert.equal(inbound.type, 'document');
    assert.equal(inbound.caption, null, 'the customer typed nothing');
    assert.equal(inbound.media?.filename, 'prescription-scan.pdf');
  });

  it('when a document comes with a caption the customer typed, then that caption and the file name are kept', async () => {
    const m = fixtures.documentWithUserCaption();
    fake.setMedia(m.id, Buffer.from('%PDF-1.4 scanned prescription'));
    const inbound = await forward(m);
    assert.equal(inbound.caption, 'for my mother, please');
    assert.equal(inbound.media?.filename, 'prescription-scan.pdf');
  });

  it('when a document has its name only in the caption WhatsApp filled, then that is the file name, not a caption', async () => {
    const m = fixtures.documentNamedOnly('201001234567@c.us', 'blood-test.pdf');
    delete m.filename;
    fake.setMedia(m.id, Buffer.from('%PDF-1.4 blood test'));
    const inbound = await forward(m);
    assert.equal(inbound.caption, null);
    assert.equal(inbound.media?.filename, 'blood-test.pdf');
  });

  it('when acks arrive, then status events follow the ack mapping and pending (0) is not forwarded', async () => {
    const id = 'true_201001234567@c.us_3EB0ACK000000000001';
    for (const value of [0, 1, 2, 3, 4, -1]) fake.emitAck(ack(id, value));
    const statuses = await waitFor(() => {
      const got = helpdesk.received.filter((r) => r.event.type === 'status' && r.rawBody.includes(id));
      return got.length >= 5 ? got : null;
    }, 'five status events');
    const mapped = statuses.map((r) =>
      r.event.type === 'status' ? [r.event.status.status, r.event.eventId] : [],
    );
    assert.deepEqual(mapped, [
      ['sent', `wppconnect:test:ack:${id}:1`],
      ['delivered', `wppconnect:test:ack:${id}:2`],
      ['read', `wppconnect:test:ack:${id}:3`],
      ['read', `wppconnect:test:ack:${id}:4`],
      ['failed', `wppconnect:test:ack:${id}:-1`],
    ]);
    const failed = statuses[4]!.event;
    assert.ok(failed.type === 'status' && failed.status.error === 'ack_FAILED');
  });

  it("when acks change on the customer's own messages, then no status is forwarded for them", async () => {
    // The customer's voice note our phone played (PLAYED) and a failure on their side (FAILED).
    const theirs = 'false_201001234567@c.us_3EB0CUSTOMERVOICE00001';
    fake.emitAck(inboundAck(theirs, 4));
    fake.emitAck(inboundAck(theirs, -1));
    // Then an ack on our reply in the same chat: queued after theirs, so once it is in, theirs were handled.
    const ours = 'true_201001234567@c.us_3EB0OURREPLY0000000001';
    fake.emitAck(ack(ours, 2));
    await waitFor(
      () => helpdesk.received.find((r) => r.event.type === 'status' && r.rawBody.includes(ours)),
      'the status of our reply',
    );
    assert.deepEqual(
      helpdesk.received.filter((r) => r.rawBody.includes(theirs)).map((r) => r.event),
      [],
      "no status event for the customer's message",
    );
  });

  it('when the same message is emitted twice, then it is forwarded once', async () => {
    const m = fixtures.text('201002223333@c.us', 'twice');
    fake.emitMessage(m);
    await forward(m);
    const marker = fixtures.text('201002223333@c.us', 'after');
    await forward(marker);
    assert.equal(helpdesk.received.filter((r) => r.rawBody.includes(m.id)).length, 1);
  });

  it('when media ids try path traversal, then 404', async () => {
    for (const id of ['..%2F..%2Fetc%2Fpasswd', '..', 'abc.jpg', `${'a'.repeat(64)}.jpg`]) {
      const res = await fetch(`${sidecar.url}/api/media/${id}`, { headers: { 'x-api-key': API_KEY } });
      assert.equal(res.status, 404, id);
      assert.equal(((await res.json()) as { error: string }).error, 'not_found');
    }
  });
});
