/**
 * Download and decrypt an inbound message's media through WPPConnect.
 * Primary: `client.decryptFile(message)` -> Buffer (Node side, fetches and decrypts the CDN file).
 * Fallback: `client.downloadMedia(message)` -> base64 data URL (browser side).
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/whatsapp.d.ts (`decryptFile`, `downloadMedia`)
 */
import type { WppMessage } from '../events/wpp-types';

export interface MediaDownloader {
  decryptFile(message: WppMessage): Promise<Buffer>;
  downloadMedia?(message: WppMessage | string): Promise<string>;
}

/** Decoded bytes of a `data:<mime>;base64,<data>` URL (or bare base64), plus its MIME type if present. */
export function decodeDataUrl(value: string): { bytes: Buffer; mimeType: string | null } {
  const match = /^data:([^;,]*)(?:;[^,]*)?,(.*)$/s.exec(value);
  if (match) return { bytes: Buffer.from(match[2] ?? '', 'base64'), mimeType: match[1] || null };
  return { bytes: Buffer.from(value, 'base64'), mimeType: null };
}

/**
 * @param client - the WPPConnect client (or a fake).
 * @param message - a media message.
 * @returns the decrypted bytes. @throws Error listing both failures when neither method works.
 */
export async function fetchMessageMedia(client: MediaDownloader, message: WppMessage): Promise<Buffer> {
  let firstError: unknown;
  try {
    const bytes = await client.decryptFile(message);
    if (bytes && bytes.length > 0) return Buffer.from(bytes);
    firstError = new Error('decryptFile returned no bytes');
  } catch (error) {
    firstError = error;
  }
  if (typeof client.downloadMedia === 'function') {
    try {
      const dataUrl = await client.downloadMedia(message);
      if (typeof dataUrl === 'string' && dataUrl.length > 0) {
        const { bytes } = decodeDataUrl(dataUrl);
        if (bytes.length > 0) return bytes;
      }
      throw new Error('downloadMedia returned no data');
    } catch (error) {
      throw new Error(
        `media download failed: decryptFile: ${errorText(firstError)}; downloadMedia: ${errorText(error)}`,
      );
    }
  }
  throw new Error(`media download failed: decryptFile: ${errorText(firstError)}`);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
