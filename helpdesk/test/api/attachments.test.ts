/**
 * `GET /api/attachments/:id`: a customer's image (stored by the real inbound pipeline) served to
 * the agents who may read its ticket, with its Content-Type and Content-Disposition; refused to
 * others; and no stored key, even a tampered one, reaches outside the uploads folder.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';
import { apiClient, assertValidationError, createAgent, type TestAgent } from './api-support';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe("agents' API: attachments", () => {
  let helpdesk: TestHelpdesk;
  let mona: TestAgent;
  let omar: TestAgent;
  let admin: TestAgent;
  let image: { id: string; storageKey: string };
  let pdf: { id: string };

  async function mediaMessage(
    phone: string,
    mediaId: string,
    body: Buffer,
    mimeType: string,
    filename: string | null,
  ) {
    helpdesk.sidecar.media.set(mediaId, { body, mimeType });
    const event = textEvent(phone, '');
    Object.assign(event.message, {
      type: mimeType.startsWith('image/') ? 'image' : 'document',
      text: null,
      media: {
        id: mediaId,
        mimeType,
        filename,
        size: body.length,
        sha256: null,
        url: `${helpdesk.sidecar.url}/api/media/${mediaId}`,
      },
    });
    assert.equal((await helpdesk.postWppconnect(event)).status, 202);
    return waitFor(
      () =>
        helpdesk.context.db.attachment.findFirst({
          where: { message: { providerMessageId: event.message.providerMessageId } },
          select: { id: true, storageKey: true },
        }),
      10_000,
      'attachment stored',
    );
  }

  before(async () => {
    helpdesk = await startTestHelpdesk();
    mona = await createAgent(helpdesk, { name: 'Mona' });
    omar = await createAgent(helpdesk, { name: 'Omar', availability: 'away' });
    admin = await createAgent(helpdesk, { name: 'Admin', role: 'admin', capacity: 0 });
    image = await mediaMessage('+201001230001', 'img-1', PNG, 'image/png', null);
    pdf = await mediaMessage('+201001230002', 'doc-1', PDF, 'application/pdf', 'روشتة مارس.pdf');
  });
  after(() => helpdesk.stop());

  it('when the assignee fetches an image, then the bytes come inline with its type and a sandboxing policy', async () => {
    const response = await mona.api.fetch(`/api/attachments/${image.id}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/png');
    assert.match(
      response.headers.get('content-disposition') ?? '',
      /^inline; filename="attachment-[0-9a-f]{8}\.png"/,
    );
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.match(response.headers.get('content-security-policy') ?? '', /sandbox/);
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), PNG);
  });

  it('when a document is downloaded, then it comes under its original (Arabic) name', async () => {
    const response = await mona.api.fetch(`/api/attachments/${pdf.id}?download=1`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/pdf');
    const disposition = response.headers.get('content-disposition') ?? '';
    assert.match(disposition, /^attachment; /, 'documents download');
    assert.match(
      disposition,
      /filename\*=UTF-8''%D8%B1%D9%88%D8%B4%D8%AA%D8%A9%20%D9%85%D8%A7%D8%B1%D8%B3\.pdf/,
    );
    const download = await mona.api.fetch(`/api/attachments/${image.id}?download=1`);
    assert.match(download.headers.get('content-disposition') ?? '', /^attachment; /, 'forced download');
  });

  it('when another agent asks for it, then 403; an admin gets it; without a session, 401', async () => {
    const refused = await omar.api.fetch(`/api/attachments/${image.id}`);
    assert.equal(refused.status, 403);
    assert.equal((await admin.api.fetch(`/api/attachments/${image.id}`)).status, 200);
    assert.equal((await apiClient(helpdesk.url, null).fetch(`/api/attachments/${image.id}`)).status, 401);
  });

  it('when the id is not a UUID or unknown, then 400 naming id or 404', async () => {
    assertValidationError(await mona.api.get('/api/attachments/..%2F..%2Fetc%2Fpasswd'), 'id');
    assert.equal((await mona.api.fetch('/api/attachments/00000000-0000-4000-8000-000000000000')).status, 404);
  });

  it('when a stored key points outside the uploads folder, or the file is gone, then 404 and nothing is read', async () => {
    await helpdesk.context.db.attachment.update({
      where: { id: pdf.id },
      data: { storageKey: '../../etc/passwd' },
    });
    assert.equal((await mona.api.fetch(`/api/attachments/${pdf.id}`)).status, 404);
    await rm(join(helpdesk.uploadsDir, image.storageKey));
    assert.equal((await mona.api.fetch(`/api/attachments/${image.id}`)).status, 404);
  });
});
