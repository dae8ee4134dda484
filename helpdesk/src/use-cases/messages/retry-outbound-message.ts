/**
 * An agent sends a failed outbound message again: under the rules of replying (the assignee or
 * an admin, an open or pending ticket, the customer-service window), the message goes back to
 * `queued` and through the outbound job like a new reply. It is claimed in advance for the new
 * job's id, so neither a second retry nor a late run of the original job can send it twice.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors';
import type { Actor } from '../../domain/ticket-rules';
import { enqueueOutbound, jobIdFor } from '../../jobs/queues';
import { findRetryFacts, requeueFailedMessage } from '../../store/messages-retry';
import { findMessageView, type MessageView } from '../../store/tickets-read';
import { markReplyUnqueued } from '../../store/tickets-reply';
import { checkCanReply } from '../tickets/check-can-reply';
import { assertFreeFormReplyAllowed } from '../tickets/free-form-reply';
import type { TicketActionDependencies } from '../tickets/ticket-action-dependencies';

/**
 * Retries a failed outbound message of a ticket.
 * @param ticketId the ticket the message belongs to. @param messageId the message.
 * @returns the message, now `queued` with no error (later `sent`, … or `failed` again, pushed as
 *   `message.status`).
 * @throws AppError not_found (unknown ticket, or no such message on it); forbidden (not the
 *   assignee or an admin); conflict (resolved or closed ticket, the message is not a failed
 *   outbound one, or the customer-service window is closed); unavailable (the send queue is
 *   unreachable: the message stays failed).
 */
export async function retryOutboundMessage(
  deps: TicketActionDependencies,
  actor: Actor,
  ticketId: string,
  messageId: string,
): Promise<MessageView> {
  const facts = await findRetryFacts(deps.pool, messageId);
  if (!facts || facts.ticketId !== ticketId) {
    throw new AppError('not_found', `messageId: no message ${messageId} on ticket ${ticketId}`);
  }
  const ticket = await checkCanReply(deps, actor, ticketId);
  if (facts.direction !== 'outbound' || facts.deliveryStatus !== 'failed') {
    throw new AppError(
      'conflict',
      facts.direction === 'outbound'
        ? `messageId: only a failed message can be sent again; this one is ${facts.deliveryStatus}`
        : 'messageId: a customer message cannot be sent again',
    );
  }
  assertFreeFormReplyAllowed({
    provider: ticket.provider,
    lastInboundAt: ticket.lastInboundAt,
    now: new Date(),
  });

  // A new job (the original's id may still be held by BullMQ as completed or failed).
  const key = `retry|${messageId}|${randomUUID()}`;
  if (!(await requeueFailedMessage(deps.pool, messageId, jobIdFor('out', key)))) {
    throw new AppError('conflict', 'messageId: the message is no longer failed (retried already?)');
  }
  // Read and announced before the send is enqueued: the answer and the event say `queued`, and
  // the worker's `sent` or `failed` comes after it.
  const message = await findMessageView(deps.pool, messageId);
  if (!message) throw new AppError('not_found', `messageId: no message ${messageId}`);
  await deps.realtime.publishMessageStatus(messageId);
  try {
    await enqueueOutbound(deps.queues, key, [messageId]);
  } catch (error) {
    deps.log.error({ err: error, messageId }, 'cannot enqueue a retried message');
    await markReplyUnqueued(deps.pool, messageId, 'the send queue was unreachable');
    await deps.realtime.publishMessageStatus(messageId);
    throw new AppError('unavailable', 'the message could not be queued for sending; try again');
  }
  return message;
}
