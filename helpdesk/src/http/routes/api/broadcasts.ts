/**
 * Broadcasts (issue 17, admins): `POST /api/broadcasts` (create a draft for a segment),
 * `POST /api/broadcasts/:id/start|pause|resume|cancel`, `GET /api/broadcasts`, `GET /api/broadcasts/:id`
 * (progress) and `GET /api/broadcasts/:id/recipients` (per-recipient result).
 */
import {
  broadcastCreateBodySchema,
  broadcastCreatedSchema,
  broadcastListSchema,
  broadcastRecipientListSchema,
  broadcastSchema,
  WPPCONNECT_BROADCAST_WARNING,
  type Broadcast,
} from '@whatsapp-helpdesk/contract/api';
import type { Context } from '../../../context';
import type { BroadcastRow } from '../../../store/broadcasts';
import { createBroadcast, type CreateBroadcastInput } from '../../../use-cases/broadcasts/create-broadcast';
import {
  readBroadcast,
  readBroadcastRecipients,
  readBroadcasts,
} from '../../../use-cases/broadcasts/read-broadcasts';
import { startBroadcast } from '../../../use-cases/broadcasts/start-broadcast';
import { stopBroadcast } from '../../../use-cases/broadcasts/stop-broadcast';
import { idParams, type ApiRouter } from './api-route';

/** A broadcast as the API answers it (the template as the admin chose it). */
function broadcastJson(row: BroadcastRow): Broadcast {
  const template = row.template
    ? { name: row.template.name, language: row.template.language, parameters: row.template.parameters }
    : null;
  return {
    id: row.id,
    name: row.name,
    channel: row.channel,
    provider: row.provider,
    text: row.text,
    template,
    segment: row.segment,
    status: row.status,
    ratePerMinute: row.ratePerMinute,
    dailyCap: row.dailyCap,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    progress: row.progress,
    warning: row.provider === 'cloud' ? null : WPPCONNECT_BROADCAST_WARNING,
  };
}

/** Registers the broadcast routes. */
export function registerBroadcastRoutes(router: ApiRouter, context: Context): void {
  router.add({
    method: 'POST',
    url: '/api/broadcasts',
    tag: 'broadcasts',
    summary: 'Create a broadcast (draft) to a segment of customers',
    description:
      'One `text`, or one APPROVED Cloud API `template` ({ name, language, parameters }), from the channel whose key is ' +
      '`channel`, to exactly one segment: `labelIds` (customers with a ticket carrying one of the labels), ' +
      '`wroteWithinDays` (customers who wrote within that many days), or `phones` (CSV text: the first column of each line ' +
      'is a phone number, E.164 or national for DEFAULT_COUNTRY; Arabic-Indic digits accepted; lines that are not a phone ' +
      'number are answered in `invalidLines`). Opted-out customers are listed as `skipped` (reason `opted_out`). ' +
      '`ratePerMinute` defaults to half of CLOUD_API_MAX_MPS × 60 (Cloud API) or 10 (WPPConnect, with a random pause ' +
      'after each send and `dailyCap` 200 a day). A WPPConnect broadcast answers a `warning`: unsolicited bulk messages ' +
      'get a linked number banned. 400 names the field.\n\n' +
      'Example: `{ "name": "Ramadan hours", "channel": "pharmacy", "text": "We open 10:00–02:00 in Ramadan", ' +
      '"segment": { "wroteWithinDays": 90 } }`',
    auth: 'admin',
    body: broadcastCreateBodySchema,
    status: 201,
    response: broadcastCreatedSchema,
    errors: [403],
    async handler({ agent, body }) {
      const created = await createBroadcast(context, agent, body as CreateBroadcastInput);
      return {
        ...broadcastJson(await readBroadcast(context, created.id)),
        recipientCount: created.recipientCount,
        invalidLines: created.invalidLines,
      };
    },
  });

  router.add({
    method: 'GET',
    url: '/api/broadcasts',
    tag: 'broadcasts',
    summary: 'Broadcasts, newest first (at most 200), with their progress',
    description:
      'Each with its recipients counted by status (a sent one counts as delivered or read once its message is).',
    auth: 'admin',
    response: broadcastListSchema,
    errors: [403],
    async handler() {
      return { items: (await readBroadcasts(context)).map(broadcastJson) };
    },
  });

  router.add({
    method: 'GET',
    url: '/api/broadcasts/:id',
    tag: 'broadcasts',
    summary: 'A broadcast and its progress',
    description:
      '`progress`: recipients by status (pending, sent, delivered, read, failed, skipped) and the total.',
    auth: 'admin',
    params: idParams,
    response: broadcastSchema,
    errors: [403, 404],
    async handler({ params }) {
      return broadcastJson(await readBroadcast(context, params.id));
    },
  });

  router.add({
    method: 'GET',
    url: '/api/broadcasts/:id/recipients',
    tag: 'broadcasts',
    summary: "A broadcast's per-recipient result",
    description:
      'By phone (E.164): `pending`, `sent` (then `delivered`, `read` or `failed` as its outbound message is), or `skipped` ' +
      '/ `failed` with the `reason` code (e.g. `opted_out`, `outside_customer_service_window`, `template_missing`; ' +
      "the list is the schema's enum) and `reasonDetail`, the provider's own message when there is one.",
    auth: 'admin',
    params: idParams,
    response: broadcastRecipientListSchema,
    errors: [403, 404],
    async handler({ params }) {
      const recipients = await readBroadcastRecipients(context, params.id);
      return {
        items: recipients.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() })),
      };
    },
  });

  const actions = [
    ['start', 'Start sending a draft broadcast', (id: string) => startBroadcast(context, id, 'draft')],
    [
      'pause',
      'Pause a running broadcast (its waiting sends are removed)',
      (id: string) => stopBroadcast(context, id, 'paused'),
    ],
    [
      'resume',
      'Resume a paused broadcast (its pending recipients are sent)',
      (id: string) => startBroadcast(context, id, 'paused'),
    ],
    [
      'cancel',
      'Cancel a broadcast (pending recipients are never sent)',
      (id: string) => stopBroadcast(context, id, 'cancelled'),
    ],
  ] as const;
  for (const [action, summary, run] of actions) {
    router.add({
      method: 'POST',
      url: `/api/broadcasts/:id/${action}`,
      tag: 'broadcasts',
      summary,
      description: `409 when the broadcast's status does not allow it. Answers the broadcast after.`,
      auth: 'admin',
      params: idParams,
      response: broadcastSchema,
      errors: [403, 404, 409],
      async handler({ params }) {
        await run(params.id);
        return broadcastJson(await readBroadcast(context, params.id));
      },
    });
  }
}
