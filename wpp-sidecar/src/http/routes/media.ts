/**
 * `GET /api/media/:id`: the bytes of a stored inbound media file with its Content-Type.
 * Ids are `<sha256>.<ext>`; anything else (e.g. `../x`) is a 404 without touching the filesystem.
 * Media of every session share one content-addressed store, so this route serves them all (the events'
 * `media.url` names it); `GET /api/sessions/:name/media/:id` serves the same store, 404 for an unknown session.
 * Declared in the authenticated `/api` router (server.ts): the path here is relative to it.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import type { Request, RequestHandler, Router } from 'express';
import { AppError } from '../../errors';
import type { MediaStore } from '../../media/media-store';

/**
 * Registers `GET <prefix>/media/:id` on the `/api` router.
 * @param options.prefix - e.g. `/sessions/:name` (default: none).
 * @param options.check - runs first (e.g. the session must exist); throws AppError to refuse.
 */
export function registerMediaRoutes(
  api: Router,
  store: MediaStore,
  options: { prefix?: string; check?: (req: Request) => void } = {},
): void {
  const check: RequestHandler = (req, _res, next) => {
    options.check?.(req);
    next();
  };
  api.get(`${options.prefix ?? ''}/media/:id`, check, async (req, res) => {
    const id = String(req.params.id);
    const found = await store.find(id);
    if (!found) throw new AppError('not_found', `media "${id}" not found`);
    res.setHeader('content-type', found.mimeType);
    res.setHeader('content-length', String(found.size));
    res.setHeader('cache-control', 'private, max-age=31536000, immutable');
    // Streamed, never buffered; a client that goes away just ends the pipe.
    pipeline(createReadStream(found.path), res, (error) => {
      if (error && !res.writableFinished)
        req.log.debug({ err: error.message, id }, 'media: stream ended early');
    });
  });
}
