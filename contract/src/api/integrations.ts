/**
 * Integration API and outgoing webhooks (issue 17). API keys (`hk_…`, shown once, stored as their
 * SHA-256) let the pharmacy's own systems send messages to customers, read tickets and update
 * customers through `/api/integration/*`; outgoing webhooks POST ticket and message events to URLs
 * an admin configures, signed `X-Helpdesk-Signature: sha256=HMAC-SHA256(secret, "<timestamp>.<body>")`.
 */
import { z } from 'zod';
import { dateTimeSchema, nullableDateTimeSchema } from './common.ts';

export const API_KEY_SCOPES = ['messages:send', 'tickets:read', 'customers:write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const OUTGOING_WEBHOOK_EVENTS = [
  'ticket.created',
  'ticket.status',
  'ticket.assigned',
  'message.created',
] as const;
export type OutgoingWebhookEvent = (typeof OUTGOING_WEBHOOK_EVENTS)[number];

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

const nameSchema = z.string().trim().min(1, 'must not be empty').max(100);

/** POST /api/api-keys. */
export const apiKeyCreateBodySchema = z
  .object({
    name: nameSchema,
    scopes: z.array(z.enum(API_KEY_SCOPES)).min(1, 'at least one scope').max(API_KEY_SCOPES.length),
  })
  .meta({ examples: [{ name: 'Order system', scopes: ['messages:send', 'tickets:read'] }] });
export type ApiKeyCreateBody = z.infer<typeof apiKeyCreateBodySchema>;

/** An API key as listed: never the key itself, only its first 8 characters. */
export const apiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  /** The key's first 8 characters (`hk_` and 5 more), to tell keys apart. */
  prefix: z.string(),
  lastUsedAt: nullableDateTimeSchema,
  revokedAt: nullableDateTimeSchema,
  createdAt: dateTimeSchema,
});
export type ApiKey = z.infer<typeof apiKeySchema>;

/** The answer of POST /api/api-keys: the key, shown this once. */
export const apiKeyCreatedSchema = apiKeySchema.extend({ key: z.string() });
export type ApiKeyCreated = z.infer<typeof apiKeyCreatedSchema>;

export const apiKeyListSchema = z.object({ items: z.array(apiKeySchema) });
export type ApiKeyList = z.infer<typeof apiKeyListSchema>;

/** POST /api/integration/messages: a text to a customer by phone. */
export const integrationMessageBodySchema = z
  .object({
    /** E.164 or national (DEFAULT_COUNTRY); Arabic-Indic digits accepted. */
    phone: z.string().trim().min(1, 'must not be empty').max(40),
    text: z.string().trim().min(1, 'must not be empty').max(4096),
    /** The channel key (session name or phone number id); default: the customer's last, else the configured one. */
    channel: z.string().trim().min(1).max(200).optional(),
  })
  .meta({
    examples: [{ phone: '+201001234567', text: 'طلبك رقم 123 جاهز للاستلام من فرع مدينة نصر' }],
  });
export type IntegrationMessageBody = z.infer<typeof integrationMessageBodySchema>;

export const integrationMessageAcceptedSchema = z
  .object({
    messageId: z.uuid(),
    ticketId: z.uuid(),
    ticketNumber: z.number().int(),
    /** A ticket was opened for this message. */
    ticketOpened: z.boolean(),
  })
  .meta({
    examples: [
      {
        messageId: '0b6f1c9e-5d2a-4f3b-9a7e-2c4d8e1f6a30',
        ticketId: '7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6',
        ticketNumber: 1042,
        ticketOpened: false,
      },
    ],
  });
export type IntegrationMessageAccepted = z.infer<typeof integrationMessageAcceptedSchema>;

/** GET /api/integration/tickets/:number. */
export const integrationTicketSchema = z.object({
  id: z.uuid(),
  number: z.number().int(),
  status: z.string(),
  category: z.string().nullable(),
  channel: z.string(),
  assigneeId: z.uuid().nullable(),
  customer: z.object({ id: z.uuid(), phone: z.string().nullable(), name: z.string().nullable() }),
  openedAt: dateTimeSchema,
  resolvedAt: nullableDateTimeSchema,
  updatedAt: dateTimeSchema,
});
export type IntegrationTicket = z.infer<typeof integrationTicketSchema>;

/** PUT /api/integration/customers/:phone. */
export const integrationCustomerBodySchema = z
  .object({
    name: z.string().trim().max(200).nullable().optional(),
    tags: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
  })
  .meta({ examples: [{ name: 'منى أحمد', tags: ['VIP', 'chronic'] }] });
export const integrationCustomerSchema = z.object({
  id: z.uuid(),
  phone: z.string(),
  name: z.string().nullable(),
  tags: z.array(z.string()),
  /** The customer was created by this request. */
  created: z.boolean(),
});
export type IntegrationCustomer = z.infer<typeof integrationCustomerSchema>;

/** POST /api/webhooks. */
export const outgoingWebhookCreateBodySchema = z.object({
  name: nameSchema,
  url: z
    .string()
    .trim()
    .max(2000)
    .refine((value) => {
      try {
        return ['http:', 'https:'].includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, 'must be an http or https URL'),
  /** At least 16 characters; generated (and shown once) when absent. */
  secret: z.string().min(16, 'at least 16 characters').max(200).optional(),
  events: z.array(z.enum(OUTGOING_WEBHOOK_EVENTS)).min(1, 'at least one event'),
  enabled: z.boolean().optional(),
});
export type OutgoingWebhookCreateBody = z.infer<typeof outgoingWebhookCreateBodySchema>;

/** PATCH /api/webhooks/:id (the secret is never changed, nor shown again). */
export const outgoingWebhookChangesBodySchema = outgoingWebhookCreateBodySchema
  .omit({ secret: true })
  .partial();

export const outgoingWebhookSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  url: z.string(),
  events: z.array(z.enum(OUTGOING_WEBHOOK_EVENTS)),
  enabled: z.boolean(),
  createdAt: dateTimeSchema,
  updatedAt: dateTimeSchema,
});
export type OutgoingWebhook = z.infer<typeof outgoingWebhookSchema>;
/** The answer of POST /api/webhooks: the signing secret, shown this once. */
export const outgoingWebhookCreatedSchema = outgoingWebhookSchema.extend({ secret: z.string() });
export type OutgoingWebhookCreated = z.infer<typeof outgoingWebhookCreatedSchema>;
export const outgoingWebhookListSchema = z.object({ items: z.array(outgoingWebhookSchema) });
export type OutgoingWebhookList = z.infer<typeof outgoingWebhookListSchema>;

export const webhookDeliverySchema = z.object({
  id: z.string(),
  eventType: z.enum(OUTGOING_WEBHOOK_EVENTS),
  eventId: z.string(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: dateTimeSchema,
  deliveredAt: nullableDateTimeSchema,
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;
export const webhookDeliveryListSchema = z.object({ items: z.array(webhookDeliverySchema) });
export type WebhookDeliveryList = z.infer<typeof webhookDeliveryListSchema>;
