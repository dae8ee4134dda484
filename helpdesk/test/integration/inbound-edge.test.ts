/**
 * The inbound edge against odd and hostile input at `POST /webhooks/wppconnect` (issue 11): media
 * fetched only from the sidecar, long fields shortened rather than refused, bulky `raw` stripped,
 * NUL characters removed, deep nesting capped, unreadable messages kept as `unknown`, and delivery
 * statuses applied to our outbound messages only. Each message is stored exactly once, and the
 * webhook answers 2xx. A media body that trickles in without end holds its customer's shard for at
 * most MEDIA_DOWNLOAD_TIMEOUT_MS a try, and the message is kept without it after the last try.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { query } from '../support/database';
import {
  photoEvent,
  PIXEL_PNG,
  startTestHelpdesk,
  textEvent,
  waitFor,
  type TestHelpdesk,
} from '../support/harness';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

interface StoredMessage {
  type: string;
  text: string | null;
  caption: string | null;
  error: string | null;
  raw: unknown;
  delivery_status: string;
  customer_name: string | null;
  attachments: number;
  filename: string | null;
}

/** A plain HTTP server on loopback that records every request it receives. */
async function startRecordingServer(): Promise<{
  url: string;
  requests: Array<{ url: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}> {
  const requests: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  const server: Server = createServer((request, response) => {
    requests.push({ url: request.url ?? '', headers: request.headers });
    response.writeHead(200, { 'content-type': 'image/png' });
    response.end(PNG);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('the inbound edge (wppconnect)', () => {
  let helpdesk: TestHelpdesk;

  const storedAs = (providerMessageId: string) =>
    query<StoredMessage>(
      helpdesk.database.url,
      `SELECT m.type, m.text, m.caption, m.error, m.raw, m.delivery_status, c.name AS customer_name,
              (SELECT count(*)::int FROM attachments a WHERE a.message_id = m.id) AS attachments,
              (SELECT a.original_filename FROM attachments a WHERE a.message_id = m.id LIMIT 1) AS filename
         FROM messages m JOIN tickets t ON t.id = m.ticket_id JOIN customers c ON c.id = t.customer_id
        WHERE m.provider = 'wppconnect' AND m.provider_message_id = $1`,
      [providerMessageId],
    );
  /** Waits for the message's row; fails when it never comes (e.g. its job keeps failing). */
  const waitStored = (providerMessageId: string) =>
    waitFor(
      async () => (await storedAs(providerMessageId))[0] ?? null,
      10_000,
      `message ${providerMessageId} stored`,
    );
  /** No inbound job waits, runs or waits for a retry. */
  const settled = () =>
    waitFor(
      async () => {
        const counts = await helpdesk.context.queues.inbound.getJobCounts(
          'waiting',
          'active',
          'delayed',
          'prioritized',
        );
        return Object.values(counts).every((count) => count === 0);
      },
      10_000,
      'the inbound queue settled',
    );
  /**
   * Posts the event, expects 202, waits for it to be stored, posts it again (a redelivery) and
   * checks that exactly one row holds it. @returns the row.
   */
  const postAndStoreOnce = async (
    event: ReturnType<typeof textEvent>,
    rawBody?: string,
  ): Promise<StoredMessage> => {
    const response = await helpdesk.postWppconnect(event, { rawBody });
    assert.equal(response.status, 202, await response.text());
    await waitStored(event.message.providerMessageId);
    assert.equal(
      (await helpdesk.postWppconnect(event, { rawBody })).status,
      202,
      'the redelivery is accepted',
    );
    await settled();
    const rows = await storedAs(event.message.providerMessageId);
    assert.equal(rows.length, 1, 'stored exactly once');
    return rows[0]!;
  };

  before(async () => {
    helpdesk = await startTestHelpdesk({ env: { MEDIA_MAX_BYTES: '1000' } });
  });
  after(() => helpdesk.stop());

  describe('inbound media only from the sidecar', () => {
    const imageEvent = (phone: string, mediaId: string, url: string) => {
      const event = textEvent(phone, '');
      Object.assign(event.message, {
        type: 'image',
        text: null,
        caption: 'look',
        media: { id: mediaId, mimeType: 'image/png', filename: null, size: PNG.length, sha256: null, url },
      });
      return event;
    };

    it('when a signed event names a media URL on another host, then that host gets no request and the message is stored at once with a media error', async () => {
      const elsewhere = await startRecordingServer();
      try {
        const event = imageEvent('+201001239001', 'm-foreign', `${elsewhere.url}/api/media/m-foreign`);
        const row = await postAndStoreOnce(event);
        assert.deepEqual(elsewhere.requests, [], 'no request, so no X-API-Key, reached the other host');
        assert.equal(row.attachments, 0);
        assert.match(row.error ?? '', /stored without it: .*refused media\.url/);
        assert.ok(!helpdesk.sidecar.mediaRequests.includes('m-foreign'));
      } finally {
        await elsewhere.close();
      }
    });

    it('when a media URL is on the sidecar but outside /api/media/, then it is refused too', async () => {
      const event = imageEvent('+201001239002', 'm-escape', `${helpdesk.sidecar.url}/api/media/../status`);
      const row = await postAndStoreOnce(event);
      assert.equal(row.attachments, 0);
      assert.match(row.error ?? '', /refused media\.url/);
    });

    it('when the media URL is the sidecar’s own, then the image is stored', async () => {
      helpdesk.sidecar.media.set('m-own', { body: PNG, mimeType: 'image/png' });
      const event = imageEvent('+201001239003', 'm-own', `${helpdesk.sidecar.url}/api/media/m-own`);
      const row = await postAndStoreOnce(event);
      assert.equal(row.attachments, 1);
      assert.equal(row.error, null);
    });

    it('when the media is larger than MEDIA_MAX_BYTES, then the message is stored at once with the reason, downloaded once', async () => {
      helpdesk.sidecar.media.set('m-big', { body: Buffer.alloc(2000, 1), mimeType: 'image/png' });
      const event = imageEvent('+201001239004', 'm-big', `${helpdesk.sidecar.url}/api/media/m-big`);
      const row = await postAndStoreOnce(event);
      assert.equal(row.attachments, 0);
      assert.match(row.error ?? '', /stored without it: media is larger than 1000 bytes$/);
      assert.deepEqual(
        helpdesk.sidecar.mediaRequests.filter((id) => id === 'm-big'),
        ['m-big'],
        'one download, no retry',
      );
    });
  });

  describe('long fields and bulky raw payloads', () => {
    it('when a document has a 300-character Arabic filename, then it is accepted and stored once with the name shortened', async () => {
      helpdesk.sidecar.media.set('doc-long', {
        body: Buffer.from('%PDF-1.4\n'),
        mimeType: 'application/pdf',
      });
      const filename = `${'وصفة طبية للصيدلية '.repeat(16).slice(0, 296)}.pdf`;
      assert.equal(filename.length, 300);
      const event = textEvent('+201001239010', '');
      Object.assign(event.message, {
        type: 'document',
        text: null,
        caption: filename,
        media: {
          id: 'doc-long',
          mimeType: 'application/pdf',
          filename,
          size: null,
          sha256: null,
          url: `${helpdesk.sidecar.url}/api/media/doc-long`,
        },
      });
      const row = await postAndStoreOnce(event);
      assert.equal(row.type, 'document');
      assert.equal(row.attachments, 1);
      assert.equal(row.filename!.length, 255);
      assert.ok(row.filename!.startsWith(filename.slice(0, 200)));
      assert.ok(row.filename!.endsWith('….pdf'), 'the extension stays visible');
      assert.equal(row.caption, filename, 'a caption of 300 characters fits as it is');
    });

    it('when a contact share of 12 cards carries photos, then it is stored once without the photos in raw', async () => {
      const photo = Buffer.alloc(30_000, 7).toString('base64');
      const vcardList = Array.from({ length: 12 }, (_, index) => ({
        displayName: `Contact ${index + 1}`,
        vcard: [
          'BEGIN:VCARD',
          'VERSION:3.0',
          `FN:Contact ${index + 1}`,
          `TEL;type=CELL;waid=2010012300${String(index).padStart(2, '0')}:+20 100 123 00${index}`,
          `PHOTO;BASE64:${photo.slice(0, 70)}`,
          ...(photo.slice(70).match(/.{1,74}/g) ?? []).map((line) => ` ${line}`),
          'END:VCARD',
        ].join('\n'),
      }));
      const event = textEvent('+201001239011', '12 contacts');
      Object.assign(event.message, {
        type: 'contact',
        raw: { id: event.message.providerMessageId, type: 'multi_vcard', vcardList, jpegThumbnail: photo },
      });
      const body = JSON.stringify(event);
      assert.ok(body.length > 400_000 && body.length < 1_000_000, 'big, yet under WEBHOOK_MAX_BYTES');
      const row = await postAndStoreOnce(event);
      assert.equal(row.type, 'contact');
      const raw = JSON.stringify(row.raw);
      assert.ok(raw.length < 20_000, `raw is small now (${raw.length} characters)`);
      assert.doesNotMatch(raw, /PHOTO/);
      assert.match(raw, /TEL;type=CELL;waid=201001230011/, 'the numbers are kept');
      assert.equal((row.raw as { jpegThumbnail: string }).jpegThumbnail, '[removed: preview bytes]');
    });

    it('when a message has a type the schema does not know, then it is stored once as unknown with a note', async () => {
      const event = textEvent('+201001239012', 'a hologram');
      (event.message as { type: string }).type = 'hologram';
      const row = await postAndStoreOnce(event);
      assert.equal(row.type, 'unknown');
      assert.equal(row.text, 'a hologram');
      assert.match(row.error ?? '', /Could not be read in full.*type/);
    });
  });

  it('when text, sender name and raw hold NUL characters, then the message is stored, and so is the next one of that customer', async () => {
    const name = 'Mo\u0000na';
    const first = textEvent('+201001239020', 'hel\u0000lo', { name });
    first.message.raw = {
      body: 'hel\u0000lo',
      'ke\u0000y': ['a\u0000', { deep: '\u0000' }],
      notifyName: name,
    };
    const row = await postAndStoreOnce(first);
    assert.equal(row.text, 'hello');
    assert.equal(row.customer_name, 'Mona');
    assert.deepEqual(row.raw, { body: 'hello', key: ['a', { deep: '' }], notifyName: 'Mona' });
    const second = textEvent('+201001239020', 'again', { name });
    const next = await postAndStoreOnce(second);
    assert.equal(next.text, 'again');
  });

  it('when raw is nested 5,000 levels deep, then the event is accepted and stored with the depth capped', async () => {
    const event = textEvent('+201001239030', 'deep');
    event.message.raw = 'NESTED';
    // Written by hand: JSON.stringify itself cannot go 5,000 levels deep.
    const nested = `${'{"a":'.repeat(5000)}"bottom"${'}'.repeat(5000)}`;
    const row = await postAndStoreOnce(event, JSON.stringify(event).replace('"NESTED"', nested));
    assert.equal(row.text, 'deep');
    assert.match(JSON.stringify(row.raw), /nested deeper than 32 levels/);
  });

  describe('numbers older than the phone metadata', () => {
    it('when a Brazilian mobile still on WhatsApp without the ninth digit writes, then the message is stored under that number', async () => {
      // 553199851111@c.us: the chat id of a published wppconnect-server reaction payload (rocket.connect
      // issue 109); libphonenumber-js calls the number invalid, WhatsApp delivers its messages.
      const event = textEvent('+553199851111', 'olá');
      const row = await postAndStoreOnce(event);
      assert.equal(row.text, 'olá');
      const [customer] = await query<{ phone: string }>(
        helpdesk.database.url,
        `SELECT phone FROM customers WHERE phone = '+553199851111'`,
      );
      assert.equal(customer?.phone, '+553199851111');
    });
  });

  describe('delivery statuses', () => {
    const statusEvent = (providerMessageId: string, status: string) => ({
      eventId: `wppconnect:pharmacy:${providerMessageId}:status:${status}`,
      type: 'status' as const,
      status: { provider: 'wppconnect', providerMessageId, status, timestamp: new Date().toISOString() },
    });
    const outcomeOf = (eventId: string) =>
      waitFor(
        async () =>
          (await helpdesk.context.queues.inbound.getCompleted()).find(
            (job) => 'eventId' in job.data && job.data.eventId === eventId,
          ),
        10_000,
        `status job ${eventId} completed`,
      );

    it('when a status names an id we never sent, then its job completes at once as a no-op', async () => {
      const event = statusEvent('true_201001239040@c.us_3EB0TYPEDONPHONE', 'delivered');
      assert.equal((await helpdesk.postWppconnect(event)).status, 202);
      const job = await outcomeOf(event.eventId);
      assert.equal(job.returnvalue, 'status-unchanged');
      assert.equal(job.attemptsMade, 1, 'no retry');
    });

    it('when a signed status names an inbound message, then that message keeps its status', async () => {
      const inbound = textEvent('+201001239041', 'hello');
      await postAndStoreOnce(inbound);
      const event = statusEvent(inbound.message.providerMessageId, 'read');
      assert.equal((await helpdesk.postWppconnect(event)).status, 202);
      await outcomeOf(event.eventId);
      const [row] = await storedAs(inbound.message.providerMessageId);
      assert.equal(row!.delivery_status, 'received');
    });
  });
});

describe('a media download that never ends (wppconnect)', () => {
  let helpdesk: TestHelpdesk;
  const TIMEOUT_MS = 1000;
  before(async () => {
    // Two tries: the first fails at the deadline and goes behind the shard's later jobs, the last
    // keeps the message without its media.
    helpdesk = await startTestHelpdesk({
      env: { MEDIA_DOWNLOAD_TIMEOUT_MS: String(TIMEOUT_MS), JOB_ATTEMPTS: '2' },
    });
  });
  after(() => helpdesk.stop());

  /** The customer's messages as stored, oldest first, with their attachments counted. */
  const customerMessages = (phone: string) =>
    query<{ type: string; text: string | null; error: string | null; attachments: number }>(
      helpdesk.database.url,
      `SELECT m.type, m.text, m.error,
              (SELECT count(*)::int FROM attachments a WHERE a.message_id = m.id) AS attachments
         FROM messages m JOIN tickets t ON t.id = m.ticket_id JOIN customers c ON c.id = t.customer_id
        WHERE c.phone = $1 AND m.author = 'customer' ORDER BY m.created_at, m.id`,
      [phone],
    );

  it('when a photo’s body trickles in past MEDIA_DOWNLOAD_TIMEOUT_MS, then the customer’s next text is stored meanwhile and the photo is kept without it, with the reason', async () => {
    const phone = '+201001239301';
    const mediaId = 'trickling-prescription';
    helpdesk.sidecar.media.set(mediaId, { body: PIXEL_PNG, mimeType: 'image/png' });
    helpdesk.sidecar.tricklingMedia.add(mediaId);
    const photo = photoEvent(phone, mediaId, `${helpdesk.sidecar.url}/api/media/${mediaId}`);
    const posted = Date.now();
    assert.equal((await helpdesk.postWppconnect(photo)).status, 202);
    await waitFor(
      () => helpdesk.sidecar.mediaRequests.includes(mediaId) || null,
      5000,
      'photo download started',
    );
    assert.equal((await helpdesk.postWppconnect(textEvent(phone, 'did you get it?'))).status, 202);

    const text = await waitFor(
      async () => (await customerMessages(phone)).find((message) => message.type === 'text') ?? null,
      10_000,
      'the text stored',
    );
    assert.equal(text.text, 'did you get it?');
    const stored = await waitFor(
      async () => {
        const messages = await customerMessages(phone);
        return messages.length === 2 ? messages : null;
      },
      15_000,
      'the photo stored after its last try',
    );
    const image = stored.find((message) => message.type === 'image')!;
    assert.equal(image.attachments, 0);
    assert.equal(
      image.error,
      `تعذّر تنزيل الملف فحُفظت الرسالة بدونه / Media could not be downloaded, stored without it: sidecar media ${mediaId}: not downloaded within ${TIMEOUT_MS} ms`,
    );
    assert.deepEqual(
      helpdesk.sidecar.mediaRequests.filter((id) => id === mediaId),
      [mediaId, mediaId],
      'one download per try',
    );
    assert.ok(Date.now() - posted >= 2 * TIMEOUT_MS, 'each try waited for the deadline');
  });
});
