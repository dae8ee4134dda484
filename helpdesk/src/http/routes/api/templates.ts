/**
 * WhatsApp message templates (issue 17): `GET /api/templates` (any agent: the template picker) and
 * `POST /api/channels/:id/templates/sync` (admins: read them again from Meta's Graph API now; they
 * are also synced every TEMPLATE_SYNC_MS by the scheduled queue). Sending one is a reply:
 * `POST /api/tickets/:id/messages` with `template`.
 */
import {
  messageTemplateListSchema,
  templateListQuerySchema,
  templateSyncResultSchema,
} from '@whatsapp-helpdesk/contract/api';
import type { Context } from '../../../context';
import { listMessageTemplates } from '../../../use-cases/templates/list-templates';
import { syncChannelTemplates } from '../../../use-cases/templates/sync-channel-templates';
import { idParams, type ApiRouter } from './api-route';

/** Registers the template routes. */
export function registerTemplateRoutes(router: ApiRouter, context: Context): void {
  router.add({
    method: 'GET',
    url: '/api/templates',
    tag: 'templates',
    summary: 'Message templates synced from Meta, with their approval status and variables',
    description:
      'Sorted by channel, name and language. `variables` lists the header (TEXT format) and body ' +
      'variables in filling order ("1", "2"… or named), the parameters a send must give. Only ' +
      "APPROVED templates can be sent. `channel`: one channel's (a Cloud API phone number id).",
    auth: 'agent',
    query: templateListQuerySchema,
    response: messageTemplateListSchema,
    async handler({ query }) {
      return { items: await listMessageTemplates(context, query.channel) };
    },
  });

  router.add({
    method: 'POST',
    url: '/api/channels/:id/templates/sync',
    tag: 'templates',
    summary: "Sync a Cloud API channel's message templates from Meta now (admins)",
    description:
      "Reads `GET /{version}/{waba-id}/message_templates` (every page) with the channel's access " +
      'token and replaces the stored templates of the channel. 400 naming `provider` for a WPPConnect ' +
      'channel or `businessAccountId` when the channel has none; 502 when Meta refuses (its reason).',
    auth: 'admin',
    params: idParams,
    response: templateSyncResultSchema,
    errors: [404, 502],
    async handler({ params }) {
      return syncChannelTemplates(context, params.id);
    },
  });
}
