/**
 * An agent sends a WhatsApp message template on a ticket (issue 17): the one message the Cloud API
 * allows outside the 24-hour customer-service window. The template must be synced and APPROVED on
 * the ticket's channel and its variables filled exactly; the message is stored as an outbound
 * message of type `template` whose text is the filled-in template (what the customer reads), and
 * sent by the outbound worker through the driver's `sendTemplate` (on WPPConnect, which has no
 * template rule, that sends the same text).
 */
import type { Actor } from '../../domain/ticket-rules';
import { AppError } from '../../errors';
import { enqueueOutbound } from '../../jobs/queues';
import { findMessageView, type MessageView } from '../../store/tickets-read';
import { insertAgentReply, markReplyUnqueued } from '../../store/tickets-reply';
import { resolveTemplate, type TemplateChoice } from '../templates/resolve-template';
import { checkCanReply } from './check-can-reply';
import type { TicketActionDependencies } from './ticket-action-dependencies';

/** The template of a reply, as the API received it (`template` of `POST /api/tickets/:id/messages`). */
export type TemplateReplyInput = TemplateChoice;

/**
 * Sends a template reply: checked (ticket rules, template approved on the ticket's channel,
 * parameter counts), stored as a queued outbound message, enqueued, announced.
 * @returns the stored message (type `template`, deliveryStatus `queued`).
 * @throws AppError not_found, forbidden, conflict (resolved or closed ticket);
 *   validation_failed naming `template.name` (no such template synced for the channel, or not
 *   APPROVED), `template.parameters.header` / `template.parameters.body` (the count differs from the
 *   template's variables) — nothing is stored then; unavailable (queue unreachable: marked failed).
 */
export async function replyWithTemplate(
  deps: TicketActionDependencies,
  actor: Actor,
  ticketId: string,
  input: TemplateReplyInput,
): Promise<MessageView> {
  const ticket = await checkCanReply(deps, actor, ticketId);
  const outbound = await resolveTemplate(deps.pool, ticket, input);
  const messageId = await insertAgentReply(deps.pool, {
    ticketId,
    channel: ticket.channel,
    provider: ticket.provider,
    agentId: actor.id,
    type: 'template',
    text: outbound.text,
    caption: null,
    attachment: null,
    at: new Date(),
    raw: { kind: 'template', template: outbound },
  });
  const message = await findMessageView(deps.pool, messageId);
  if (!message) throw new AppError('not_found', `message: no message ${messageId}`);
  try {
    await enqueueOutbound(deps.queues, `agent-reply|${messageId}`, [messageId]);
  } catch (error) {
    deps.log.error({ err: error, messageId }, 'cannot enqueue a template reply');
    await markReplyUnqueued(deps.pool, messageId, 'the send queue was unreachable');
    await deps.realtime.publishMessage(messageId);
    throw new AppError('unavailable', 'the template could not be queued for sending; try again');
  }
  await deps.realtime.publishMessage(messageId);
  return message;
}
