/**
 * `GET /api/attachments/:id` as browsers and download managers use it: byte ranges (a voice note
 * or video seeks; a download resumes), conditional requests on the ETag, and download names that
 * end in the file type's extension (a customer's voice note, stored as `audio/ogg; codecs=opus`,
 * downloads as `….ogg`), with the sender's name kept when it already fits.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sendCustomerMedia, startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import { createAgent, type TestAgent } from './api-support';

/** An Ogg Opus file as WhatsApp voice notes are (its header is what the type is sniffed from). */
function voiceNoteBytes(): Buffer {
  const bytes = Buffer.alloc(600);
  bytes.write('OggS', 0);
  bytes.write('OpusHead', 28);
  for (let index = 40; index < bytes.length; index += 1) bytes[index] = index % 251;
  return bytes;
}

const PDF = Buffer.from(`%PDF-1.4\n${'1 0 obj <<>> endobj\n'.repeat(20)}trailer <<>>\n%%EOF\n`);

describe("agents' API: attachments with ranges and download names", () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;
  const voice = voiceNoteBytes();
  let voiceId: string;
  let pdfId: string;
  let namedPdfId: string;

  /** A customer's voice note or document through the real pipeline; resolves to its attachment id. */
  function mediaMessage(
    phone: string,
    mediaId: string,
    body: Buffer,
    type: 'voice' | 'document',
    mimeType: string,
    filename: string | null,
  ): Promise<string> {
    return sendCustomerMedia(helpdesk, phone, { id: mediaId, body, mimeType, type, filename });
  }

  before(async () => {
    helpdesk = await startTestHelpdesk();
    admin = await createAgent(helpdesk, { name: 'Admin', role: 'admin', capacity: 0 });
    voiceId = await mediaMessage('+201001240001', 'ptt-1', voice, 'voice', 'audio/ogg; codecs=opus', null);
    pdfId = await mediaMessage('+201001240002', 'doc-2', PDF, 'document', 'application/pdf', 'تقرير');
    namedPdfId = await mediaMessage(
      '+201001240003',
      'doc-3',
      PDF,
      'document',
      'application/pdf',
      'Invoice.PDF',
    );
  });
  after(() => helpdesk.stop());

  it('when a voice note is fetched, then it plays inline, says it accepts ranges and is named ….ogg', async () => {
    const response = await admin.api.fetch(`/api/attachments/${voiceId}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'audio/ogg; codecs=opus');
    assert.equal(response.headers.get('accept-ranges'), 'bytes');
    const disposition = response.headers.get('content-disposition') ?? '';
    assert.match(
      disposition,
      /^inline; filename="attachment-[0-9a-f]{8}\.ogg"; filename\*=UTF-8''attachment-[0-9a-f]{8}\.ogg$/,
    );
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), voice);

    const download = await admin.api.fetch(`/api/attachments/${voiceId}?download=1`);
    assert.match(
      download.headers.get('content-disposition') ?? '',
      /^attachment; filename="attachment-[0-9a-f]{8}\.ogg"/,
    );
    await download.arrayBuffer();
  });

  it('when bytes 0-99 are asked for, then 206 with exactly those 100 bytes and their Content-Range', async () => {
    const response = await admin.api.fetch(`/api/attachments/${voiceId}`, {
      headers: { range: 'bytes=0-99' },
    });
    assert.equal(response.status, 206);
    assert.equal(response.headers.get('content-range'), `bytes 0-99/${voice.length}`);
    assert.equal(response.headers.get('content-length'), '100');
    assert.equal(response.headers.get('content-type'), 'audio/ogg; codecs=opus');
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), voice.subarray(0, 100));

    const tail = await admin.api.fetch(`/api/attachments/${voiceId}`, { headers: { range: 'bytes=-50' } });
    assert.equal(tail.status, 206);
    assert.equal(
      tail.headers.get('content-range'),
      `bytes ${voice.length - 50}-${voice.length - 1}/${voice.length}`,
    );
    assert.deepEqual(Buffer.from(await tail.arrayBuffer()), voice.subarray(voice.length - 50));
  });

  it('when the range lies outside the file, then 416 naming the size, as JSON without the file', async () => {
    const response = await admin.api.fetch(`/api/attachments/${voiceId}`, {
      headers: { range: `bytes=${voice.length + 10}-${voice.length + 20}` },
    });
    assert.equal(response.status, 416);
    assert.equal(response.headers.get('content-range'), `bytes */${voice.length}`);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(response.headers.get('content-disposition'), null);
    const body = (await response.json()) as { error: string; message: string };
    assert.equal(body.error, 'range_not_satisfiable');
    assert.match(body.message, new RegExp(`${voice.length} bytes`));
  });

  it('when If-Range names another version, then the whole file comes (200); with the ETag, the range (206)', async () => {
    const first = await admin.api.fetch(`/api/attachments/${voiceId}`, { method: 'HEAD' });
    const etag = first.headers.get('etag')!;
    assert.match(etag, /^"[0-9a-f]{64}"$/);
    const stale = await admin.api.fetch(`/api/attachments/${voiceId}`, {
      headers: { range: 'bytes=0-9', 'if-range': '"another-version"' },
    });
    assert.equal(stale.status, 200);
    assert.equal(Buffer.from(await stale.arrayBuffer()).length, voice.length);
    const fresh = await admin.api.fetch(`/api/attachments/${voiceId}`, {
      headers: { range: 'bytes=0-9', 'if-range': etag },
    });
    assert.equal(fresh.status, 206);
    assert.equal(Buffer.from(await fresh.arrayBuffer()).length, 10);
    // As a browser revalidates its cached copy (fetch() would add "no-cache" to a bare If-None-Match).
    const unchanged = await admin.api.fetch(`/api/attachments/${voiceId}`, {
      headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' },
    });
    assert.equal(unchanged.status, 304);
  });

  it('when a PDF is fetched, then it comes inline and may be framed by the console only; downloads stay sandboxed', async () => {
    const inline = await admin.api.fetch(`/api/attachments/${pdfId}`);
    assert.equal(inline.status, 200);
    assert.match(inline.headers.get('content-disposition') ?? '', /^inline; /);
    assert.equal(inline.headers.get('x-frame-options'), 'SAMEORIGIN');
    const policy = inline.headers.get('content-security-policy') ?? '';
    assert.match(policy, /frame-ancestors 'self'/);
    assert.doesNotMatch(policy, /sandbox/, "Chromium's PDF viewer refuses a sandboxed frame");
    assert.equal(inline.headers.get('x-content-type-options'), 'nosniff');
    await inline.arrayBuffer();

    const download = await admin.api.fetch(`/api/attachments/${pdfId}?download=1`);
    assert.match(download.headers.get('content-disposition') ?? '', /^attachment; /);
    assert.equal(download.headers.get('x-frame-options'), 'DENY');
    assert.match(download.headers.get('content-security-policy') ?? '', /sandbox/);
    await download.arrayBuffer();

    // Every other type keeps the sandbox and may not be framed.
    const voiceNote = await admin.api.fetch(`/api/attachments/${voiceId}`, { method: 'HEAD' });
    assert.equal(voiceNote.headers.get('x-frame-options'), 'DENY');
    assert.match(voiceNote.headers.get('content-security-policy') ?? '', /sandbox/);
    assert.doesNotMatch(voiceNote.headers.get('content-security-policy') ?? '', /frame-ancestors/);
  });

  it('when a document has a name without extension, then it downloads with .pdf; a fitting name is kept', async () => {
    const unnamed = await admin.api.fetch(`/api/attachments/${pdfId}?download=1`);
    assert.equal(unnamed.status, 200);
    const disposition = unnamed.headers.get('content-disposition') ?? '';
    assert.match(disposition, /^attachment; /);
    // تقرير.pdf
    assert.match(disposition, /filename\*=UTF-8''%D8%AA%D9%82%D8%B1%D9%8A%D8%B1\.pdf$/);
    await unnamed.arrayBuffer();

    const named = await admin.api.fetch(`/api/attachments/${namedPdfId}?download=1`);
    assert.match(named.headers.get('content-disposition') ?? '', /filename="Invoice\.PDF"/);
    await named.arrayBuffer();
  });
});
