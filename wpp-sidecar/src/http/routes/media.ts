/**
 * `GET /api/media/:id`: the bytes of a stored inbound media file with its Content-Type.
 * Ids are `<sha256>.<ext>`; anything else (e.g. `../x`) is a 404 without touching the filesystem.
 * Declared in the authenticated `/api` scope (server.ts): the path here is relative to it.
 */
import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors';
import type { MediaStore } from '../../media/media-store';

export function registerMediaRoutes(api: FastifyInstance, store: MediaStore): void {
  api.get<{ Params: { id: string } }>('/media/:id', async (request, reply) => {
    const found = await store.find(request.params.id);
    if (!found) throw new AppError('not_found', `media "${request.params.id}" not found`);
    reply.header('content-type', found.mimeType);
    reply.header('content-length', String(found.size));
    reply.header('cache-control', 'private, max-age=31536000, immutable');
    return reply.send(createReadStream(found.path));
  });
}
