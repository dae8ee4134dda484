/**
 * Channels (SPEC section 9): the WhatsApp numbers the helpdesk serves. `GET /api/channels[/:id]`
 * for every signed-in agent (settings only to admins); adding, changing, removing, pairing (QR),
 * restarting, logging out and testing a channel are for admins. Secrets are accepted, never
 * answered.
 */
import {
  channelChangesBodySchema,
  channelCreateBodySchema,
  channelListSchema,
  channelQrSchema,
  channelSchema,
  channelTestResultSchema,
} from '@whatsapp-helpdesk/contract/api';
import { z } from 'zod';
import type { Context } from '../../../context';
import { createChannel } from '../../../use-cases/channels/create-channel';
import { deleteChannel } from '../../../use-cases/channels/delete-channel';
import { getChannel } from '../../../use-cases/channels/get-channel';
import { getChannelQr } from '../../../use-cases/channels/get-channel-qr';
import { listChannels } from '../../../use-cases/channels/list-channels';
import { logoutChannel } from '../../../use-cases/channels/logout-channel';
import { restartChannel } from '../../../use-cases/channels/restart-channel';
import { testChannel } from '../../../use-cases/channels/test-channel';
import { updateChannel } from '../../../use-cases/channels/update-channel';
import { idParams, type ApiRouter } from './api-route';

const deleteQuerySchema = z.object({
  force: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .optional()
    .describe('true: remove the channel even when its sidecar cannot be reached'),
});

/** Registers the channel routes. */
export function registerChannelRoutes(router: ApiRouter, context: Context): void {
  const log = context.log.child({ component: 'channels' });
  const deps = { ...context, log };

  router.add({
    method: 'GET',
    url: '/api/channels',
    tag: 'channels',
    summary: 'Every WhatsApp number (channel) with its live state, by name',
    description:
      "Any signed-in agent (the console names each ticket's channel, and shows a banner while a " +
      'number is not connected). `settings` is null unless the caller is an admin; secrets are never answered.',
    auth: 'agent',
    response: channelListSchema,
    async handler({ agent }) {
      return listChannels(context, agent.role === 'admin');
    },
  });

  router.add({
    method: 'POST',
    url: '/api/channels',
    tag: 'channels',
    summary: 'Add a WhatsApp number (admins)',
    description:
      'One body per provider: `{name, provider: "wppconnect", wppconnect: {sidecarUrl, apiKey, ' +
      'webhookSecret, session}}` or `{name, provider: "cloud", cloud: {phoneNumberId, ' +
      'businessAccountId, accessToken, appSecret, verifyToken, graphVersion?, baseUrl?}}`, plus ' +
      'optional teamId, enabled and overrides. WPPConnect: the sidecar creates the session first ' +
      '(its QR follows: GET /api/channels/{id}/qr); when it refuses or cannot be reached nothing is ' +
      'stored (400 naming the field, or 502). Answers the channel without its secrets; 400 naming ' +
      'the field; 409 when the name, session or phone number id is taken.',
    auth: 'admin',
    body: channelCreateBodySchema,
    status: 201,
    response: channelSchema,
    errors: [409, 502],
    async handler({ body }) {
      return createChannel(deps, body);
    },
  });

  router.add({
    method: 'GET',
    url: '/api/channels/:id',
    tag: 'channels',
    summary: 'One channel with its live state',
    description: '`settings` is null unless the caller is an admin; secrets are never answered.',
    auth: 'agent',
    params: idParams,
    response: channelSchema,
    errors: [404],
    async handler({ agent, params }) {
      return getChannel(context, params.id, agent.role === 'admin');
    },
  });

  router.add({
    method: 'PATCH',
    url: '/api/channels/:id',
    tag: 'channels',
    summary: 'Rename, disable, route to a team, override, or change settings and secrets (admins)',
    description:
      "Fields left out stay. overrides: a key given sets it, null returns it to the deployment's. " +
      'A provider part (wppconnect or cloud, matching the channel) changes settings and rotates ' +
      'secrets (those given replace the stored ones); the session and phone number id cannot ' +
      'change (400). A new sidecarUrl or apiKey is checked with the sidecar before it is stored. ' +
      'The channel the environment describes keeps its provider settings from the environment (409).',
    auth: 'admin',
    params: idParams,
    body: channelChangesBodySchema,
    response: channelSchema,
    errors: [404, 409, 502],
    async handler({ params, body }) {
      return updateChannel(context, params.id, body);
    },
  });

  router.add({
    method: 'DELETE',
    url: '/api/channels/:id',
    tag: 'channels',
    summary: 'Remove a channel (admins)',
    description:
      'WPPConnect: the sidecar deletes the session first (phone unlinked, profile removed); 502 ' +
      'when it cannot be reached, unless force=true. The channel the environment describes cannot ' +
      'be removed (409). Its tickets stay, with their channel key.',
    auth: 'admin',
    params: idParams,
    query: deleteQuerySchema,
    status: 204,
    errors: [404, 409, 502],
    async handler({ params, query }) {
      await deleteChannel(deps, params.id, query.force === 'true');
    },
  });

  router.add({
    method: 'GET',
    url: '/api/channels/:id/qr',
    tag: 'channels',
    summary: "The QR to pair a WPPConnect channel's phone (admins)",
    description:
      'Scan it in WhatsApp → Linked devices. `{ qr: "data:image/png;base64,…", expiresAt }`: ' +
      'WhatsApp replaces it about then, fetch again. 409 (details.reason not_waiting_for_scan, ' +
      'with the state) when the session is not waiting for a scan, e.g. already connected; 400 ' +
      'for a Cloud API channel.',
    auth: 'admin',
    params: idParams,
    response: channelQrSchema,
    errors: [404, 409, 502],
    async handler({ params }) {
      return getChannelQr(context, params.id);
    },
  });

  router.add({
    method: 'POST',
    url: '/api/channels/:id/restart',
    tag: 'channels',
    summary: "Restart a WPPConnect channel's session (admins)",
    description:
      "The sidecar closes the session's browser and starts it again (a session it lost is " +
      'created again). Answers the channel with the state the sidecar reported; 400 for a Cloud API channel.',
    auth: 'admin',
    params: idParams,
    response: channelSchema,
    errors: [404, 502],
    async handler({ params }) {
      return restartChannel(context, params.id);
    },
  });

  router.add({
    method: 'POST',
    url: '/api/channels/:id/logout',
    tag: 'channels',
    summary: "Log a WPPConnect channel's phone out (admins)",
    description:
      'The sidecar unlinks the phone and clears the profile; the session pairs again (a new QR ' +
      'follows). Answers the channel with the state the sidecar reported; 400 for a Cloud API channel.',
    auth: 'admin',
    params: idParams,
    response: channelSchema,
    errors: [404, 409, 502],
    async handler({ params }) {
      return logoutChannel(context, params.id);
    },
  });

  router.add({
    method: 'POST',
    url: '/api/channels/:id/test',
    tag: 'channels',
    summary: "Check a channel's settings with its provider (admins)",
    description:
      "Cloud API: Meta's Graph API must show the phone number id to the access token (GET " +
      '/{version}/{phoneNumberId}?fields=display_phone_number,verified_name). WPPConnect: the sidecar ' +
      'must take the API key and hold the session. `{ ok, detail, phone }`; a refusal is ok false ' +
      'with the reason, not an error status.',
    auth: 'admin',
    params: idParams,
    response: channelTestResultSchema,
    errors: [404],
    async handler({ params }) {
      return testChannel(context, params.id);
    },
  });
}
