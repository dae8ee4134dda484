/**
 * Tickets: `GET /api/tickets` (inbox list), `GET /api/tickets/:id` (the thread),
 * `POST /api/tickets/:id/messages` (reply: JSON text or multipart with a file),
 * `POST /api/tickets/:id/notes`, `POST /api/tickets/:id/status`, `POST /api/tickets/:id/transfer`.
 * Thin handlers: validate, call services/ticket-queries.ts or services/ticket-actions.ts, answer.
 */
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import type { Context } from '../../../context';
import { TICKET_STATUSES } from '../../../domain/ticket-rules';
import { AppError } from '../../../errors';
import type { StoredMedia } from '../../../infra/storage';
import {
  addNote,
  changeTicketStatus,
  checkCanReply,
  replyToTicket,
  transferTicket,
  type TicketActionDependencies,
} from '../../../services/ticket-actions';
import { getTicketThread, listTickets, TICKET_VIEWS } from '../../../services/ticket-queries';
import { idParams, listParam, parse, type ApiRouter } from './api-route';
import { messageView, noteView, threadView, ticketPageView, ticketView, withAttachmentUrls } from './views';

const listQuery = z.object({
  view: z.enum(TICKET_VIEWS).default('mine').describe('mine, unassigned, or all (admins)'),
  status: listParam(z.enum(TICKET_STATUSES)).describe('comma-separated statuses (default: open,pending)'),
  category: z.string().max(100).optional(),
  q: z.string().max(200).optional().describe('customer name or phone, or ticket number'),
  assigneeId: z.uuid({ message: 'must be a UUID' }).optional().describe('admins: one agent'),
  sort: z.enum(['newest', 'oldest']).default('newest'),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  limit: z.coerce.number().int('must be a whole number').min(1).max(100).default(25),
});

const replyBody = z.object({
  text: z.string().trim().min(1, 'is required').max(4096, 'must be at most 4096 characters'),
});

const replyFields = z.object({
  text: z.string().max(4096, 'must be at most 4096 characters').optional(),
  asVoice: z.enum(['true', 'false']).optional(),
});

const noteBody = z.object({
  body: z.string().trim().min(1, 'is required').max(10_000, 'must be at most 10000 characters'),
});

const statusBody = z.object({ status: z.enum(TICKET_STATUSES) });

const transferBody = z.object({
  agentId: z
    .uuid({ message: 'must be a UUID or null' })
    .nullable()
    .describe('null: back to the waiting queue'),
});

/** Registers the ticket routes. @param deps what the actions need (database, queues, realtime, log). */
export function registerTicketRoutes(
  router: ApiRouter,
  context: Context,
  deps: TicketActionDependencies,
): void {
  router.add({
    method: 'GET',
    url: '/api/tickets',
    tag: 'tickets',
    summary: 'List tickets (inbox)',
    description:
      'Filters: view (mine, unassigned, all — admins only), status, category, q (customer name or ' +
      'phone digits, or ticket number), assigneeId (admins). Cursor pagination by ticket number.',
    auth: 'agent',
    query: listQuery,
    response: ticketPageView,
    async handler({ agent, query }) {
      return listTickets(context.db, agent, { ...query, statuses: query.status, search: query.q });
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
    response: threadView,
    errors: [404],
    async handler({ agent, params }) {
      const thread = await getTicketThread(context.db, agent, params.id);
      return { ...thread, messages: thread.messages.map(withAttachmentUrls) };
    },
  });

  router.add({
    method: 'POST',
    url: '/api/tickets/:id/messages',
    tag: 'tickets',
    summary: 'Reply to the customer (text, or a file with an optional caption)',
    description:
      'JSON `{ "text": "…" }`, or multipart/form-data with one `file` (image, video, audio, document), ' +
      'optional `text` (the caption) and `asVoice=true` to send audio as a voice note. The reply is ' +
      'queued and sent through the WhatsApp driver; its deliveryStatus moves from queued to sent, ' +
      'delivered, read or failed (pushed on the stream). Assignee or admin; open or pending tickets.',
    auth: 'agent',
    params: idParams,
    multipart: {
      description: 'one file, an optional caption and voice-note flag',
      schema: {
        type: 'object',
        required: ['file'],
        properties: {
          file: { type: 'string', format: 'binary' },
          text: { type: 'string', maxLength: 4096 },
          asVoice: { type: 'string', enum: ['true', 'false'] },
        },
      },
    },
    status: 201,
    response: messageView,
    errors: [404, 409, 413, 503],
    async handler({ agent, params, request }) {
      if (!request.isMultipart()) {
        const body = parse(replyBody, request.body ?? {});
        return withAttachmentUrls(await replyToTicket(deps, agent, params.id, { text: body.text }));
      }
      // Refuse before storing anything the caller may not send.
      await checkCanReply(deps, agent, params.id);
      let stored: StoredMedia | null = null;
      let filename: string | null = null;
      const fields: Record<string, string> = {};
      try {
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            if (stored) throw new AppError('validation_failed', 'file: send one file per message');
            stored = await context.storage.save(part.file, part.mimetype, context.config.mediaMaxBytes);
            filename = cleanFilename(part.filename);
          } else {
            fields[part.fieldname] = String(part.value);
          }
        }
        const values = parse(replyFields, fields);
        if (!stored) {
          const body = parse(replyBody, { text: values.text });
          return withAttachmentUrls(await replyToTicket(deps, agent, params.id, { text: body.text }));
        }
        const message = await replyToTicket(deps, agent, params.id, {
          text: values.text ?? null,
          media: { stored, filename, asVoice: values.asVoice === 'true' },
        });
        return withAttachmentUrls(message);
      } catch (error) {
        // Fields may follow the file in the stream, so the file is stored before they can be
        // validated: a refused reply removes it again (unless another row uses the same bytes).
        if (stored) await removeUnreferenced(context, (stored as StoredMedia).storageKey);
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
    body: noteBody,
    status: 201,
    response: noteView,
    errors: [404],
    async handler({ agent, params, body }) {
      return addNote(deps, agent, params.id, body.body);
    },
  });

  router.add({
    method: 'POST',
    url: '/api/tickets/:id/status',
    tag: 'tickets',
    summary: 'Change the status (open, pending, resolved, closed)',
    description:
      'Allowed: open ⇄ pending; open or pending → resolved or closed; resolved → open or closed; ' +
      'closed is final. Resolving or closing frees capacity and assigns waiting tickets. Assignee or admin.',
    auth: 'agent',
    params: idParams,
    body: statusBody,
    response: ticketView,
    errors: [404, 409],
    async handler({ agent, params, body }) {
      return changeTicketStatus(deps, agent, params.id, body.status);
    },
  });

  router.add({
    method: 'POST',
    url: '/api/tickets/:id/transfer',
    tag: 'tickets',
    summary: 'Transfer to another agent, claim a waiting ticket, or return to the queue',
    description:
      'Admins transfer any ticket; the assignee their own; any agent may claim a waiting ticket for ' +
      'themselves. `agentId: null` returns the ticket to the waiting queue.',
    auth: 'agent',
    params: idParams,
    body: transferBody,
    response: ticketView,
    errors: [404, 409],
    async handler({ agent, params, body }) {
      return transferTicket(deps, agent, params.id, body.agentId);
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
