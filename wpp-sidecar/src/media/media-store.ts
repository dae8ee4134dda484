/**
 * Content-addressed media files: `<dir>/<sha256>.<ext>`, the extension from the MIME type (mime-types, with
 * `audio/ogg` -> `ogg` for WhatsApp voice notes).
 * The file name is the media id served at `GET /api/media/:id`; ids are validated by a strict pattern so a
 * request can never escape the directory.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import mime from 'mime-types';

/** A file written by `save`. `size` in bytes, `sha256` lowercase hex. */
export interface StoredFile {
  id: string;
  path: string;
  mimeType: string;
  size: number;
  sha256: string;
}

/** Where mime-types' first extension is unusual for players and people (`audio/ogg` -> `oga`). */
const EXTENSION_OVERRIDES: Record<string, string> = { 'audio/ogg': 'ogg' };

const ID_PATTERN = /^[a-f0-9]{64}\.[a-z0-9]{1,12}$/;

/** Stores and finds media by content hash. */
export class MediaStore {
  /** @param dir - absolute directory, created on first write. */
  constructor(readonly dir: string) {}

  /**
   * Write bytes once (idempotent: same bytes, same id).
   * @param bytes - decrypted media.
   * @param mimeType - e.g. `image/jpeg` (parameters like `; codecs=opus` are ignored).
   * @returns the stored file. @throws on I/O errors.
   */
  async save(bytes: Buffer, mimeType: string): Promise<StoredFile> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const baseType = mimeType.split(';')[0]?.trim().toLowerCase() || 'application/octet-stream';
    const ext = EXTENSION_OVERRIDES[baseType] ?? (mime.extension(baseType) || 'bin');
    const id = `${sha256}.${ext}`;
    const file = path.join(this.dir, id);
    await mkdir(this.dir, { recursive: true });
    const exists = await stat(file).then(
      (s) => s.size === bytes.length,
      () => false,
    );
    if (!exists) {
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, file);
    }
    return { id, path: file, mimeType: baseType, size: bytes.length, sha256 };
  }

  /**
   * @param id - media id from a URL (untrusted).
   * @returns the absolute path and MIME type, or null for a malformed id or a missing file.
   */
  async find(id: string): Promise<{ path: string; mimeType: string; size: number } | null> {
    if (!ID_PATTERN.test(id)) return null;
    const file = path.join(this.dir, id);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return null;
    return { path: file, mimeType: mime.lookup(id) || 'application/octet-stream', size: info.size };
  }
}
