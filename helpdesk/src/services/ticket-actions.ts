/**
 * What agents do to tickets: reply (text or media, sent through the driver by the outbound worker),
 * add internal notes (never sent), change status, transfer. Each action checks the rules of
 * domain/ticket-rules.ts, writes under an optimistic guard (a racing change answers 409), records a
 * ticket event and publishes a realtime event. Actions that free capacity assign waiting tickets.
 */
import type pg from 'pg';
import {
  ACTIVE_STATUSES,
  canReadTicket,
  canTransferTicket,
  canWorkTicket,
  decideStatusChange,
  type Actor,
  type TicketStatus,
} from '../domain/ticket-rules';
import { AppError } from '../errors';
import type { Database } from '../infra/db';
import type { Logger } from '../infra/logger';
import type { StoredMedia } from '../infra/storage';
import { enqueueOutbound, type Queues } from '../jobs/queues';
import type { RealtimePublisher } from '../realtime/publish';
import type { OutboundMediaType } from '../whatsapp/driver';
import { assertFreeFormReplyAllowed } from '../domain/customer-service-window';
import { assignWaitingTickets } from './assignment';
import {
  getTicketListItem,
  messageView,
  type MessageView,
  type NoteView,
  type TicketListItem,
} from './ticket-queries';

export interface TicketActionDependencies {
  db: Database;
  /** The pool under `db` (assignment runs on plain SQL). */
  pool: pg.Pool;
  queues: Queues;
  /** Null: no realtime events (e.g. scripts). */
  realtime: RealtimePublisher | null;
  log: Logger;
}

export interface ReplyInput {
  /** The message text, or the caption when media is attached. Up to 4096 characters. */
  text?: string | null;
  /** A file already saved to media storage (see MediaStorage.save). */
  media?: {
    stored: StoredMedia;
    /** The name the customer sees for a document. */
    filename: string | null;
    /** Send audio as a voice note (push-to-talk) instead of an audio file. */
    asVoice?: boolean;
  } | null;
}

/**
 * The WhatsApp message type for a file: images, videos and audio as such (audio as a voice note
 * when asked), anything else, and SVG images, as a document.
 */
export function outboundTypeFor(mimeType: string, asVoice = false): OutboundMediaType {
  if (mimeType.startsWith('image/') && mimeType !== 'image/svg+xml') return 'image';
  if (mimeType.startsWith('video/')) return 'video';
  if (mimeType.startsWith('audio/')) return asVoice ? 'voice' : 'audio';
  return 'document';
}

async function loadTicket(db: Database, ticketId: string) {
  const ticket = await db.ticket.findUnique({
    where: { id: ticketId },
    select: {
      id: true,
      number: true,
      status: true,
      assigneeId: true,
      resolvedAt: true,
      lastInboundAt: true,
      provider: true,
      channel: true,
    },
  });
  if (!ticket) throw new AppError('not_found', `ticket: no ticket ${ticketId}`);
  return ticket;
}

/**
 * Checks that the actor may reply to the ticket now (before an upload is stored).
 * @returns the ticket's facts. @throws AppError not_found, forbidden, conflict (see replyToTicket).
 */
export async function checkCanReply(
  deps: Pick<TicketActionDependencies, 'db'>,
  actor: Actor,
  ticketId: string,
) {
  const ticket = await loadTicket(deps.db, ticketId);
  if (!canWorkTicket(actor, ticket)) {
    throw new AppError('forbidden', `ticket: only the assignee or an admin may reply to #${ticket.number}`);
  }
  if (!ACTIVE_STATUSES.includes(ticket.status)) {
    throw new AppError(
      'conflict',
      `status: #${ticket.number} is ${ticket.status}; reopen it before replying`,
    );
  }
  return ticket;
}

/**
 * Sends an agent's reply: stores it as a queued outbound message (author agent), records the
 * ticket's first response time on the first agent reply, and enqueues the send.
 * @returns the stored message (deliveryStatus `queued`; later `sent`, `delivered`, … or `failed`).
 * @throws AppError not_found, forbidden (not the assignee or an admin), conflict (resolved or
 *   closed ticket), validation_failed (neither text nor media), unavailable (queue unreachable:
 *   the message is marked failed).
 */
export async function replyToTicket(
  deps: TicketActionDependencies,
  actor: Actor,
  ticketId: string,
  input: ReplyInput,
): Promise<MessageView> {
  const ticket = await checkCanReply(deps, actor, ticketId);
  const text = input.text?.trim() ? input.text : null;
  if (!text && !input.media)
    throw new AppError('validation_failed', 'text: write a message or attach a file');

  const now = new Date();
  // The Cloud API refuses free-form messages 24 h after the customer's last one (error 131047):
  // refuse before sending, with the reason, rather than queue a message that must fail.
  assertFreeFormReplyAllowed({ provider: ticket.provider, lastInboundAt: ticket.lastInboundAt, now });
  const media = input.media;
  const message = await deps.db.$transaction(async (tx) => {
    const created = await tx.message.create({
      data: {
        ticketId,
        channel: ticket.channel,
        provider: ticket.provider,
        direction: 'outbound',
        author: 'agent',
        agentId: actor.id,
        deliveryStatus: 'queued',
        type: media ? outboundTypeFor(media.stored.mimeType, media.asVoice) : 'text',
        text: media ? null : text,
        caption: media ? text : null,
        createdAt: now,
        sentAt: now,
        ...(media
          ? {
              attachments: {
                create: {
                  storageKey: media.stored.storageKey,
                  mimeType: media.stored.mimeType,
                  size: media.stored.size,
                  sha256: media.stored.sha256,
                  originalFilename: media.filename,
                },
              },
            }
          : {}),
      },
      include: { agent: { select: { id: true, name: true } }, attachments: true },
    });
    const first = await tx.ticket.updateMany({
      where: { id: ticketId, firstResponseAt: null },
      data: { firstResponseAt: now },
    });
    if (first.count === 1) {
      await tx.ticketEvent.create({ data: { ticketId, type: 'first_response', agentId: actor.id } });
    }
    return created;
  });

  try {
    await enqueueOutbound(deps.queues, `agent-reply|${message.id}`, [message.id]);
  } catch (error) {
    deps.log.error({ err: error, messageId: message.id }, 'cannot enqueue an agent reply');
    await deps.db.message.updateMany({
      where: { id: message.id, deliveryStatus: 'queued' },
      data: { deliveryStatus: 'failed', error: 'the send queue was unreachable' },
    });
    await deps.realtime?.publishMessage(message.id);
    throw new AppError('unavailable', 'the reply could not be queued for sending; try again');
  }
  await deps.realtime?.publishMessage(message.id);
  return messageView(message);
}

/**
 * Adds an internal note (agents only; never sent to the customer).
 * @param body 1–10000 characters.
 * @throws AppError not_found, forbidden (a ticket of another agent, unless admin).
 */
export async function addNote(
  deps: TicketActionDependencies,
  actor: Actor,
  ticketId: string,
  body: string,
): Promise<NoteView> {
  const ticket = await loadTicket(deps.db, ticketId);
  if (!canReadTicket(actor, ticket)) {
    throw new AppError('forbidden', `ticket: #${ticket.number} is assigned to another agent`);
  }
  const note = await deps.db.ticketNote.create({
    data: { ticketId, agentId: actor.id, body },
    include: { agent: { select: { id: true, name: true } } },
  });
  await deps.realtime?.publishTicketEvent(ticketId, 'ticket.note', { noteId: note.id });
  return { id: note.id, body: note.body, agent: note.agent, createdAt: note.createdAt };
}

/**
 * Moves a ticket to another status (rules: domain/ticket-rules.ts). Resolving or closing frees the
 * assignee's capacity and assigns waiting tickets.
 * @returns the ticket after the change.
 * @throws AppError not_found, forbidden (not the assignee or an admin), conflict (a transition the
 *   rules refuse, or a concurrent change).
 */
export async function changeTicketStatus(
  deps: TicketActionDependencies,
  actor: Actor,
  ticketId: string,
  status: TicketStatus,
): Promise<TicketListItem> {
  const ticket = await loadTicket(deps.db, ticketId);
  if (!canWorkTicket(actor, ticket)) {
    throw new AppError('forbidden', `ticket: only the assignee or an admin may change #${ticket.number}`);
  }
  const decision = decideStatusChange(ticket, status, new Date());
  if (!decision.ok) throw new AppError('conflict', decision.reason);
  await deps.db.$transaction(async (tx) => {
    const updated = await tx.ticket.updateMany({
      where: { id: ticketId, status: ticket.status },
      data: { status, ...decision.set },
    });
    if (updated.count === 0)
      throw new AppError('conflict', `status: #${ticket.number} changed meanwhile; reload it`);
    await tx.ticketEvent.create({
      data: {
        ticketId,
        type: 'status_changed',
        agentId: actor.id,
        data: { from: ticket.status, to: status },
      },
    });
  });
  await deps.realtime?.publishTicketEvent(ticketId, 'ticket.status', {
    status,
    previousStatus: ticket.status,
  });
  if (decision.freesCapacity) await assignAndPublish(deps);
  return getTicketListItem(deps.db, ticketId);
}

/**
 * Gives an open or pending ticket to another agent, or back to the waiting queue (`toAgentId`
 * null). Admins transfer any ticket, the assignee their own, and any agent may claim a waiting one.
 * The previous assignee's freed capacity assigns waiting tickets (a ticket returned to the queue may
 * be assigned again at once, to whoever is least loaded).
 * @returns the ticket after the change.
 * @throws AppError not_found (ticket or agent), forbidden, conflict (not open or pending, already
 *   with that agent, inactive agent, or a concurrent change).
 */
export async function transferTicket(
  deps: TicketActionDependencies,
  actor: Actor,
  ticketId: string,
  toAgentId: string | null,
): Promise<TicketListItem> {
  const ticket = await loadTicket(deps.db, ticketId);
  if (!canTransferTicket(actor, ticket, toAgentId)) {
    throw new AppError(
      'forbidden',
      ticket.assigneeId === null
        ? `agentId: agents may only claim waiting ticket #${ticket.number} for themselves`
        : `ticket: only the assignee or an admin may transfer #${ticket.number}`,
    );
  }
  if (!ACTIVE_STATUSES.includes(ticket.status)) {
    throw new AppError(
      'conflict',
      `status: #${ticket.number} is ${ticket.status}; only open or pending tickets move`,
    );
  }
  if (toAgentId === ticket.assigneeId) {
    throw new AppError(
      'conflict',
      `agentId: #${ticket.number} is already ${toAgentId ? 'with that agent' : 'waiting'}`,
    );
  }
  if (toAgentId) {
    const target = await deps.db.agent.findUnique({ where: { id: toAgentId }, select: { active: true } });
    if (!target) throw new AppError('not_found', `agentId: no agent ${toAgentId}`);
    if (!target.active) throw new AppError('conflict', 'agentId: that agent is deactivated');
  }
  const now = new Date();
  await deps.db.$transaction(async (tx) => {
    const updated = await tx.ticket.updateMany({
      where: { id: ticketId, assigneeId: ticket.assigneeId, status: { in: [...ACTIVE_STATUSES] } },
      data: { assigneeId: toAgentId, assignedAt: toAgentId ? now : null },
    });
    if (updated.count === 0)
      throw new AppError('conflict', `ticket: #${ticket.number} changed meanwhile; reload it`);
    await tx.ticketEvent.create({
      data: {
        ticketId,
        type: toAgentId ? 'transferred' : 'unassigned',
        agentId: actor.id,
        data: {
          from: ticket.assigneeId,
          to: toAgentId,
          by: ticket.assigneeId === null ? 'claim' : actor.role,
        },
      },
    });
  });
  await deps.realtime?.publishTicketEvent(
    ticketId,
    'ticket.assigned',
    { assigneeId: toAgentId, previousAssigneeId: ticket.assigneeId, by: actor.id },
    { alsoAgentIds: [ticket.assigneeId], everyone: ticket.assigneeId === null || toAgentId === null },
  );
  if (ticket.assigneeId !== null) await assignAndPublish(deps);
  return getTicketListItem(deps.db, ticketId);
}

/** Assigns waiting tickets and publishes the assignments; failures are logged, never thrown. */
export async function assignAndPublish(deps: TicketActionDependencies): Promise<void> {
  try {
    const assignments = await assignWaitingTickets(deps.pool);
    await deps.realtime?.publishAssignments(assignments);
  } catch (error) {
    deps.log.error({ err: error }, 'assigning waiting tickets failed');
  }
}
