/**
 * Helpers for the agents' API tests: agents created through the real service, sign-in through the
 * real HTTP route, a small JSON client carrying the bearer token, and tickets seeded straight into
 * the test's database when a test is about the API rather than the inbound pipeline.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { addAgent } from '../../src/use-cases/agents/create-agent';
import { setAvailability } from '../../src/use-cases/agents/set-availability';
import type { Database } from '../../src/store/database';
import type { TestHelpdesk } from '../support/harness';

export const PASSWORD = 'correct horse battery';

export interface TestAgent {
  id: string;
  email: string;
  name: string;
  role: 'agent' | 'admin';
  token: string;
  api: ApiClient;
}

export interface ApiAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ApiClient {
  get<T = Record<string, unknown>>(path: string): Promise<ApiAnswer<T>>;
  post<T = Record<string, unknown>>(path: string, body?: unknown): Promise<ApiAnswer<T>>;
  put<T = Record<string, unknown>>(path: string, body?: unknown): Promise<ApiAnswer<T>>;
  patch<T = Record<string, unknown>>(path: string, body?: unknown): Promise<ApiAnswer<T>>;
  /** A raw request with the token (for multipart, raw bodies, headers). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/** A JSON client for `baseUrl`, sending `Authorization: Bearer <token>` when a token is given. */
export function apiClient(baseUrl: string, token: string | null): ApiClient {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : null) as T,
    };
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body ?? {}),
    put: (path, body) => call('PUT', path, body ?? {}),
    patch: (path, body) => call('PATCH', path, body ?? {}),
    fetch: (path, init = {}) =>
      fetch(`${baseUrl}${path}`, {
        ...init,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) },
      }),
  };
}

/** Creates an agent (online unless told otherwise) and signs them in over HTTP. */
export async function createAgent(
  helpdesk: TestHelpdesk,
  options: {
    name?: string;
    role?: 'agent' | 'admin';
    capacity?: number;
    availability?: 'online' | 'away' | 'offline';
  } = {},
): Promise<TestAgent> {
  const name = options.name ?? `agent-${randomBytes(3).toString('hex')}`;
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@pharmacy.test`;
  const agent = await addAgent(helpdesk.context.db, {
    name,
    email,
    password: PASSWORD,
    capacity: options.capacity ?? 5,
    role: options.role ?? 'agent',
  });
  if ((options.availability ?? 'online') !== 'offline') {
    await setAvailability(helpdesk.context.pool, email, options.availability ?? 'online');
  }
  const login = await apiClient(helpdesk.url, null).post<{ token: string }>('/api/auth/login', {
    email,
    password: PASSWORD,
  });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const token = login.body.token;
  return { id: agent.id, email, name, role: agent.role, token, api: apiClient(helpdesk.url, token) };
}

let phoneCounter = 0;

/**
 * Inserts a customer and a ticket with one inbound text message, as the inbound pipeline would.
 * @returns the ticket's id and number and the customer's id and phone.
 */
export async function seedTicket(
  db: Database,
  options: {
    assigneeId?: string | null;
    status?: 'open' | 'pending' | 'resolved' | 'closed';
    category?: string | null;
    customerName?: string;
    phone?: string;
    text?: string;
    openedAt?: Date;
  } = {},
): Promise<{ id: string; number: number; customerId: string; phone: string }> {
  const phone =
    options.phone ?? `+2010${String(Date.now() % 1_000_000).padStart(6, '0')}${++phoneCounter % 10}`;
  const openedAt = options.openedAt ?? new Date();
  const customer = await db.customer.upsert({
    where: { phone },
    create: { phone, name: options.customerName ?? 'Customer', lastInboundAt: openedAt },
    update: {},
  });
  const ticket = await db.ticket.create({
    data: {
      customerId: customer.id,
      channel: 'pharmacy',
      provider: 'wppconnect',
      status: options.status ?? 'open',
      category: options.category ?? null,
      assigneeId: options.assigneeId ?? null,
      assignedAt: options.assigneeId ? openedAt : null,
      openedAt,
      lastInboundAt: openedAt,
      resolvedAt: options.status === 'resolved' || options.status === 'closed' ? new Date() : null,
      closedAt: options.status === 'closed' ? new Date() : null,
    },
  });
  await db.message.create({
    data: {
      ticketId: ticket.id,
      channel: 'pharmacy',
      provider: 'wppconnect',
      direction: 'inbound',
      author: 'customer',
      providerMessageId: `seed-${ticket.id}`,
      type: 'text',
      text: options.text ?? 'hello',
      deliveryStatus: 'received',
      sentAt: openedAt,
      createdAt: openedAt,
    },
  });
  return { id: ticket.id, number: ticket.number, customerId: customer.id, phone };
}

/** Asserts a JSON answer matches a documented response schema (views.ts). */
export function assertMatches(schema: z.ZodType, body: unknown, what = 'answer'): void {
  const parsed = schema.safeParse(body);
  assert.ok(
    parsed.success,
    `${what} does not match its schema: ${parsed.success ? '' : parsed.error.message}`,
  );
}

/** Asserts a 400 whose message names `field`. */
export function assertValidationError(answer: ApiAnswer, field: string): void {
  assert.equal(answer.status, 400, JSON.stringify(answer.body));
  const message = (answer.body as { message?: string }).message ?? '';
  assert.match(
    message,
    new RegExp(`(^|[ ;])${field.replace('.', '\\.')}\\b`),
    `message names ${field}: ${message}`,
  );
}
