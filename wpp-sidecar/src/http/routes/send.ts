/**
 * `POST /api/send-message` `{ to, text, replyTo? }` and `POST /api/send-media` (multipart `file` + fields
 * `to`, `type`, `caption`, `filename`, `replyTo`). Both answer 201 `{ id }` with the WhatsApp message id.
 * Declared in the authenticated `/api` scope (server.ts): the paths here are relative to it.
 *
 * Media is taken as uploaded bytes only: the sidecar never fetches a URL to send (a `url` would let
 * an API caller read any host the sidecar reaches, internal ones included, out through WhatsApp).
 * A request naming `url` answers 400.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors';
import type { MediaKind } from '../../media/size-limits';
import type { MessageSender } from '../../send/message-sender';
import { parseInput } from '../validation';

/** Media kinds accepted for sending. */
const SEND_KINDS = ['image', 'video', 'audio', 'ptt', 'document'] as const;

const sendMessageBody = z.object({
  to: z.string().trim().min(1, 'is required'),
  text: z.string().min(1, 'must not be empty').max(65_536, 'must be at most 65536 characters'),
  replyTo: z.string().min(1).optional(),
});

const URL_REMOVED =
  '"url" is not accepted: upload the file as multipart/form-data field "file" (sending media by URL was removed)';

function mediaKind(type: unknown): MediaKind {
  if (typeof type === 'string' && (SEND_KINDS as readonly string[]).includes(type)) return type as MediaKind;
  throw new AppError(
    'unknown_media_type',
    `"type" must be one of ${SEND_KINDS.join(', ')}; got "${String(type)}"`,
  );
}

interface MultipartInput {
  fields: Record<string, string>;
  file: { bytes: Buffer; mimeType: string | null; filename: string | null } | null;
}

async function readMultipart(request: FastifyRequest): Promise<MultipartInput> {
  const fields: Record<string, string> = {};
  let file: MultipartInput['file'] = null;
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file') {
        await part.toBuffer().catch(() => undefined);
        throw new AppError('invalid_request', `unexpected file field "${part.fieldname}"; use "file"`);
      }
      const bytes = await part.toBuffer();
      file = { bytes, mimeType: part.mimetype || null, filename: part.filename || null };
    } else if (typeof part.value === 'string') {
      fields[part.fieldname] = part.value;
    }
  }
  return { fields, file };
}

export function registerSendRoutes(api: FastifyInstance, sender: MessageSender): void {
  api.post('/send-message', async (request, reply) => {
    const body = parseInput(sendMessageBody, request.body);
    const result = await sender.sendText(body.to, body.text, body.replyTo ?? null);
    request.log.info({ chatId: result.chatId, id: result.id }, 'send: text sent');
    return reply.status(201).send({ id: result.id });
  });

  api.post('/send-media', async (request, reply) => {
    if (!request.isMultipart()) {
      const body = request.body;
      if (body && typeof body === 'object' && 'url' in body)
        throw new AppError('invalid_request', URL_REMOVED);
      throw new AppError(
        'invalid_request',
        '"file" is required: send multipart/form-data with a "file" field',
      );
    }
    const { fields, file } = await readMultipart(request);
    if ('url' in fields) throw new AppError('invalid_request', URL_REMOVED);
    const to = fields.to?.trim();
    if (!to) throw new AppError('invalid_request', '"to" is required');
    const kind = mediaKind(fields.type);
    if (!file) throw new AppError('invalid_request', '"file" is required (multipart file field)');
    const result = await sender.sendMedia({
      to,
      kind,
      bytes: file.bytes,
      mimeType: file.mimeType,
      filename: fields.filename || file.filename,
      caption: fields.caption || null,
      replyTo: fields.replyTo || null,
    });
    request.log.info({ chatId: result.chatId, id: result.id }, 'send: media sent');
    return reply.status(201).send({ id: result.id });
  });
}
