/**
 * `POST /api/send-message` `{ to, text, replyTo? }` and `POST /api/send-media` (multipart `file` + fields
 * `to`, `type`, `caption`, `filename`, `replyTo`). Both answer 201 `{ id }` with the WhatsApp message id.
 * They send through the default session; `POST /api/sessions/:name/send-message` and `…/send-media` (the
 * same bodies and answers) through the named one, 404 when there is none (checked before any upload is read).
 * Declared in the authenticated `/api` router (server.ts): the paths here are relative to it.
 *
 * Media is taken as uploaded bytes only: the sidecar never fetches a URL to send (a `url` would let
 * an API caller read any host the sidecar reaches, internal ones included, out through WhatsApp).
 * A request naming `url` answers 400.
 *
 * Uploads stream to a file in `uploadDir` (multer disk storage, capped at MAX_MEDIA_BYTES), never into
 * memory; the file is deleted when the request ends, whatever the outcome (multer deletes it itself when
 * the upload fails midway).
 */
import { randomUUID } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import type { Request, RequestHandler, Router } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { AppError } from '../../errors';
import { MAX_MEDIA_BYTES } from '../../media/size-limits';
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

/** Where the send routes keep uploads in flight, and where they are declared. */
export interface SendRouteOptions {
  /** Directory for uploaded files (created by `startServer`). */
  uploadDir: string;
  /** Path before `/send-message` and `/send-media`, e.g. `/sessions/:name` (default: none). */
  prefix?: string;
  /**
   * The message of a 503 `not_connected` answer for this request (e.g. naming `GET /api/sessions/<name>`);
   * by default the sender's own.
   */
  notConnected?(req: Request): string;
}

/** Picks the sender of a request (the default session's, or the one its path names). @throws AppError */
export type SenderFor = (req: Request) => MessageSender;

/**
 * multer for `send-media`: one file field `file` streamed to disk, at most 10 text fields of 64 KiB.
 * Multer's own errors (limits) reach the error middleware as they are; a body busboy cannot parse
 * (no boundary, cut short) is the caller's fault: 400.
 */
function uploadReceiver(uploadDir: string): RequestHandler {
  const upload = multer({
    storage: multer.diskStorage({
      destination: uploadDir,
      filename: (_req, _file, done) => done(null, `upload-${randomUUID()}`),
    }),
    // Flat text fields only (`a[b]` is refused rather than turned into an object).
    limits: { fileSize: MAX_MEDIA_BYTES, files: 1, fields: 10, fieldSize: 64 * 1024, fieldNestingDepth: 0 },
    // Browsers and fetch send UTF-8 filenames (Arabic ones included) without an explicit charset.
    defParamCharset: 'utf8',
  }).single('file');
  return (req, res, next) => {
    upload(req, res, (error: unknown) => {
      if (!error || error instanceof multer.MulterError || isSystemError(error)) return next(error);
      next(
        new AppError(
          'invalid_request',
          `malformed multipart/form-data body: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    });
  };
}

/** A filesystem/OS error (disk full, permissions): ours, not the caller's. */
function isSystemError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/** A text field of the form, or undefined when absent (or not a string). */
function field(body: unknown, name: string): string | undefined {
  if (!body || typeof body !== 'object' || !Object.hasOwn(body, name)) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** Registers `POST <prefix>/send-message` and `POST <prefix>/send-media` on the `/api` router. */
export function registerSendRoutes(api: Router, senderFor: SenderFor, options: SendRouteOptions): void {
  const prefix = options.prefix ?? '';
  // Before the body is read: an unknown session costs no upload.
  const pickSender: RequestHandler = (req, res, next) => {
    res.locals.sender = senderFor(req);
    next();
  };
  const senderOf = (res: { locals: Record<string, unknown> }) => res.locals.sender as MessageSender;
  /** Runs a send; a `not_connected` refusal gets the route's own message (options.notConnected). */
  const sending = async <T>(req: Request, send: () => Promise<T>): Promise<T> => {
    try {
      return await send();
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_connected' && options.notConnected) {
        throw new AppError('not_connected', options.notConnected(req));
      }
      throw error;
    }
  };

  api.post(`${prefix}/send-message`, pickSender, async (req, res) => {
    const body = parseInput(sendMessageBody, req.body);
    const result = await sending(req, () => senderOf(res).sendText(body.to, body.text, body.replyTo ?? null));
    req.log.info({ chatId: result.chatId, id: result.id }, 'send: text sent');
    res.status(201).json({ id: result.id });
  });

  api.post(`${prefix}/send-media`, pickSender, uploadReceiver(options.uploadDir), async (req, res) => {
    const file = req.file;
    let result: { id: string; chatId: string };
    try {
      result = await sending(req, () =>
        sendUploaded(senderOf(res), req.body, file, typeof req.is('multipart/form-data') === 'string'),
      );
    } finally {
      // Before answering: when the caller hears back, the upload is gone from disk.
      if (file) await unlink(file.path).catch(() => undefined);
    }
    req.log.info({ chatId: result.chatId, id: result.id }, 'send: media sent');
    res.status(201).json({ id: result.id });
  });
}

/** Validates a send-media request (fields parsed by multer, or a JSON body) and sends the file. */
async function sendUploaded(
  sender: MessageSender,
  body: unknown,
  file: Express.Multer.File | undefined,
  multipart: boolean,
): Promise<{ id: string; chatId: string }> {
  const hasUrl = !!body && typeof body === 'object' && Object.hasOwn(body, 'url');
  if (hasUrl) throw new AppError('invalid_request', URL_REMOVED);
  if (!multipart) {
    throw new AppError('invalid_request', '"file" is required: send multipart/form-data with a "file" field');
  }
  const to = field(body, 'to')?.trim();
  if (!to) throw new AppError('invalid_request', '"to" is required');
  const kind = mediaKind(field(body, 'type'));
  if (!file) throw new AppError('invalid_request', '"file" is required (multipart file field)');
  return sender.sendMedia({
    to,
    kind,
    file: { path: file.path, size: file.size },
    mimeType: file.mimetype || null,
    filename: field(body, 'filename') || file.originalname || null,
    caption: field(body, 'caption') || null,
    replyTo: field(body, 'replyTo') || null,
  });
}
