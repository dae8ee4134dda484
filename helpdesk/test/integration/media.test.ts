/**
 * Inbound media: an image message's bytes are fetched from the sidecar, checked and stored under
 * UPLOADS_DIR by content hash, with an attachment row of the right size, sha256 and MIME type.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { query } from '../support/database';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';

/** A real 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

function imageEvent(phone: string, mediaId: string, url: string, sha256: string | null) {
  const event = textEvent(phone, '');
  Object.assign(event.message, {
    type: 'image',
    text: null,
    caption: 'my prescription',
    media: { id: mediaId, mimeType: 'image/png', filename: null, size: PNG.length, sha256, url },
  });
  return event;
}

describe('inbound media', () => {
  let helpdesk: TestHelpdesk;
  before(async () => {
    helpdesk = await startTestHelpdesk();
  });
  after(() => helpdesk.stop());

  it('when a customer sends an image, then it is stored by content hash with a matching attachment row', async () => {
    const sha256 = createHash('sha256').update(PNG).digest('hex');
    helpdesk.sidecar.media.set('media-1', { body: PNG, mimeType: 'image/png' });
    const response = await helpdesk.postWppconnect(
      imageEvent('+201001234567', 'media-1', `${helpdesk.sidecar.url}/api/media/media-1`, sha256),
    );
    assert.equal(response.status, 202);
    const [attachment] = await waitFor(
      () =>
        query<{ storage_key: string; mime_type: string; size: number; sha256: string; caption: string }>(
          helpdesk.database.url,
          `SELECT a.storage_key, a.mime_type, a.size, a.sha256, m.caption FROM attachments a JOIN messages m ON m.id = a.message_id`,
        ).then((rows) => (rows.length ? rows : null)),
      10_000,
      'attachment stored',
    );
    assert.deepEqual(attachment, {
      storage_key: `${sha256}.png`,
      mime_type: 'image/png',
      size: PNG.length,
      sha256,
      caption: 'my prescription',
    });
    assert.deepEqual(await readFile(join(helpdesk.uploadsDir, `${sha256}.png`)), PNG);
  });

  it('when the declared MIME type lies, then the type sniffed from the bytes is kept', async () => {
    helpdesk.sidecar.media.set('media-2', { body: PNG, mimeType: 'application/octet-stream' });
    const event = imageEvent('+201001234568', 'media-2', `${helpdesk.sidecar.url}/api/media/media-2`, null);
    event.message.media!.mimeType = 'image/jpeg';
    await helpdesk.postWppconnect(event);
    const rows = await waitFor(
      () =>
        query<{ mime_type: string }>(
          helpdesk.database.url,
          `SELECT a.mime_type FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.provider_message_id = $1`,
          [event.message.providerMessageId],
        ).then((r) => (r.length ? r : null)),
      10_000,
      'attachment stored',
    );
    assert.equal(rows[0]!.mime_type, 'image/png');
  });

  it('when the media is gone at the sidecar, then the message is still stored, without attachment, with the reason', async () => {
    const event = imageEvent('+201001234569', 'missing', `${helpdesk.sidecar.url}/api/media/missing`, null);
    await helpdesk.postWppconnect(event);
    const rows = await waitFor(
      () =>
        query<{ error: string | null; attachments: number }>(
          helpdesk.database.url,
          `SELECT m.error, (SELECT count(*)::int FROM attachments a WHERE a.message_id = m.id) AS attachments FROM messages m WHERE m.provider_message_id = $1`,
          [event.message.providerMessageId],
        ).then((r) => (r.length ? r : null)),
      20_000,
      'message stored after the last attempt',
    );
    assert.equal(rows[0]!.attachments, 0);
    assert.match(rows[0]!.error ?? '', /stored without it: .*404/);
  });
});
