/**
 * WhatsApp's documented per-type media size caps (bytes), applied to inbound and outbound media.
 * @see https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types
 */

const MB = 1024 * 1024;
const KB = 1024;

export type MediaKind = 'image' | 'video' | 'audio' | 'ptt' | 'document' | 'sticker';

export const MEDIA_KINDS: readonly MediaKind[] = ['image', 'video', 'audio', 'ptt', 'document', 'sticker'];

const LIMITS: Record<MediaKind, number> = {
  image: 5 * MB,
  video: 16 * MB,
  audio: 16 * MB,
  ptt: 16 * MB,
  document: 100 * MB,
  sticker: 100 * KB,
};

/** Largest cap of all kinds (bytes): the upload ceiling before the kind is known. */
export const MAX_MEDIA_BYTES = 100 * MB;

/**
 * @param kind - media kind (WPPConnect type names; `ptt` = voice note).
 * @param animated - for stickers: animated stickers may be 500 KB.
 * @returns the cap in bytes.
 */
export function mediaSizeLimit(kind: MediaKind, animated = false): number {
  if (kind === 'sticker' && animated) return 500 * KB;
  return LIMITS[kind];
}

/** Type guard for a media kind string. */
export function isMediaKind(value: unknown): value is MediaKind {
  return typeof value === 'string' && (MEDIA_KINDS as readonly string[]).includes(value);
}
