/**
 * Integration API and outgoing webhooks (issue 17).
 * - Admins: `POST/GET /api/api-keys`, `DELETE /api/api-keys/:id` (revoke); `POST/GET /api/webhooks`,
 *   `PATCH/DELETE /api/webhooks/:id`, `GET /api/webhooks/:id/deliveries`.
 * - The pharmacy's systems, with `Authorization: Bearer hk_…` (an API key, checked on the matched
 *   route against its SHA-256 and scope; agents' sessions are not accepted here, and API keys are
 *   not accepted anywhere else): `POST /api/integration/messages` (messages:send),
 *   `GET /api/integration/tickets/:number` (tickets:read), `PUT /api/integration/customers/:phone`
 *   (customers:write).
 */
import { z } from 'zod';
import {
  apiKeyCreateBodySchema,
  apiKeyCreatedSchema,
  apiKeyListSchema,
  apiKeySchema,
  integrationCustomerBodySchema,
  integrationCustomerSchema,
  integrationMessageAcceptedSchema,
  integrationMessageBodySchema,
  integrationTicketSchema,
  outgoingWebhookChangesBodySchema,
  outgoingWebhookCreateBodySchema,
  outgoingWebhookCreatedSchema,
  outgoingWebhookListSchema,
  outgoingWebhookSchema,
  webhookDeliveryListSchema,
  type ApiKey,
  type ApiKeyScope,
  type OutgoingWebhook,
  type OutgoingWebhookEvent,
  type WebhookDelivery,
} from '@whatsapp-helpdesk/contract/api';
import type { Context } from '../../../context';
import { AppError } from '../../../errors';
import {
  findOutgoingWebhook,
  findTicketByNumber,
  listApiKeys,
  listOutgoingWebhooks,
  listWebhookDeliveries,
  type ApiKeyRow,
  type OutgoingWebhookRow,
  type WebhookDeliveryRow,
} from '../../../store/integrations';
import { createApiKey } from '../../../use-cases/integrations/create-api-key';
import { deleteOutgoingWebhook } from '../../../use-cases/integrations/delete-outgoing-webhook';
import { revokeApiKey } from '../../../use-cases/integrations/revoke-api-key';
import { sendIntegrationMessage } from '../../../use-cases/integrations/send-integration-message';
import { westernDigits } from '../../../use-cases/integrations/send-integration-message';
import { updateIntegrationCustomer } from '../../../use-cases/integrations/update-integration-customer';
import {
  changeOutgoingWebhook,
  createOutgoingWebhook,
} from '../../../use-cases/integrations/save-outgoing-webhook';
import { idParams, type ApiRouter } from './api-route';

const API_KEY_AUTH =
  'Authentication: an integration API key, `Authorization: Bearer hk_…` (created by an admin in ' +
  'Admin > Integrations), with the scope named below; 401 for a missing, unknown or revoked key, 403 ' +
  "for a key without the scope. Agents' session tokens are not accepted here.";

function apiKeyJson(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes as ApiKeyScope[],
    prefix: row.keyPrefix,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

function webhookJson(row: OutgoingWebhookRow): OutgoingWebhook {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    events: row.events as OutgoingWebhookEvent[],
    enabled: row.enabled,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function deliveryJson(row: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    eventType: row.eventType as OutgoingWebhookEvent,
    eventId: row.eventId,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  };
}

/** A ticket number in the path (ASCII or Arabic-Indic digits). */
const ticketNumberParams = z.object({
  number: z.preprocess(
    (value) => (typeof value === 'string' ? westernDigits(value) : value),
    z.coerce.number().int('must be a whole number').positive('must be a ticket number'),
  ),
});

/** Registers the API-key, integration and outgoing-webhook routes. */
export function registerIntegrationRoutes(router: ApiRouter, context: Context): void {
  router.add({
    method: 'POST',
    url: '/api/api-keys',
    tag: 'integrations',
    summary: 'Create an integration API key (shown once)',
    description:
      'Scopes: `messages:send` (POST /api/integration/messages), `tickets:read` (GET /api/integration/tickets/:number), ' +
      '`customers:write` (PUT /api/integration/customers/:phone). The answer holds `key` (`hk_` + 43 characters): ' +
      'it is shown this once and stored only as its SHA-256.\n\n' +
      'Example: `{ "name": "Order system", "scopes": ["messages:send"] }` → 201 ' +
      '`{ "id": "…", "name": "Order system", "scopes": ["messages:send"], "prefix": "hk_Xy3Ab", "key": "hk_Xy3Ab…", ' +
      '"lastUsedAt": null, "revokedAt": null, "createdAt": "…" }`',
    auth: 'admin',
    body: apiKeyCreateBodySchema,
    status: 201,
    response: apiKeyCreatedSchema,
    async handler({ agent, body }) {
      const { row, key } = await createApiKey(context, agent.id, body);
      return { ...apiKeyJson(row), key };
    },
  });

  router.add({
    method: 'GET',
    url: '/api/api-keys',
    tag: 'integrations',
    summary: 'List the integration API keys',
    description:
      'Newest first, revoked ones included; never the key, only its first 8 characters (`prefix`).',
    auth: 'admin',
    response: apiKeyListSchema,
    async handler() {
      return { items: (await listApiKeys(context.pool)).map(apiKeyJson) };
    },
  });

  router.add({
    method: 'DELETE',
    url: '/api/api-keys/:id',
    tag: 'integrations',
    summary: 'Revoke an integration API key',
    description: 'From now on the key is refused with 401. Answers the revoked key.',
    auth: 'admin',
    params: idParams,
    response: apiKeySchema,
    errors: [404],
    async handler({ params }) {
      return apiKeyJson(await revokeApiKey(context, params.id));
    },
  });

  router.add({
    method: 'POST',
    url: '/api/integration/messages',
    tag: 'integration',
    summary: 'Send a text to a customer by phone (scope messages:send)',
    description:
      `${API_KEY_AUTH}\n\n` +
      "The message joins the customer's open or pending ticket on the channel, or opens one (assigned by the " +
      'usual rules); the customer is created when the phone is new. `phone`: E.164 or national (DEFAULT_COUNTRY), ' +
      'Arabic-Indic digits accepted. `channel`: a channel key (session name or Cloud API phone number id); ' +
      "default the customer's latest ticket's channel, else the configured one. Sent by the outbound worker like " +
      'any reply: 202 means stored and queued (follow its delivery status with message.created/webhooks). ' +
      '409 on a Cloud API channel outside the 24-hour customer-service window (only templates may be sent).\n\n' +
      'Example: `{ "phone": "+201001234567", "text": "Your order #123 is ready" }` → 202 ' +
      '`{ "messageId": "…", "ticketId": "…", "ticketNumber": 42, "ticketOpened": false }`',
    auth: 'integration',
    scope: 'messages:send',
    body: integrationMessageBodySchema,
    status: 202,
    response: integrationMessageAcceptedSchema,
    errors: [409],
    async handler({ apiKey, body }) {
      return sendIntegrationMessage(context, apiKey.id, body);
    },
  });

  router.add({
    method: 'GET',
    url: '/api/integration/tickets/:number',
    tag: 'integration',
    summary: 'Read a ticket by its number (scope tickets:read)',
    description:
      `${API_KEY_AUTH}\n\n` +
      'Example: `GET /api/integration/tickets/42` → `{ "id": "…", "number": 42, "status": "open", "category": null, ' +
      '"channel": "pharmacy", "assigneeId": "…", "customer": { "id": "…", "phone": "+201001234567", "name": "Mona" }, ' +
      '"openedAt": "…", "resolvedAt": null, "updatedAt": "…" }`',
    auth: 'integration',
    scope: 'tickets:read',
    params: ticketNumberParams,
    response: integrationTicketSchema,
    errors: [404],
    async handler({ params }) {
      const ticket = await findTicketByNumber(context.pool, params.number);
      if (!ticket) throw new AppError('not_found', 'number: no such ticket');
      return {
        id: ticket.id,
        number: ticket.number,
        status: ticket.status,
        category: ticket.category,
        channel: ticket.channel,
        assigneeId: ticket.assigneeId,
        customer: { id: ticket.customerId, phone: ticket.customerPhone, name: ticket.customerName },
        openedAt: ticket.openedAt.toISOString(),
        resolvedAt: ticket.resolvedAt?.toISOString() ?? null,
        updatedAt: ticket.updatedAt.toISOString(),
      };
    },
  });

  router.add({
    method: 'PUT',
    url: '/api/integration/customers/:phone',
    tag: 'integration',
    summary: 'Create or update a customer by phone (scope customers:write)',
    description:
      `${API_KEY_AUTH}\n\n` +
      "`name` (null clears it) and `tags` (replace the customer's tags); absent fields are kept. The phone in the " +
      'path is E.164 (URL-encode the "+") or national; Arabic-Indic digits accepted.\n\n' +
      'Example: `PUT /api/integration/customers/%2B201001234567` `{ "name": "Mona", "tags": ["vip"] }` → ' +
      '`{ "id": "…", "phone": "+201001234567", "name": "Mona", "tags": ["vip"], "created": false }`',
    auth: 'integration',
    scope: 'customers:write',
    params: z.object({ phone: z.string().min(1) }),
    body: integrationCustomerBodySchema,
    response: integrationCustomerSchema,
    async handler({ params, body }) {
      return updateIntegrationCustomer(context, params.phone, body);
    },
  });

  router.add({
    method: 'POST',
    url: '/api/webhooks',
    tag: 'integrations',
    summary: 'Create an outgoing webhook',
    description:
      'Events: `ticket.created`, `ticket.status`, `ticket.assigned`, `message.created`. Each event is POSTed as JSON ' +
      '`{ "id", "type", "occurredAt", "data": { "ticketId", "ticketNumber", … } }` with headers `X-Helpdesk-Event`, ' +
      '`X-Helpdesk-Delivery`, `X-Helpdesk-Timestamp` (Unix seconds) and `X-Helpdesk-Signature: sha256=<hex ' +
      'HMAC-SHA256(secret, "<timestamp>.<raw body>")>`; any non-2xx answer is retried with exponential backoff ' +
      '(OUTGOING_WEBHOOK_ATTEMPTS, OUTGOING_WEBHOOK_BACKOFF_MS). `secret` (16+ characters) is generated when ' +
      'absent and shown only in this answer. URLs on loopback, private or link-local addresses are refused ' +
      '(unless ALLOW_PRIVATE_WEBHOOK_URLS=true).\n\n' +
      'Example: `{ "name": "CRM", "url": "https://crm.example.com/hooks/helpdesk", "events": ["ticket.created", ' +
      '"message.created"] }`',
    auth: 'admin',
    body: outgoingWebhookCreateBodySchema,
    status: 201,
    response: outgoingWebhookCreatedSchema,
    async handler({ body }) {
      const { row, secret } = await createOutgoingWebhook(context, body);
      return { ...webhookJson(row), secret };
    },
  });

  router.add({
    method: 'GET',
    url: '/api/webhooks',
    tag: 'integrations',
    summary: 'List the outgoing webhooks',
    description: 'Oldest first; never the secret.',
    auth: 'admin',
    response: outgoingWebhookListSchema,
    async handler() {
      return { items: (await listOutgoingWebhooks(context.pool)).map(webhookJson) };
    },
  });

  router.add({
    method: 'PATCH',
    url: '/api/webhooks/:id',
    tag: 'integrations',
    summary: "Change an outgoing webhook's name, URL, events or enabled state",
    description: 'The secret cannot be changed (create a new webhook). Example: `{ "enabled": false }`',
    auth: 'admin',
    params: idParams,
    body: outgoingWebhookChangesBodySchema,
    response: outgoingWebhookSchema,
    errors: [404],
    async handler({ params, body }) {
      return webhookJson(await changeOutgoingWebhook(context, params.id, body));
    },
  });

  router.add({
    method: 'DELETE',
    url: '/api/webhooks/:id',
    tag: 'integrations',
    summary: 'Delete an outgoing webhook (and its delivery log)',
    auth: 'admin',
    params: idParams,
    errors: [404],
    async handler({ params }) {
      await deleteOutgoingWebhook(context, params.id);
    },
  });

  router.add({
    method: 'GET',
    url: '/api/webhooks/:id/deliveries',
    tag: 'integrations',
    summary: "An outgoing webhook's delivery log",
    description:
      'Newest first, at most 200: per event its status (pending while retries remain, delivered, failed), attempts, ' +
      'the last HTTP status and error.',
    auth: 'admin',
    params: idParams,
    response: webhookDeliveryListSchema,
    errors: [404],
    async handler({ params }) {
      if (!(await findOutgoingWebhook(context.pool, params.id))) {
        throw new AppError('not_found', 'id: no such webhook');
      }
      return { items: (await listWebhookDeliveries(context.pool, params.id)).map(deliveryJson) };
    },
  });
}
