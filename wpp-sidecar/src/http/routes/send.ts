/**
 * `POST /api/send-message` `{ to, text, replyTo? }` and `POST /api/send-media` (multipart `file` + fields
 * `to`, `type`, `caption`, `filename`, `replyTo`; or JSON `{ to, type, url, caption?, filename?, replyTo? }`).
 * Both answer 201 `{ id }` with the WhatsApp message id.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors';
import { mediaSizeLimit } from '../../media/size-limits';
import type { MediaKind } from '../../media/size-limits';
import { fetchUrl } from '../../send/fetch-url';
import type { MessageSender } from '../../send/message-sender';
import { parseInput } from '../validation';

/** Media kinds accepted for sending. */
const SEND_KINDS = ['image', 'video', 'audio', 'ptt', 'document'] as const;

const sendMessageBody = z.object({
  to: z.string().trim().min(1, 'is required'),
  text: z.string().min(1, 'must not be empty').max(65_536, 'must be at most 65536 characters'),
  replyTo: z.string().min(1).optional(),
});

const sendMediaJsonBody = z.object({
  to: z.string().trim().min(1, 'is required'),
  type: z.string().min(1, 'is required'),
  url: z.string().min(1, 'is required'),
  caption: z.string().max(4096).optional(),
  filename: z.string().max(255).optional(),
  replyTo: z.string().min(1).optional(),
});

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

export function registerSendRoutes(app: FastifyInstance, sender: MessageSender): void {
  app.post('/api/send-message', async (request, reply) => {
    const body = parseInput(sendMessageBody, request.body);
    const result = await sender.sendText(body.to, body.text, body.replyTo ?? null);
    request.log.info({ chatId: result.chatId, id: result.id }, 'send: text sent');
    return reply.status(201).send({ id: result.id });
  });

  app.post('/api/send-media', async (request, reply) => {
    let result: { id: string; chatId: string };
    if (request.isMultipart()) {
      const { fields, file } = await readMultipart(request);
      const to = fields.to?.trim();
      if (!to) throw new AppError('invalid_request', '"to" is required');
      const kind = mediaKind(fields.type);
      if (!file) throw new AppError('invalid_request', '"file" is required (multipart file field)');
      result = await sender.sendMedia({
        to,
        kind,
        bytes: file.bytes,
        mimeType: file.mimeType,
        filename: fields.filename || file.filename,
        caption: fields.caption || null,
        replyTo: fields.replyTo || null,
      });
    } else {
      const body = parseInput(sendMediaJsonBody, request.body);
      const kind = mediaKind(body.type);
      sender.recipient(body.to);
      const { bytes, contentType } = await fetchUrl(body.url, mediaSizeLimit(kind));
      const urlName = decodeURIComponent(new URL(body.url).pathname.split('/').pop() ?? '') || null;
      result = await sender.sendMedia({
        to: body.to,
        kind,
        bytes,
        mimeType: contentType,
        filename: body.filename ?? urlName,
        caption: body.caption ?? null,
        replyTo: body.replyTo ?? null,
      });
    }
    request.log.info({ chatId: result.chatId, id: result.id }, 'send: media sent');
    return reply.status(201).send({ id: result.id });
  });
}
