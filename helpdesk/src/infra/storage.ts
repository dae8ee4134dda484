/**
 * Media storage: files under UPLOADS_DIR named by content hash, `<sha256>.<ext>`, the extension
 * from the MIME type (mime-types). Writing the same bytes twice yields the same key.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromFile } from 'file-type';
import mime from 'mime-types';
import { AppError } from '../errors';

export interface StoredMedia {
  /** File name relative to UPLOADS_DIR. */
  storageKey: string;
  /** Bytes. */
  size: number;
  /** Hex digest of the bytes. */
  sha256: string;
  /** The type sniffed from the bytes (file-type), else the declared one. */
  mimeType: string;
}

export class MediaStorage {
  private readonly root: string;

  /** @param uploadsDir the folder for stored media; created when missing. */
  constructor(uploadsDir: string) {
    this.root = resolve(uploadsDir);
  }

  /**
   * Streams bytes to storage, enforcing a size cap and computing the sha256 on the way.
   * @param source the bytes.
   * @param declaredMimeType what the sender said it is.
   * @param maxBytes cap; larger inputs are refused and nothing is kept.
   * @throws AppError payload_too_large when over the cap.
   */
  async save(source: Readable, declaredMimeType: string, maxBytes: number): Promise<StoredMedia> {
    await mkdir(this.root, { recursive: true });
    const temporary = join(this.root, `.incoming-${randomUUID()}`);
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > maxBytes) {
          callback(new AppError('payload_too_large', `media is larger than ${maxBytes} bytes`));
          return;
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(temporary));
      const sniffed = await fileTypeFromFile(temporary);
      const mimeType = sniffed?.mime ?? declaredMimeType.split(';')[0]!.trim().toLowerCase();
      const extension = mime.extension(mimeType) || sniffed?.ext || 'bin';
      const sha256 = hash.digest('hex');
      const storageKey = `${sha256}.${extension}`;
      await rename(temporary, join(this.root, storageKey));
      return { storageKey, size, sha256, mimeType };
    } finally {
      await rm(temporary, { force: true });
    }
  }

  /**
   * Absolute path of a stored file; refuses keys that would leave UPLOADS_DIR.
   * @throws AppError not_found for a key with a path separator or `..`.
   */
  pathOf(storageKey: string): string {
    const path = resolve(this.root, storageKey);
    if (!path.startsWith(this.root + sep) || storageKey.includes('/') || storageKey.includes('\\')) {
      throw new AppError('not_found', 'no such file');
    }
    return path;
  }

  /** Opens a stored file for reading. @returns the stream and its size in bytes. */
  async open(storageKey: string): Promise<{ stream: Readable; size: number }> {
    const path = this.pathOf(storageKey);
    const info = await stat(path);
    return { stream: createReadStream(path), size: info.size };
  }
}
