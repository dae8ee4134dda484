/**
 * Schemas of what the agents' API answers, as JSON (dates are ISO 8601 strings). They document the
 * responses in the OpenAPI document; the API tests parse real answers with them, so the document
 * cannot drift from the code.
 */
import { z } from 'zod';

const dateTime = z.iso.datetime({ offset: true });
const nullableDate = dateTime.nullable();
const status = z.enum(['open', 'pending', 'resolved', 'closed']);
const person = z.object({ id: z.uuid(), name: z.string() });

/** A page of a cursor-paginated list: pass `nextCursor` back as `cursor` for the next page (null: the last). */
function pageOf<Item extends z.ZodType>(item: Item, id: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id });
}

export const errorView = z
  .object({
    error: z.string().describe('machine-readable code, e.g. validation_failed, forbidden'),
    message: z.string().describe('a sentence naming the field and the problem'),
    details: z.unknown().optional(),
  })
  .meta({ id: 'Error' });

export const agentView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    email: z.string(),
    role: z.enum(['agent', 'admin']),
    availability: z.enum(['online', 'away', 'offline']),
    capacity: z.number().int(),
    active: z.boolean(),
    openTickets: z.number().int(),
  })
  .meta({ id: 'Agent' });

export const sessionAgentView = agentView
  .pick({ id: true, name: true, email: true, role: true })
  .extend({ sessionId: z.uuid(), expiresAt: dateTime })
  .meta({ id: 'SessionAgent' });

export const loginView = z
  .object({
    token: z.string().describe('send as "Authorization: Bearer <token>"; also set as an HttpOnly cookie'),
    expiresAt: dateTime,
    agent: sessionAgentView,
  })
  .meta({ id: 'Login' });

export const agentDirectoryEntryView = agentView
  .pick({ id: true, name: true, role: true, availability: true, active: true })
  .meta({ id: 'AgentDirectoryEntry' });

export const agentListView = z
  .object({ items: z.array(z.union([agentView, agentDirectoryEntryView])) })
  .meta({ id: 'AgentList', description: 'admins get full agents; agents get directory entries' });

export const ticketView = z
  .object({
    id: z.uuid(),
    number: z.number().int(),
    status,
    category: z.string().nullable(),
    channel: z.string(),
    language: z.string().nullable(),
    customer: z.object({
      id: z.uuid(),
      name: z.string().nullable(),
      phone: z.string().nullable(),
      lid: z.string().nullable(),
    }),
    assignee: person.nullable(),
    openedAt: dateTime,
    assignedAt: nullableDate,
    firstResponseAt: nullableDate,
    resolvedAt: nullableDate,
    closedAt: nullableDate,
    lastInboundAt: nullableDate,
    updatedAt: dateTime,
    firstResponseSeconds: z.number().int().nullable(),
    resolutionSeconds: z.number().int().nullable(),
    lastMessage: z
      .object({
        direction: z.enum(['inbound', 'outbound']),
        author: z.string(),
        type: z.string(),
        preview: z.string().nullable(),
        at: dateTime,
      })
      .nullable(),
  })
  .meta({ id: 'Ticket' });

export const ticketPageView = pageOf(ticketView, 'TicketPage');

export const attachmentView = z
  .object({
    id: z.uuid(),
    mimeType: z.string(),
    size: z.number().int().describe('bytes'),
    filename: z.string().nullable(),
    url: z.string().describe('GET it with the session (cookie or bearer token)'),
  })
  .meta({ id: 'Attachment' });

export const messageView = z
  .object({
    id: z.uuid(),
    direction: z.enum(['inbound', 'outbound']),
    author: z.enum(['customer', 'agent', 'bot', 'system']),
    agent: person.nullable(),
    type: z.string(),
    text: z.string().nullable(),
    caption: z.string().nullable(),
    deliveryStatus: z.enum(['received', 'queued', 'sent', 'delivered', 'read', 'failed']),
    error: z.string().nullable(),
    sentAt: dateTime,
    createdAt: dateTime,
    attachments: z.array(attachmentView),
  })
  .meta({ id: 'Message' });

export const noteView = z
  .object({ id: z.uuid(), body: z.string(), agent: person.nullable(), createdAt: dateTime })
  .meta({ id: 'Note' });

export const eventView = z
  .object({
    id: z.string(),
    type: z.string(),
    agent: person.nullable(),
    data: z.unknown(),
    createdAt: dateTime,
  })
  .meta({ id: 'TicketEvent' });

export const threadView = z
  .object({
    ticket: ticketView,
    customer: z.object({
      id: z.uuid(),
      name: z.string().nullable(),
      phone: z.string().nullable(),
      lid: z.string().nullable(),
      tags: z.array(z.string()),
      notes: z.string().nullable(),
    }),
    messages: z.array(messageView),
    notes: z.array(noteView),
    events: z.array(eventView),
  })
  .meta({ id: 'TicketThread' });

export const customerView = z
  .object({
    id: z.uuid(),
    name: z.string().nullable(),
    phone: z.string().nullable(),
    lid: z.string().nullable(),
    tags: z.array(z.string()),
    notes: z.string().nullable(),
    lastInboundAt: nullableDate,
    createdAt: dateTime,
    openTickets: z.number().int(),
  })
  .meta({ id: 'Customer' });

export const customerPageView = pageOf(customerView, 'CustomerPage');

export const customerHistoryView = customerView
  .extend({
    tickets: z.array(
      z.object({
        id: z.uuid(),
        number: z.number().int(),
        status,
        category: z.string().nullable(),
        channel: z.string(),
        assignee: person.nullable(),
        openedAt: dateTime,
        resolvedAt: nullableDate,
        closedAt: nullableDate,
      }),
    ),
  })
  .meta({ id: 'CustomerHistory' });

export const statsView = z
  .object({
    period: z.object({ from: dateTime, to: dateTime }),
    agents: z.array(
      z.object({
        id: z.uuid(),
        name: z.string(),
        availability: z.string(),
        capacity: z.number().int(),
        open: z.number().int(),
        pending: z.number().int(),
      }),
    ),
    queue: z.object({
      waiting: z.number().int(),
      oldestOpenedAt: nullableDate,
      oldestWaitSeconds: z.number().int().nullable(),
    }),
    firstResponse: z.object({ count: z.number().int(), medianSeconds: z.number().int().nullable() }),
    resolution: z.object({ count: z.number().int(), medianSeconds: z.number().int().nullable() }),
    categories: z.array(z.object({ category: z.string().nullable(), count: z.number().int() })),
  })
  .meta({ id: 'Stats' });

/** Adds each attachment's download URL to messages from the services. */
export function withAttachmentUrls<M extends { attachments: Array<{ id: string }> }>(
  message: M,
): M & { attachments: Array<M['attachments'][number] & { url: string }> } {
  return {
    ...message,
    attachments: message.attachments.map((attachment) => ({
      ...attachment,
      url: `/api/attachments/${attachment.id}`,
    })),
  };
}
