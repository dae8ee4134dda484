/**
 * The console's calls to the agents' API. The session travels in the HttpOnly cookie the login
 * sets; every change sends `X-Requested-With` (the API's CSRF rule). Errors become ApiError with
 * the API's code and message.
 */
import type {
  Agent,
  AgentList,
  Availability,
  AvailabilityBody,
  Login,
  LoginBody,
  Message,
  Note,
  NoteBody,
  PasswordChangeBody,
  ReplyBody,
  SessionAgent,
  StatusBody,
  Ticket,
  TicketPage,
  TicketStatus,
  TicketThread,
  TransferBody,
} from '@whatsapp-helpdesk/contract/api';

/** An error answer of the API: HTTP status, the API's code (e.g. forbidden) and its message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const isForm = body instanceof FormData;
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(method === 'GET' ? {} : { 'x-requested-with': 'helpdesk-console' }),
      ...(body !== undefined && !isForm ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
  });
  if (response.status === 204) return undefined as T;
  const data = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
  if (!response.ok)
    throw new ApiError(response.status, data.error ?? 'error', data.message ?? response.statusText);
  return data as T;
}

// Every shape the console reads or sends comes from the contract's zod schemas (types only: no
// schema code is bundled into the console).
export type {
  Agent as Me,
  AgentDirectoryEntry as AgentEntry,
  Attachment,
  Availability,
  Message,
  Note,
  Person,
  SessionAgent,
  Ticket,
  TicketAction,
  TicketEvent,
  TicketStatus,
  TicketThread as Thread,
} from '@whatsapp-helpdesk/contract/api';

export const api = {
  session: () => request<SessionAgent>('GET', '/api/auth/session'),
  login: (email: string, password: string) =>
    request<Login>('POST', '/api/auth/login', { email, password } satisfies LoginBody),
  logout: () => request<void>('POST', '/api/auth/logout'),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<void>('POST', '/api/auth/password', {
      currentPassword,
      newPassword,
    } satisfies PasswordChangeBody),
  me: () => request<Agent>('GET', '/api/me'),
  setAvailability: (availability: Availability) =>
    request<Agent>('PUT', '/api/me/availability', { availability } satisfies AvailabilityBody),
  agents: () => request<AgentList>('GET', '/api/agents'),
  tickets: (query: URLSearchParams) => request<TicketPage>('GET', `/api/tickets?${query.toString()}`),
  thread: (id: string) => request<TicketThread>('GET', `/api/tickets/${id}`),
  reply: (id: string, text: string, file: File | null) => {
    if (!file) return request<Message>('POST', `/api/tickets/${id}/messages`, { text } satisfies ReplyBody);
    const form = new FormData();
    if (text.trim()) form.set('text', text);
    form.set('file', file, file.name);
    return request<Message>('POST', `/api/tickets/${id}/messages`, form);
  },
  note: (id: string, body: string) =>
    request<Note>('POST', `/api/tickets/${id}/notes`, { body } satisfies NoteBody),
  setStatus: (id: string, status: TicketStatus) =>
    request<Ticket>('POST', `/api/tickets/${id}/status`, { status } satisfies StatusBody),
  transfer: (id: string, agentId: string | null) =>
    request<Ticket>('POST', `/api/tickets/${id}/transfer`, { agentId } satisfies TransferBody),
};
