/**
 * What the agents' API answers, built from the services' values and typed by the contract's
 * schemas (@whatsapp-helpdesk/contract/api): dates become ISO 8601 strings, tickets carry the
 * requesting agent's allowed actions, attachments their download URL. Each route declares the
 * contract schema of its answer, which types its handler's result (api-route.ts), so the OpenAPI
 * document, the API tests (which parse real answers with the same schemas) and the console's types
 * cannot drift from what is sent.
 */
import type {
  DeliveryStatus,
  Ticket,
  TicketEventType,
  TicketPage,
  TicketStatus,
} from '@whatsapp-helpdesk/contract/api';
import type { Actor } from '../../../domain/ticket-rules';
import { allowedTicketActions } from './allowed-actions';

/** A value as JSON carries it: every Date an ISO 8601 string. */
export type Json<T> = T extends Date
  ? string
  : T extends ReadonlyArray<infer Item>
    ? Json<Item>[]
    : T extends object
      ? { [Key in keyof T]: Json<T[Key]> }
      : T;

/**
 * Retypes a service's value as the JSON it is sent as: every Date an ISO 8601 string, so the value
 * can be checked against the contract's types. Nothing is copied: `response.json` writes it with
 * JSON.stringify, which writes a Date as its toISOString() (Date.prototype.toJSON, ECMAScript
 * 21.4.4.37). A walk making the strings here cost about 7 ms of CPU per 200-message thread.
 * @param value plain data (objects, arrays, Dates, primitives), to be sent as JSON only.
 */
export function toJson<T>(value: T): Json<T> {
  return value as unknown as Json<T>;
}

/** What every ticket view needs to compute the allowed actions. */
interface TicketFacts {
  status: TicketStatus;
  assignee: { id: string } | null;
}

/**
 * A ticket as the API answers it, with what `actor` may do with it.
 * @param ticket a ticket list item of the services (dates as Date).
 */
export function ticketJson<T extends TicketFacts>(
  ticket: T,
  actor: Actor,
): Json<T> & Pick<Ticket, 'allowedActions'> {
  return {
    ...toJson(ticket),
    allowedActions: allowedTicketActions(actor, {
      assigneeId: ticket.assignee?.id ?? null,
      status: ticket.status,
    }),
  };
}

/** A page of tickets, each with the actor's allowed actions. */
export function ticketPageJson<T extends TicketFacts>(
  page: { items: T[]; nextCursor: string | null },
  actor: Actor,
) {
  return {
    items: page.items.map((ticket) => ticketJson(ticket, actor)),
    nextCursor: page.nextCursor,
  } satisfies { items: unknown[]; nextCursor: TicketPage['nextCursor'] };
}

/** A message with each attachment's download URL. */
export function messageJson<M extends { deliveryStatus: DeliveryStatus; attachments: Array<{ id: string }> }>(
  message: M,
) {
  return toJson(withAttachmentUrls(message));
}

/**
 * A ticket's thread: the ticket with the actor's actions, messages with attachment URLs. Event
 * types are written from the contract's TICKET_EVENT_TYPES (the column is text).
 */
export function threadJson<
  T extends TicketFacts,
  M extends { deliveryStatus: DeliveryStatus; attachments: Array<{ id: string }> },
  E extends { type: TicketEventType },
  Rest extends object,
>(thread: { ticket: T; messages: M[]; events: E[] } & Rest, actor: Actor) {
  const json = toJson(thread);
  return {
    ...json,
    ticket: ticketJson(thread.ticket, actor),
    messages: thread.messages.map(messageJson),
  };
}

/**
 * A customer's history; the services report ticket statuses as text, which are the contract's
 * ticket statuses (the column is the TicketStatus enum).
 */
export function customerHistoryJson<H extends { tickets: Array<{ status: string }> }>(history: H) {
  const json = toJson(history);
  return {
    ...json,
    tickets: json.tickets.map((ticket) => ({ ...ticket, status: ticket.status as TicketStatus })),
  };
}

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

/**
 * A customer's files (GET /api/customers/:id/media), each with its download URL (the same
 * `/api/attachments/:id` as in messages).
 */
export function customerMediaJson<F extends { id: string }>(items: F[]) {
  return { items: items.map((item) => toJson({ ...item, url: `/api/attachments/${item.id}` })) };
}
