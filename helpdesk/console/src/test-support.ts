/**
 * Shared fixtures of the console's component tests (Vitest, happy-dom): the signed-in agent, a
 * ticket's thread and its messages in the API's shapes (contract/src/api), and a `fetch` stub that
 * records every call (method, URL, body: parsed JSON, the FormData as sent, or null) and answers
 * with what the test returns for it.
 */
import type { Message, SessionAgent, TicketThread } from '@whatsapp-helpdesk/contract/api';
import { vi } from 'vitest';

export const TICKET_ID = '11111111-1111-4111-8111-111111111111';
export const CUSTOMER_ID = '55555555-5555-4555-8555-555555555555';

export const AGENT: SessionAgent = {
  id: '22222222-2222-4222-8222-222222222222',
  name: 'منى',
  email: 'mona@pharmacy.test',
  role: 'agent',
  sessionId: '33333333-3333-4333-8333-333333333333',
  expiresAt: '2026-11-29T00:00:00.000Z',
};

type ThreadTicket = TicketThread['ticket'];
type ThreadCustomer = TicketThread['customer'];

/**
 * A thread of an open ticket of the customer سلمى, assigned to AGENT, that allows `reply` and
 * `note`; `ticket` and `customer` replace fields.
 */
export function makeThread(
  options: {
    ticket?: Partial<ThreadTicket>;
    customer?: Partial<ThreadCustomer>;
    messages?: Message[];
    notes?: TicketThread['notes'];
    events?: TicketThread['events'];
  } = {},
): TicketThread {
  const customer: ThreadCustomer = {
    id: CUSTOMER_ID,
    name: 'سلمى',
    phone: '+201001234567',
    lid: null,
    tags: [],
    notes: null,
    ...options.customer,
  };
  const ticket: ThreadTicket = {
    id: TICKET_ID,
    number: 7,
    status: 'open',
    category: null,
    channel: 'pharmacy',
    language: 'ar',
    customer: { id: customer.id, name: customer.name, phone: customer.phone, lid: customer.lid },
    assignee: { id: AGENT.id, name: AGENT.name },
    teamId: null,
    openedAt: '2026-11-28T09:00:00.000Z',
    assignedAt: '2026-11-28T09:00:05.000Z',
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    snoozedUntil: null,
    lastInboundAt: '2026-11-28T09:00:00.000Z',
    updatedAt: '2026-11-28T09:00:05.000Z',
    firstResponseSeconds: null,
    resolutionSeconds: null,
    lastMessage: null,
    unreadCount: 0,
    waitingSince: null,
    allowedActions: ['reply', 'note'],
    labels: [],
    ...options.ticket,
  } as ThreadTicket;
  return {
    ticket,
    customer,
    messages: options.messages ?? [],
    notes: options.notes ?? [],
    events: options.events ?? [],
  };
}

let messageCounter = 0;

/**
 * A customer's text message (each one a minute after the one made before); `fields` replace any
 * field (quoted, edits, reactions, contacts, location, details… default to none).
 */
export function makeMessage(fields: Partial<Message> & Record<string, unknown> = {}): Message {
  messageCounter += 1;
  const at = new Date(Date.UTC(2026, 10, 28, 9) + messageCounter * 60_000).toISOString();
  return {
    id: `aaaaaaaa-0000-4000-8000-${String(messageCounter).padStart(12, '0')}`,
    direction: 'inbound',
    author: 'customer',
    agent: null,
    type: 'text',
    text: 'السلام عليكم',
    caption: null,
    deliveryStatus: 'received',
    error: null,
    sentAt: at,
    createdAt: at,
    attachments: [],
    quoted: null,
    editedAt: null,
    edits: [],
    deletedAt: null,
    reactions: [],
    contacts: null,
    location: null,
    details: null,
    ...fields,
  } as Message;
}

export interface RecordedCall {
  method: string;
  url: string;
  /** Parsed JSON, the FormData as sent, or null without a body. */
  body: unknown;
}

/** What the stub answers: a JSON body and a status (default 200, 201 for POST). */
export interface StubAnswer {
  json?: unknown;
  status?: number;
}

/**
 * Replaces `fetch` (undo with `vi.unstubAllGlobals()`): each call is recorded in the returned list
 * and answered with `answer(call)` (default: `{}`).
 */
export function recordFetch(
  answer: (call: RecordedCall) => StubAnswer | undefined = () => undefined,
): RecordedCall[] {
  const calls: RecordedCall[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : (init.body ?? null);
      const call = { method, url, body };
      calls.push(call);
      const reply = answer(call) ?? {};
      return new Response(JSON.stringify(reply.json ?? {}), {
        status: reply.status ?? (method === 'POST' ? 201 : 200),
        headers: { 'content-type': 'application/json' },
      });
    }),
  );
  return calls;
}
