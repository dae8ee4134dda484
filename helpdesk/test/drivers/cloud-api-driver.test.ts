/**
 * The Cloud API driver on its own against the stand-in Graph API (real HTTP on loopback): media
 * upload then send by id, addressing, status, and the failure modes the end-to-end suite does not
 * reach.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { ProviderError } from '../../src/errors';
import { CloudApiDriver } from '../../src/whatsapp/drivers/cloud-api';
import { APP_SECRET, PHONE_NUMBER_ID } from '../support/cloud-payloads';
import { startStandInGraphApi, type StandInGraphApi } from '../support/stand-in-graph-api';

const PHONE = { phone: '+201001234567', lid: null, userId: null };

describe('CloudApiDriver against the stand-in Graph API', () => {
  let graph: StandInGraphApi;
  let driver: CloudApiDriver;
  let folder: string;
  const make = (overrides: Partial<ConstructorParameters<typeof CloudApiDriver>[0]> = {}) =>
    new CloudApiDriver({
      baseUrl: graph.url,
      version: graph.version,
      token: graph.token,
      phoneNumberId: PHONE_NUMBER_ID,
      appSecret: APP_SECRET,
      timeoutMs: 2000,
      defaultCountry: 'EG',
      ...overrides,
    });

  before(async () => {
    graph = await startStandInGraphApi({ phoneNumberId: PHONE_NUMBER_ID });
    driver = make();
    folder = await mkdtemp(join(tmpdir(), 'cloud-driver-'));
  });
  after(async () => {
    assert.deepEqual(graph.violations, []);
    await graph.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('when a text quotes a message, then it is sent with context and the wamid is returned', async () => {
    const result = await driver.sendText(PHONE_NUMBER_ID, PHONE, 'Your order is ready', {
      replyTo: 'wamid.Q',
    });
    const send = graph.sends.at(-1)!;
    assert.equal(result.providerMessageId, send.wamid);
    assert.match(result.providerMessageId, /^wamid\./);
    assert.deepEqual(send.body, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '201001234567',
      context: { message_id: 'wamid.Q' },
      type: 'text',
      text: { preview_url: false, body: 'Your order is ready' },
    });
    assert.equal(graph.requests.at(-1), `POST /${graph.version}/${PHONE_NUMBER_ID}/messages`);
  });

  it('when media is sent, then the file is uploaded first and the message sends the returned media id', async () => {
    const bytes = Buffer.from('%PDF-1.4 test invoice');
    const path = join(folder, 'invoice.pdf');
    await writeFile(path, bytes);
    await driver.sendMedia(PHONE_NUMBER_ID, PHONE, {
      type: 'document',
      path,
      mimeType: 'application/pdf',
      filename: 'invoice.pdf',
      caption: 'Your invoice',
    });
    const [mediaId, upload] = [...graph.uploads].at(-1)!;
    assert.deepEqual(upload, { body: bytes, mimeType: 'application/pdf', filename: 'invoice.pdf' });
    assert.deepEqual(graph.requests.slice(-2), [
      `POST /${graph.version}/${PHONE_NUMBER_ID}/media`,
      `POST /${graph.version}/${PHONE_NUMBER_ID}/messages`,
    ]);
    assert.deepEqual(graph.sends.at(-1)!.body.document, {
      id: mediaId,
      caption: 'Your invoice',
      filename: 'invoice.pdf',
    });
  });

  it('when a voice note is sent, then it goes as audio with voice true', async () => {
    const path = join(folder, 'note.ogg');
    await writeFile(path, Buffer.from('OggS voice'));
    await driver.sendMedia(PHONE_NUMBER_ID, PHONE, { type: 'voice', path, mimeType: 'audio/ogg' });
    const send = graph.sends.at(-1)!;
    assert.equal(send.type, 'audio');
    assert.equal((send.body.audio as { voice: boolean }).voice, true);
  });

  it('when the customer has only a business-scoped user id, then the message goes to `recipient`', async () => {
    await driver.sendText(
      PHONE_NUMBER_ID,
      { phone: null, lid: null, userId: 'EG.13491208655302741918' },
      'hi',
    );
    const send = graph.sends.at(-1)!;
    assert.equal(send.recipient, 'EG.13491208655302741918');
    assert.equal(send.to, undefined);
  });

  it('when the menu has more than 10 options, then it is sent as the numbered text', async () => {
    const options = Array.from({ length: 12 }, (_, index) => ({
      id: `o${index + 1}`,
      title: `Option ${index + 1}`,
    }));
    await driver.sendMenu(PHONE_NUMBER_ID, PHONE, { body: 'Choose:', buttonText: 'Options', options });
    const send = graph.sends.at(-1)!;
    assert.equal(send.type, 'text');
    assert.match((send.body.text as { body: string }).body, /^12\. Option 12$/m);
  });

  it('when a text is too long, then it fails before any request', async () => {
    const before = graph.requests.length;
    await assert.rejects(
      driver.sendText(PHONE_NUMBER_ID, PHONE, 'x'.repeat(4097)),
      (error: unknown) => error instanceof ProviderError && !error.retryable,
    );
    assert.equal(graph.requests.length, before);
  });

  it('when the status is asked, then the phone number and its quality are reported', async () => {
    assert.deepEqual(await driver.getStatus(PHONE_NUMBER_ID), {
      provider: 'cloud',
      channel: PHONE_NUMBER_ID,
      state: 'connected',
      phone: '+201000000000',
      detail: 'Pharmacy (quality GREEN)',
    });
  });

  it('when the token is wrong, then sends fail without retry (190) and the status says error', async () => {
    const broken = make({ token: 'EAA-wrong-token-0000000000' });
    await assert.rejects(
      broken.sendText(PHONE_NUMBER_ID, PHONE, 'hi'),
      (error: unknown) => error instanceof ProviderError && !error.retryable && error.providerCode === 190,
    );
    const status = await broken.getStatus(PHONE_NUMBER_ID);
    assert.equal(status.state, 'error');
    assert.match(status.detail!, /CLOUD_API_TOKEN/);
  });

  it('when Meta cannot be reached, then sends fail as retryable and the status is unknown', async () => {
    const away = make({ baseUrl: 'http://127.0.0.1:9' });
    await assert.rejects(
      away.sendText(PHONE_NUMBER_ID, PHONE, 'hi'),
      (error: unknown) => error instanceof ProviderError && error.retryable,
    );
    assert.equal((await away.getStatus(PHONE_NUMBER_ID)).state, 'unknown');
  });

  it('when media is downloaded, then the URL is fetched first and the bytes match Meta’s sha256', async () => {
    const bytes = Buffer.from('JPEG bytes of a prescription');
    graph.media.set('dl-1', { body: bytes, mimeType: 'image/jpeg' });
    const download = await driver.downloadMedia(PHONE_NUMBER_ID, { id: 'dl-1', mimeType: 'image/jpeg' });
    assert.equal(download.mimeType, 'image/jpeg');
    assert.equal(await text(download.stream), bytes.toString());
    assert.deepEqual(graph.requests.slice(-2), [`GET /${graph.version}/dl-1`, 'GET /download/dl-1']);
  });

  it('when the bytes differ from Meta’s sha256, then the stream fails for good', async () => {
    graph.media.set('dl-2', { body: Buffer.from('original'), mimeType: 'image/jpeg' });
    graph.corruptDownloads.set('dl-2', Buffer.from('tampered'));
    const download = await driver.downloadMedia(PHONE_NUMBER_ID, { id: 'dl-2', mimeType: 'image/jpeg' });
    await assert.rejects(text(download.stream), (error: unknown) => {
      assert.ok(error instanceof ProviderError && !error.retryable);
      assert.match(
        error.message,
        new RegExp(`sha256 ${createHash('sha256').update('tampered').digest('hex')} differs`),
      );
      return true;
    });
  });

  it('when the media URL answers 404 even after a fresh URL, then the media is gone (not retryable)', async () => {
    graph.media.set('dl-3', { body: Buffer.from('x'), mimeType: 'image/jpeg' });
    graph.expireDownloads.add('dl-3');
    const original = graph.expireDownloads.delete.bind(graph.expireDownloads);
    graph.expireDownloads.delete = (id: string) => (id === 'dl-3' ? true : original(id));
    try {
      await assert.rejects(
        driver.downloadMedia(PHONE_NUMBER_ID, { id: 'dl-3', mimeType: 'image/jpeg' }),
        (error: unknown) => error instanceof ProviderError && !error.retryable && error.providerCode === 404,
      );
    } finally {
      graph.expireDownloads.delete = original;
    }
  });
});
