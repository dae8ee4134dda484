/**
 * `GET /api/attachments/:id`: a stored file, to agents who may read its ticket. Sent with its
 * stored MIME type, `Content-Disposition` (inline for the images, audio and video the console
 * shows; attachment, i.e. download, for everything else or with `?download=1`), `nosniff` and a CSP that
 * keeps a hostile file from running script. The file is located by its database row only.
 */
import { pipeline } from 'node:stream/promises';
import { attachmentDownloadQuerySchema } from '@whatsapp-helpdesk/contract/api';
import type { Context } from '../../../context';
import { openAttachment } from '../../../use-cases/attachments/open-attachment';
import { idParams, type ApiRouter } from './api-route';

/** Shown in the console itself; everything else (PDFs, SVG, office files…) downloads. */
const INLINE = /^(image\/(png|jpeg|gif|webp)|audio\/[\w.+-]+|video\/[\w.+-]+)$/;

/**
 * A Content-Disposition value (RFC 6266) with an ASCII fallback name and the exact UTF-8 name.
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
    description: 'Agents who may read the ticket (assignee, waiting tickets, admins).',
    auth: 'agent',
    params: idParams,
    query: attachmentDownloadQuerySchema,
    produces: '*/*',
    errors: [404],
    async handler({ agent, params, query, request, response }) {
      const file = await openAttachment(context, agent, params.id);
      const forceDownload = query.download === '1' || query.download === 'true';
      const inline = !forceDownload && INLINE.test(file.mimeType);
      const extension = file.mimeType.split('/')[1]?.replace(/[^a-z0-9]/gi, '') || 'bin';
      const headers: Record<string, string> = {
        'content-type': file.mimeType,
        'content-length': String(file.size),
        'content-disposition': contentDisposition(
          inline ? 'inline' : 'attachment',
          file.filename ?? `attachment-${params.id.slice(0, 8)}.${extension}`,
        ),
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; img-src 'self'; media-src 'self'; sandbox",
        'cache-control': 'private, max-age=3600',
        etag: `"${file.sha256}"`,
      };
      // setHeader, not res.set: the stored type is sent as stored, without an added charset.
      for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
      response.status(200);
      if (request.method === 'HEAD') {
        file.stream.destroy();
        response.end();
        return response;
      }
      // A read failure after the headers went out can only cut the connection (the client sees
      // a short body against Content-Length); pipeline destroys both ends.
      await pipeline(file.stream, response).catch((error: unknown) =>
        request.log.warn({ err: error, attachmentId: params.id }, 'attachment transfer ended early'),
      );
      return response;
    },
  });
}
