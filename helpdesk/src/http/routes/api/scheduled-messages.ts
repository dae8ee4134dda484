/**
 * Scheduled messages and refill reminders (issue 17): `POST /api/tickets/:id/scheduled-messages`
 * (whoever may read the ticket), `GET /api/customers/:id/scheduled-messages`, `PATCH` and `DELETE
 * /api/scheduled-messages/:id` (any agent, while the message is still scheduled).
 */
import {
  scheduledMessageChangesBodySchema,
  scheduledMessageCreateBodySchema,
  scheduledMessageListSchema,
  scheduledMessageSchema,
  type ScheduledMessage,
} from '@whatsapp-helpdesk/contract/api';
import type { Context } from '../../../context';
import type { ScheduledMessageRow } from '../../../store/scheduled-messages';
import { cancelScheduledMessage } from '../../../use-cases/scheduled-messages/cancel-scheduled-message';
import { changeScheduledMessage } from '../../../use-cases/scheduled-messages/change-scheduled-message';
import { listCustomerScheduledMessages } from '../../../use-cases/scheduled-messages/list-customer-scheduled-messages';
import { scheduleMessage } from '../../../use-cases/scheduled-messages/schedule-message';
import { idParams, type ApiRouter } from './api-route';

/** A scheduled message as the API answers it: the template as the agent chose it. */
function scheduledMessageJson(row: ScheduledMessageRow): ScheduledMessage {
  return {
    id: row.id,
    customerId: row.customerId,
    ticketId: row.ticketId,
    channel: row.channel,
    provider: row.provider,
    kind: row.kind,
    text: row.text,
    template: row.template
      ? {
          name: row.template.name,
          language: row.template.language,
          parameters: {
            ...(row.template.parameters.header ? { header: row.template.parameters.header } : {}),
            body: row.template.parameters.body,
          },
        }
      : null,
    medicine: row.medicine,
    intervalDays: row.intervalDays,
    remaining: row.remaining,
    sendAt: row.sendAt.toISOString(),
    status: row.status,
    reason: row.reason,
    sentMessageId: row.sentMessageId,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Registers the scheduled-message routes. */
export function registerScheduledMessageRoutes(router: ApiRouter, context: Context): void {
  router.add({
    method: 'POST',
    url: '/api/tickets/:id/scheduled-messages',
    tag: 'scheduled-messages',
    summary: "Schedule a message (a reminder or a refill reminder) to the ticket's customer",
    description:
      'When: `sendAt` (ISO 8601, in the future) or `inDays` (1–365 days from now). What: `text` (WPPConnect, ' +
      'or the Cloud API inside the 24-hour window) or `template` ({ name, language, parameters }, an APPROVED ' +
      'template synced for the ticket\'s channel). A refill (`kind: "refill"`) names the `medicine`, the ' +
      '`intervalDays` between sendings and `repeat` (sendings, default 1); each sending is scheduled on the ' +
      "previous one. Sent from the ticket's channel by a BullMQ delayed job, exactly once, on the customer's " +
      'open ticket (a new one when none is open). A customer who opted out gets nothing (status `cancelled`, ' +
      'reason `opted_out`). Numbers may be written with Arabic-Indic digits. 400 names the field.\n\n' +
      'Example: `{ "inDays": 30, "kind": "refill", "medicine": "Metformin 500", "intervalDays": 30, "repeat": 3, ' +
      '"text": "Your Metformin refill is due" }`',
    auth: 'agent',
    params: idParams,
    body: scheduledMessageCreateBodySchema,
    status: 201,
    response: scheduledMessageSchema,
    errors: [403, 404],
    async handler({ agent, params, body }) {
      return scheduledMessageJson(await scheduleMessage(context, agent, params.id, body));
    },
  });

  router.add({
    method: 'GET',
    url: '/api/customers/:id/scheduled-messages',
    tag: 'scheduled-messages',
    summary: "A customer's scheduled messages",
    description:
      'Still scheduled first (soonest first), then sent, cancelled and failed ones (newest first); at most 200.',
    auth: 'agent',
    params: idParams,
    response: scheduledMessageListSchema,
    errors: [404],
    async handler({ params }) {
      return { items: (await listCustomerScheduledMessages(context, params.id)).map(scheduledMessageJson) };
    },
  });

  router.add({
    method: 'PATCH',
    url: '/api/scheduled-messages/:id',
    tag: 'scheduled-messages',
    summary: "Change a scheduled message's text or time",
    description:
      'Only while it is still scheduled (409 once sent, cancelled or failed); `sendAt` in the future.',
    auth: 'agent',
    params: idParams,
    body: scheduledMessageChangesBodySchema,
    response: scheduledMessageSchema,
    errors: [404, 409],
    async handler({ params, body }) {
      return scheduledMessageJson(await changeScheduledMessage(context, params.id, body));
    },
  });

  router.add({
    method: 'DELETE',
    url: '/api/scheduled-messages/:id',
    tag: 'scheduled-messages',
    summary: 'Cancel a scheduled message',
    description:
      'Only while it is still scheduled (409 once sent, cancelled or failed). Answers the cancelled message.',
    auth: 'agent',
    params: idParams,
    response: scheduledMessageSchema,
    errors: [404, 409],
    async handler({ params }) {
      return scheduledMessageJson(await cancelScheduledMessage(context, params.id));
    },
  });
}
