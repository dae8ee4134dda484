/**
 * Tickets: `GET /api/tickets` (inbox list), `GET /api/tickets/:id` (the thread),
 * `POST /api/tickets/:id/messages` (reply: JSON text or multipart with a file),
 * `POST /api/tickets/:id/notes`, `POST /api/tickets/:id/status`, `POST /api/tickets/:id/transfer`.
 * Thin handlers: validate, call services/ticket-queries.ts or services/ticket-actions.ts, answer.
 */
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Request, RequestHandler, Response } from 'express';
import multer, { MulterError, type StorageEngine } from 'multer';
import {
  messageSchema,
  noteBodySchema,
  noteSchema,
  replyBodySchema,
  replyFieldsSchema,
  replyMultipartSchema,
  statusBodySchema,
  ticketListQuerySchema,
  ticketPageSchema,
  ticketSchema,
  ticketThreadSchema,
  transferBodySchema,
} from '@whatsapp-helpdesk/contract/api';
import type { Context } from '../../../context';
import { AppError } from '../../../errors';
import type { StoredMedia } from '../../../infra/storage';
import { addNote } from '../../../use-cases/tickets/add-note';
import { changeTicketStatus } from '../../../use-cases/tickets/change-status';
import { checkCanReply } from '../../../use-cases/tickets/check-can-reply';
import { getTicketThread } from '../../../use-cases/tickets/get-ticket';
import { listTickets } from '../../../use-cases/tickets/list-tickets';
import { replyToTicket } from '../../../use-cases/tickets/reply-to-ticket';
import { replyWithTemplate } from '../../../use-cases/tickets/reply-with-template';
import type { TicketActionDependencies } from '../../../use-cases/tickets/ticket-action-dependencies';
import { transferTicket } from '../../../use-cases/tickets/transfer-ticket';
import { transferTicketToTeam } from '../../../use-cases/tickets/transfer-ticket-to-team';
import { idParams, parse, type ApiRouter } from './api-route';
import { messageJson, threadJson, ticketJson, ticketPageJson, toJson } from './views';

/** Registers the ticket routes. @param deps what the actions need (database, queues, realtime, log). */
export function registerTicketRoutes(
  router: ApiRouter,
  context: Context,
  deps: TicketActionDependencies,
): void {
  const upload = multer({
    storage: new MediaStorageEngine(context),
    // Browsers send file names as UTF-8 (e.g. Arabic names), not busboy's default latin1.
    defParamCharset: 'utf8',
    limits: {
      fileSize: context.config.mediaMaxBytes,
      files: 1,
      fields: 10,
      fieldSize: 64 * 1024,
      parts: 12,
    },
  }).any();
  const readUpload = (request: Request, response: Response) =>
    runMiddleware(upload, request, response).catch((error: unknown) => {
      throw uploadError(error, context.config.mediaMaxBytes);
    });
  router.add({
    method: 'GET',
    url: '/api/tickets',
    tag: 'tickets',
    summary: 'List tickets (inbox)',
    description:
      'Filters: view (mine, unassigned, all — admins only), status, category, label, channel (a ' +
      'key from GET /api/channels), q (customer name or ' +
      'phone digits, or ticket number), assigneeId (admins). sort: activity (default: latest ' +
      'customer message first, tickets without one last), newest or oldest (ticket number). Each ' +
      "ticket's unreadCount is the caller's. Cursor pagination (pass nextCursor with the same sort).",
    auth: 'agent',
    query: ticketListQuerySchema,
    response: ticketPageSchema,
    async handler({ agent, query }) {
      const page = await listTickets(context.pool, agent, {
        ...query,
        statuses: query.status,
        search: query.q,
      });
      return ticketPageJson(page, agent);
    },
  });

  router.add({
    method: 'GET',
    url: '/api/tickets/:id',
    tag: 'tickets',
    summary: 'One ticket with its whole thread, notes and events',
    description: 'Agents read their own tickets and waiting ones; admins every ticket.',
    auth: 'agent',
    params: idParams,
    response: ticketThreadSchema,
    errors: [404],
    async handler({ agent, params }) {
      return threadJson(await getTicketThread(context.pool, agent, params.id), agent);
    },
  });

  router.add({
    method: 'POST',
    url: '/api/tickets/:id/messages',
    tag: 'tickets',
    summary: 'Reply to the customer (text, or a file with an optional caption)',
    description:
      'JSON `{ "text": "…" }`, or `{ "template": { "name", "language", "parameters": { "header"?: [...], ' +
      '"body": [...] } } }` (an APPROVED message template synced for the ticket\'s channel, its variables ' +
      "in order; allowed outside the Cloud API's 24-hour window; 400 naming template.parameters.body when " +
      'the count differs; on WPPConnect its text is sent), or multipart/form-data with one `file` (image, video, audio, document), ' +
      'optional `text` (the caption) and `asVoice=true` to send audio as a voice note. Either form ' +
      'takes `replyTo`: the id of a message of this ticket to quote (400 naming replyTo otherwise, or ' +
      'when that message never reached WhatsApp); the reply carries it as `quoted`. The reply is ' +
      'queued and sent through the WhatsApp driver; its deliveryStatus moves from queued to sent, ' +
      'delivered, read or failed (pushed on the stream). Assignee or admin; open or pending tickets.',
    auth: 'agent',
    params: idParams,
    multipart: {
      description: 'one file, an optional caption and voice-note flag',
      schema: replyMultipartSchema,
      alternativeJson: replyBodySchema,
    },
    status: 201,
    response: messageSchema,
    errors: [404, 409, 413, 503],
    async handler({ agent, params, request, response }) {
      if (!request.is('multipart/form-data')) {
        const body = parse(replyBodySchema, request.body ?? {});
        if (body.template) {
          return messageJson(await replyWithTemplate(deps, agent, params.id, body.template));
        }
        return messageJson(
          await replyToTicket(deps, agent, params.id, { text: body.text, replyTo: body.replyTo ?? null }),
        );
      }
      // Refuse before storing anything the caller may not send.
      await checkCanReply(deps, agent, params.id);
      // The file streams to UPLOADS_DIR as it arrives; a refused upload removes it (multer calls
      // the engine's _removeFile).
      await readUpload(request, response);
      const files = (request.files ?? []) as UploadedFile[];
      const stored = files[0]?.stored ?? null;
      try {
        const fields = Object.fromEntries(Object.entries((request.body ?? {}) as Record<string, unknown>));
        const values = parse(replyFieldsSchema, fields);
        if (!stored) {
          const body = parse(replyBodySchema, { text: values.text, replyTo: values.replyTo });
          return messageJson(
            await replyToTicket(deps, agent, params.id, { text: body.text, replyTo: body.replyTo ?? null }),
          );
        }
        const message = await replyToTicket(deps, agent, params.id, {
          text: values.text ?? null,
          replyTo: values.replyTo ?? null,
          media: {
            stored,
            filename: cleanFilename(files[0]!.originalname),
            asVoice: values.asVoice === 'true',
          },
        });
        return messageJson(message);
      } catch (error) {
        // Fields may follow the file in the stream, so the file is stored before they can be
        // validated: a refused reply removes it again (unless another row uses the same bytes).
        if (stored) await removeUnreferenced(context, stored.storageKey);
        throw error;
      }
    },
  });

  router.add({
    method: 'POST',
    url: '/api/tickets/:id/notes',
    tag: 'tickets',
    summary: 'Add an internal note (agents only; never sent to the customer)',
    auth: 'agent',
    params: idParams,
    body: noteBodySchema,
    status: 201,
    response: noteSchema,
    errors: [404],
    async handler({ agent, params, body }) {
      return toJson(await addNote(deps, agent, params.id, body.body));
    },
  });

  router.add({
    method: 'POST',
    url: '/api/tickets/:id/status',
    tag: 'tickets',
    summary: 'Change the status (open, pending, resolved, closed), or snooze',
    description:
      'Allowed: open ⇄ pending; open or pending → resolved or closed; resolved → open or closed; ' +
      'closed → open for admins only (409 when the customer has another open ticket on the channel). ' +
      'Snooze: status "pending" with snoozeUntil (future, at most 90 days): back to open by itself at ' +
      'that time; any other change ends the snooze. Resolving or closing frees capacity and assigns ' +
      'waiting tickets. Assignee or admin.',
    auth: 'agent',
    params: idParams,
    body: statusBodySchema,
    response: ticketSchema,
    errors: [404, 409],
    async handler({ agent, params, body }) {
      const snoozeUntil = body.snoozeUntil === undefined ? undefined : new Date(body.snoozeUntil);
      return ticketJson(
        await changeTicketStatus({ ...deps, channels: context.channels }, agent, params.id, body.status, {
          snoozeUntil,
        }),
        agent,
      );
    },
  });

  router.add({
    method: 'POST',
    url: '/api/tickets/:id/transfer',
    tag: 'tickets',
    summary: 'Transfer to another agent or a team, claim a waiting ticket, or return to the queue',
    description:
      'Admins transfer any ticket; the assignee their own; any agent may claim a waiting ticket for ' +
      'themselves. `agentId: null` returns the ticket to the waiting queue. `teamId` (instead of ' +
      "agentId) unassigns the ticket, records a team_transferred event and assigns it to the team's " +
      'least-loaded member with free capacity (it waits while none has any); 404 naming teamId for ' +
      'an unknown team.',
    auth: 'agent',
    params: idParams,
    body: transferBodySchema,
    response: ticketSchema,
    errors: [404, 409],
    async handler({ agent, params, body }) {
      if (body.teamId !== undefined) {
        return ticketJson(await transferTicketToTeam(deps, agent, params.id, body.teamId), agent);
      }
      return ticketJson(await transferTicket(deps, agent, params.id, body.agentId ?? null), agent);
    },
  });
}

/** A sender's file name without folders or control characters, at most 200 characters. */
function cleanFilename(name: string | undefined): string | null {
  if (!name) return null;
  const cleaned = [...basename(name.replace(/\\/g, '/'))]
    .filter((char) => char.charCodeAt(0) > 0x1f && char !== '\u007f' && char !== '"')
    .join('')
    .trim();
  return cleaned.slice(0, 200) || null;
}

/**
 * Deletes a stored file that no attachment row names (files are shared by content hash, so one
 * another message uses stays). Failures are logged, not thrown: the caller is already failing.
 */
async function removeUnreferenced(context: Context, storageKey: string): Promise<void> {
  try {
    if ((await context.db.attachment.count({ where: { storageKey } })) > 0) return;
    await rm(context.storage.pathOf(storageKey), { force: true });
  } catch (error) {
    context.log.warn({ err: error, storageKey }, 'cannot remove the file of a refused reply');
  }
}

/** A multipart file as the storage engine below leaves it. */
type UploadedFile = Express.Multer.File & { stored: StoredMedia };

/**
 * A multer storage engine writing through MediaStorage: streamed to UPLOADS_DIR under its
 * content hash, refused over MEDIA_MAX_BYTES (413) with nothing kept.
 */
class MediaStorageEngine implements StorageEngine {
  constructor(private readonly context: Context) {}

  _handleFile(
    _request: Request,
    file: Express.Multer.File,
    callback: (error?: unknown, info?: Partial<UploadedFile>) => void,
  ): void {
    this.context.storage
      .save(file.stream, file.mimetype, this.context.config.mediaMaxBytes)
      .then((stored) => callback(null, { stored, size: stored.size }), callback);
  }

  _removeFile(_request: Request, file: Express.Multer.File, callback: (error: Error | null) => void): void {
    const stored = (file as Partial<UploadedFile>).stored;
    if (!stored) return callback(null);
    void removeUnreferenced(this.context, stored.storageKey).then(() => callback(null));
  }
}

/** Runs a middleware inside a handler (after its checks). @throws what the middleware passed on. */
function runMiddleware(middleware: RequestHandler, request: Request, response: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    void middleware(request, response, (error?: unknown) => (error ? reject(error) : resolve()));
  });
}

/**
 * The answer to a multipart body that could not be read: too large 413, more than one file 400, a
 * malformed body (busboy: no boundary, cut-off parts) 400; storage failures stay 500.
 */
function uploadError(error: unknown, maxBytes: number): unknown {
  if (error instanceof AppError) return error;
  if (!(error instanceof MulterError)) {
    const systemError = typeof error === 'object' && error !== null && 'syscall' in error;
    if (systemError || !(error instanceof Error)) return error;
    return new AppError('bad_request', `multipart: ${error.message}`);
  }
  switch (error.code) {
    case 'LIMIT_FILE_SIZE':
      return new AppError('payload_too_large', `file: media is larger than ${maxBytes} bytes`);
    case 'LIMIT_FILE_COUNT':
      return new AppError('validation_failed', 'file: send one file per message');
    case 'LIMIT_PART_COUNT':
    case 'LIMIT_FIELD_COUNT':
    case 'LIMIT_FIELD_VALUE':
    case 'LIMIT_FIELD_KEY':
      return new AppError(
        'payload_too_large',
        `${error.field ?? 'multipart'}: ${error.message.toLowerCase()}`,
      );
    default:
      return new AppError('bad_request', `${error.field ?? 'multipart'}: ${error.message.toLowerCase()}`);
  }
}
