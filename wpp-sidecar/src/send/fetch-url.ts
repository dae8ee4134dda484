/**
 * Download a media URL for `POST /api/send-media` (JSON form) with a byte cap enforced while streaming.
 */
import { AppError } from '../errors';

/**
 * @param url - http(s) URL.
 * @param maxBytes - cap in bytes; more => AppError `payload_too_large`.
 * @param timeoutMs - whole-download timeout (ms).
 * @returns bytes and the response's Content-Type (without parameters) or null.
 * @throws AppError `invalid_request` (bad URL), `media_fetch_failed` (network/HTTP error), `payload_too_large`.
 */
export async function fetchUrl(
  url: string,
  maxBytes: number,
  timeoutMs = 60_000,
): Promise<{ bytes: Buffer; contentType: string | null }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('invalid_request', `"url" is not a valid URL: "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AppError('invalid_request', `"url" must be http or https, got ${parsed.protocol}`);
  }
  let response: Response;
  try {
    response = await fetch(parsed, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new AppError('media_fetch_failed', `"url" could not be fetched: ${(error as Error).message}`);
  }
  if (!response.ok || !response.body) {
    throw new AppError('media_fetch_failed', `"url" answered HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body.cancel().catch(() => undefined);
    throw new AppError(
      'payload_too_large',
      `"url" content is ${declared} bytes; the limit is ${maxBytes} bytes`,
    );
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.length;
    if (total > maxBytes) {
      throw new AppError('payload_too_large', `"url" content exceeds the limit of ${maxBytes} bytes`);
    }
    chunks.push(Buffer.from(chunk));
  }
  const contentType = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() || null;
  return { bytes: Buffer.concat(chunks), contentType };
}
