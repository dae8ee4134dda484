/**
 * Cloud API media (Meta, "Media" reference and "Media Download API"):
 * - download in two steps: `GET /<version>/<media id>?phone_number_id=…` answers `{ messaging_product,
 *   url, mime_type, sha256, file_size, id }`; the `url` is fetched with the same bearer token, so it
 *   must be on Meta's media host (lookaside.fbsbx.com) or CLOUD_API_BASE_URL's origin, and a
 *   redirect is not followed. The URL is valid for 5 minutes, so a 404 on it fetches a fresh URL
 *   once before giving up;
 * - upload: `POST /<version>/<phone number id>/media` as multipart with `messaging_product=whatsapp`,
 *   `type` (MIME type) and `file`, answering `{ id }`, the media id a message then sends.
 */
import { createHash } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { ProviderError } from '../../errors';
import type { DownloadedMedia } from '../driver';
import { guardDownload } from '../upstream';
import { META_MEDIA_HOST, type GraphClient } from './graph-client';
import { sha256ToHex } from './parse-webhook';

/** The answer of `GET /<media id>` (Meta, "Media" reference, "Retrieve media URL"). */
const mediaUrlSchema = z.object({
  url: z.string().url(),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  /** Bytes; Meta's examples give it as a string ("303833"). */
  file_size: z.union([z.number(), z.string().regex(/^\d+$/)]).optional(),
  id: z.string().optional(),
});

const uploadAnswerSchema = z.object({ id: z.string().min(1) });

/**
 * Downloads an inbound media item through the two-step flow.
 * @param client the Graph API client.
 * @param mediaId the media id from the webhook (`image.id`, `audio.id`, …).
 * @param phoneNumberId the phone number id the media was sent to (checked by Meta).
 * @param limits.maxBytes MEDIA_MAX_BYTES: a larger item is refused for good (none when omitted).
 * @param limits.totalMs MEDIA_DOWNLOAD_TIMEOUT_MS: longest time for the body from its headers, ms
 *   (none when omitted).
 * @returns the bytes as a stream and the MIME type Meta declares. The stream fails when it stalls
 *   for longer than the client's timeout, takes longer than `limits.totalMs` or the connection
 *   fails (retryable), and for good when it grows past `limits.maxBytes` or at its end when the
 *   size or the sha256 differ from what Meta declared (`file_size`, `sha256`).
 * @throws ProviderError: not retryable when the media id is unknown or expired at Meta (404 or
 *   error 100 on the first step, 404 or 410 again on a fresh URL), when the URL is not Meta's or
 *   redirects, when its Content-Length is over `maxBytes`; retryable for rate limits, 5xx and
 *   network failures.
 */
export async function downloadCloudMedia(
  client: GraphClient,
  mediaId: string,
  phoneNumberId: string,
  limits: { maxBytes?: number; totalMs?: number } = {},
): Promise<DownloadedMedia> {
  for (let attempt = 1; ; attempt += 1) {
    const location = await retrieveMediaUrl(client, mediaId, phoneNumberId);
    checkMediaHost(client, mediaId, location.url);
    const response = await client.download(location.url, 'GET media URL');
    if (response.status >= 300 && response.status < 400) {
      response.data.destroy();
      // Followed, a redirect could take the bearer token to another host.
      throw new ProviderError(
        `Cloud API media ${mediaId}: download redirected, not followed`,
        false,
        response.status,
      );
    }
    if (response.status === 404 && attempt === 1) {
      response.data.destroy();
      continue; // The 5-minute URL expired between the two steps: fetch a fresh one.
    }
    if (response.status < 200 || response.status >= 300) {
      response.data.destroy();
      throw new ProviderError(
        `Cloud API media ${mediaId}: download answered HTTP ${response.status}`,
        response.status === 429 || response.status >= 500,
        response.status,
      );
    }
    const expectedSize = location.file_size === undefined ? null : Number(location.file_size);
    const expectedSha256 = sha256ToHex(location.sha256);
    const hash = createHash('sha256');
    const stream = guardDownload(response, {
      what: `Cloud API media ${mediaId}`,
      maxBytes: limits.maxBytes ?? Number.POSITIVE_INFINITY,
      idleMs: client.timeoutMs,
      totalMs: limits.totalMs,
      onChunk: (chunk) => hash.update(chunk),
      onEnd: (size) => verifyDownload(mediaId, size, hash.digest('hex'), expectedSize, expectedSha256),
    });
    const contentType = response.headers['content-type'];
    return {
      stream,
      mimeType:
        location.mime_type ??
        (typeof contentType === 'string' && contentType ? contentType : 'application/octet-stream'),
    };
  }
}

/**
 * The bearer token goes only to Meta: a media URL must be https on Meta's media host, or on the
 * configured CLOUD_API_BASE_URL's own origin (a proxy or a stand-in that serves both).
 * @throws ProviderError (not retryable) for any other URL.
 */
function checkMediaHost(client: GraphClient, mediaId: string, url: string): void {
  const parsed = new URL(url);
  const allowed =
    (parsed.protocol === 'https:' && parsed.hostname === META_MEDIA_HOST && parsed.port === '') ||
    parsed.origin === new URL(client.graphUrl).origin;
  if (!allowed || parsed.username !== '' || parsed.password !== '') {
    throw new ProviderError(
      `Cloud API media ${mediaId}: refused media URL on ${parsed.host}, which is neither ${META_MEDIA_HOST} nor CLOUD_API_BASE_URL`,
      false,
    );
  }
}

async function retrieveMediaUrl(client: GraphClient, mediaId: string, phoneNumberId: string) {
  const path = `/${encodeURIComponent(mediaId)}?phone_number_id=${encodeURIComponent(phoneNumberId)}`;
  const answer = await client.json('GET', path);
  const parsed = mediaUrlSchema.safeParse(answer);
  if (!parsed.success) {
    throw new ProviderError(`Cloud API media ${mediaId}: the answer has no url`, true);
  }
  return parsed.data;
}

/**
 * The end of a download against what Meta declared: an error (not retryable, since the bytes Meta
 * serves will not change) when the size or the sha256 differ, else null.
 */
function verifyDownload(
  mediaId: string,
  size: number,
  digest: string,
  expectedSize: number | null,
  expectedSha256: string | null,
): ProviderError | null {
  if (expectedSize !== null && size !== expectedSize) {
    return new ProviderError(
      `Cloud API media ${mediaId}: got ${size} bytes, Meta declared ${expectedSize}`,
      false,
    );
  }
  if (expectedSha256 && digest !== expectedSha256) {
    return new ProviderError(
      `Cloud API media ${mediaId}: sha256 ${digest} differs from Meta's ${expectedSha256}`,
      false,
    );
  }
  return null;
}

/**
 * Uploads a file for sending.
 * @param file absolute path, MIME type and optional filename of the file.
 * @returns the media id to send.
 * @throws ProviderError as mapped from Meta's answer (e.g. 131053 media upload error, not retryable).
 */
export async function uploadCloudMedia(
  client: GraphClient,
  phoneNumberId: string,
  file: { path: string; mimeType: string; filename?: string | null },
): Promise<string> {
  const form = new FormData();
  form.set('messaging_product', 'whatsapp');
  form.set('type', file.mimeType);
  let blob: Blob;
  try {
    blob = await openAsBlob(file.path, { type: file.mimeType });
  } catch (error) {
    throw new ProviderError(`cannot read ${basename(file.path)}: ${(error as Error).message}`, false);
  }
  form.set('file', blob, file.filename ?? basename(file.path));
  const answer = await client.json('POST', `/${encodeURIComponent(phoneNumberId)}/media`, form);
  const parsed = uploadAnswerSchema.safeParse(answer);
  if (!parsed.success) throw new ProviderError('Cloud API POST /media: the answer has no media id', true);
  return parsed.data.id;
}
