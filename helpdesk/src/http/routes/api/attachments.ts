/**
 * `GET /api/attachments/:id`: a stored file, to agents who may read its ticket. Sent with its
 * stored MIME type, `Content-Disposition` (inline for the images, audio, video and PDFs the console
 * shows; attachment, i.e. download, for everything else or with `?download=1`) under a name ending
 * in the type's extension, `nosniff` and a CSP that keeps a hostile file from running script
 * (`sandbox`; an inline PDF instead gets `frame-ancestors 'self'` and `X-Frame-Options: SAMEORIGIN`,
 * since Chromium's viewer refuses sandboxed frames and the console shows it in an iframe). The
 * file is located by its database row only. Express's `res.sendFile` (the `send` module) serves it:
 * byte ranges (`Accept-Ranges`, 206 with `Content-Range`, 416), HEAD, and conditional requests on
 * the content hash as ETag (304, 412), so audio and video can seek and long downloads resume.
 */
import type { Response } from 'express';
import { attachmentDownloadQuerySchema } from '@whatsapp-helpdesk/contract/api';
import type { Context } from '../../../context';
import { AppError } from '../../../errors';
import { openAttachment } from '../../../use-cases/attachments/open-attachment';
import { idParams, type ApiRouter } from './api-route';

/** Shown in the console itself; everything else (SVG, office files…) downloads. */
const INLINE = /^(image\/(png|jpeg|gif|webp)|audio\/[\w.+-]+|video\/[\w.+-]+|application\/pdf)$/;

/** Script in any file served here stays inert: no origin, no scripts, no plugins. */
const SANDBOXED_POLICY = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox";

/**
 * An inline PDF, framed by the console only. Chromium's PDF viewer refuses a sandboxed document, so
 * `sandbox` is left out; a PDF's own JavaScript runs inside the viewer, not in this origin's page.
 */
const FRAMED_PDF_POLICY = "default-src 'none'; img-src 'self'; media-src 'self'; frame-ancestors 'self'";

/** Headers describing the file, removed again when the answer becomes an error. */
const FILE_HEADERS = [
  'content-type',
  'content-length',
  'content-disposition',
  'content-range',
  'accept-ranges',
  'cache-control',
  'etag',
  'last-modified',
];

/**
 * A Content-Disposition value (RFC 6266) with an ASCII fallback name and the exact UTF-8 name
 * (RFC 5987 `filename*`).
 * @param type inline or attachment.
 * @param filename the name to offer (may be Arabic); null: none.
 */
export function contentDisposition(type: 'inline' | 'attachment', filename: string | null): string {
  if (!filename) return type;
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Registers the attachment route. */
export function registerAttachmentRoutes(router: ApiRouter, context: Context): void {
  router.add({
    method: 'GET',
    url: '/api/attachments/:id',
    tag: 'attachments',
    summary: 'Download a stored attachment',
    description:
      'Agents who may read the ticket (assignee, waiting tickets, admins). Supports `Range: bytes=…` ' +
      '(206 Partial Content with Content-Range; 416 when the range lies outside the file), HEAD, ' +
      'and `If-None-Match` / `If-Range` on the ETag (the content hash). Images, audio, video and PDFs ' +
      'come inline (a PDF may be framed by the console only), anything else or with `?download=1` as a download.',
    auth: 'agent',
    params: idParams,
    query: attachmentDownloadQuerySchema,
    produces: '*/*',
    errors: [404, 416],
    async handler({ agent, params, query, request, response }) {
      const file = await openAttachment(context, agent, params.id);
      const forceDownload = query.download === '1' || query.download === 'true';
      const essence = file.mimeType.split(';')[0]!.trim().toLowerCase();
      const inline = !forceDownload && INLINE.test(essence);
      const framedPdf = inline && essence === 'application/pdf';
      const headers: Record<string, string> = {
        'content-type': file.mimeType,
        'content-disposition': contentDisposition(inline ? 'inline' : 'attachment', file.filename),
        'x-content-type-options': 'nosniff',
        'content-security-policy': framedPdf ? FRAMED_PDF_POLICY : SANDBOXED_POLICY,
        'cache-control': 'private, max-age=3600',
        etag: `"${file.sha256}"`,
      };
      // helmet's global DENY would keep the console's own frame from showing the PDF.
      if (framedPdf) headers['x-frame-options'] = 'SAMEORIGIN';
      // setHeader, not res.set: the stored type is sent as stored, without an added charset; send
      // keeps a Content-Type, Cache-Control and ETag already set.
      for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
      const error = await new Promise<unknown>((resolve) =>
        response.sendFile(file.path, { dotfiles: 'allow', acceptRanges: true }, resolve),
      );
      if (!error || isAbort(error)) return response;
      if (response.headersSent) {
        // A read failure mid-transfer can only cut the connection (the client sees a short body).
        request.log.warn({ err: error, attachmentId: params.id }, 'attachment transfer ended early');
        return response;
      }
      return answerSendError(response, error, file.size);
    },
  });
}

/** True for the end send reports when the client went away, or after a HEAD or 304 answer. */
function isAbort(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'ECONNABORTED';
}

/**
 * Answers what `send` refused before any byte went out: 416 (range outside the file; its size in
 * Content-Range), 412 (If-Match failed), 404 (the file went away); anything else
 * goes to the error handler.
 */
function answerSendError(response: Response, error: unknown, size: number): Response {
  const status = (error as { status?: unknown }).status;
  const contentRange = response.getHeader('content-range');
  for (const name of FILE_HEADERS) response.removeHeader(name);
  if (status === 416) {
    response.setHeader('content-range', typeof contentRange === 'string' ? contentRange : `bytes */${size}`);
    return response.status(416).json({
      error: 'range_not_satisfiable',
      message: `range: the file has ${size} bytes; ask for bytes 0-${Math.max(0, size - 1)} at most`,
    });
  }
  if (status === 412) {
    return response.status(412).json({
      error: 'precondition_failed',
      message: 'if-match: the file is not the version named',
    });
  }
  if (status === 404) throw new AppError('not_found', 'attachment: the file is no longer stored');
  throw error;
}
