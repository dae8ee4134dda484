/**
 * An agent sends a WhatsApp message template on a ticket (issue 17): the one message the Cloud API
 * allows outside the 24-hour customer-service window. The template must be synced and APPROVED on
 * the ticket's channel and its variables filled exactly; the message is stored as an outbound
 * message of type `template` whose text is the filled-in template (what the customer reads), and
 * sent by the outbound worker through the driver's `sendTemplate` (on WPPConnect, which has no
 * template rule, that sends the same text).
 */
import {
  renderTemplate,
  templateGraphComponents,
  templateVariables,
  unsupportedTemplatePart,
  usesNamedParameters,
  type TemplateComponent,
} from '@whatsapp-helpdesk/contract/api';
import type { Actor } from '../../domain/ticket-rules';
import { AppError } from '../../errors';
import { enqueueOutbound } from '../../jobs/queues';
import { findTemplate } from '../../store/message-templates';
import { findMessageView, type MessageView } from '../../store/tickets-read';
import { insertAgentReply, markReplyUnqueued } from '../../store/tickets-reply';
import type { OutboundTemplate } from '../../whatsapp/driver';
import { checkCanReply } from './check-can-reply';
import type { TicketActionDependencies } from './ticket-action-dependencies';

/** The template of a reply, as the API received it (`template` of `POST /api/tickets/:id/messages`). */
export interface TemplateReplyInput {
  name: string;
  language: string;
  parameters: { header?: string[]; body: string[] };
}

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
  // A Cloud API ticket uses its own channel's templates; a WPPConnect ticket any Cloud API
  // channel's (it sends the text, so the template only supplies the wording).
  const template = await findTemplate(
    deps.pool,
    ticket.provider === 'cloud' ? ticket.channel : null,
    input.name,
    input.language,
  );
  if (!template) {
    throw new AppError(
      'validation_failed',
      `template.name: no template "${input.name}" in language ${input.language} is synced for this channel (sync the templates from Meta)`,
    );
  }
  if (template.status !== 'APPROVED') {
    throw new AppError(
      'validation_failed',
      `template.name: template "${input.name}" (${input.language}) is ${template.status}; only APPROVED templates can be sent`,
    );
  }
  const components = template.components as TemplateComponent[];
  const unsupported = unsupportedTemplatePart(components);
  if (unsupported) {
    throw new AppError(
      'validation_failed',
      `template.name: template "${input.name}" cannot be sent here: ${unsupported}`,
    );
  }
  const variables = templateVariables(components);
  const header = input.parameters.header ?? [];
  if (header.length !== variables.header.length) {
    throw new AppError(
      'validation_failed',
      `template.parameters.header: template "${template.name}" has ${variables.header.length} header variable(s); ${header.length} given`,
    );
  }
  if (input.parameters.body.length !== variables.body.length) {
    throw new AppError(
      'validation_failed',
      `template.parameters.body: template "${template.name}" has ${variables.body.length} body variable(s); ${input.parameters.body.length} given`,
    );
  }
  const parameters = { header, body: input.parameters.body };
  const outbound: OutboundTemplate = {
    name: template.name,
    language: template.language,
    components: templateGraphComponents(variables, parameters, usesNamedParameters({ components })),
    text: renderTemplate(components, parameters),
  };
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
  const message = await findMessageView(deps.db, messageId);
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
