/**
 * The console's calls to the agents' API. The session travels in the HttpOnly cookie the login
 * sets; every change sends `X-Requested-With` (the API's CSRF rule). Errors become ApiError with
 * the API's code and message.
 */

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

export type TicketStatus = 'open' | 'pending' | 'resolved' | 'closed';
export type Availability = 'online' | 'away' | 'offline';

export interface Person {
  id: string;
  name: string;
}

export interface SessionAgent {
  id: string;
  name: string;
  email: string;
  role: 'agent' | 'admin';
}

export interface Me extends SessionAgent {
  availability: Availability;
  capacity: number;
  openTickets: number;
}

export interface Ticket {
  id: string;
  number: number;
  status: TicketStatus;
  category: string | null;
  customer: { id: string; name: string | null; phone: string | null; lid: string | null };
  assignee: Person | null;
  openedAt: string;
  firstResponseSeconds: number | null;
  resolutionSeconds: number | null;
  lastMessage: { direction: string; author: string; type: string; preview: string | null; at: string } | null;
}

export interface Attachment {
  id: string;
  mimeType: string;
  size: number;
  filename: string | null;
  url: string;
}

export interface Message {
  id: string;
  direction: 'inbound' | 'outbound';
  author: 'customer' | 'agent' | 'bot' | 'system';
  agent: Person | null;
  type: string;
  text: string | null;
  caption: string | null;
  deliveryStatus: string;
  error: string | null;
  createdAt: string;
  attachments: Attachment[];
}

export interface Note {
  id: string;
  body: string;
  agent: Person | null;
  createdAt: string;
}

export interface TicketEvent {
  id: string;
  type: string;
  agent: Person | null;
  data: Record<string, unknown> | null;
  createdAt: string;
}

export interface Thread {
  ticket: Ticket;
  customer: { id: string; name: string | null; phone: string | null; tags: string[]; notes: string | null };
  messages: Message[];
  notes: Note[];
  events: TicketEvent[];
}

export interface AgentEntry {
  id: string;
  name: string;
  availability: Availability;
  active: boolean;
}

export const api = {
  session: () => request<SessionAgent>('GET', '/api/auth/session'),
  login: (email: string, password: string) =>
    request<{ agent: SessionAgent }>('POST', '/api/auth/login', { email, password }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<void>('POST', '/api/auth/password', { currentPassword, newPassword }),
  me: () => request<Me>('GET', '/api/me'),
  setAvailability: (availability: Availability) =>
    request<Me>('PUT', '/api/me/availability', { availability }),
  agents: () => request<{ items: AgentEntry[] }>('GET', '/api/agents'),
  tickets: (query: URLSearchParams) =>
    request<{ items: Ticket[]; nextCursor: string | null }>('GET', `/api/tickets?${query.toString()}`),
  thread: (id: string) => request<Thread>('GET', `/api/tickets/${id}`),
  reply: (id: string, text: string, file: File | null) => {
    if (!file) return request<Message>('POST', `/api/tickets/${id}/messages`, { text });
    const form = new FormData();
    if (text.trim()) form.set('text', text);
    form.set('file', file, file.name);
    return request<Message>('POST', `/api/tickets/${id}/messages`, form);
  },
  note: (id: string, body: string) => request<Note>('POST', `/api/tickets/${id}/notes`, { body }),
  setStatus: (id: string, status: TicketStatus) =>
    request<Ticket>('POST', `/api/tickets/${id}/status`, { status }),
  transfer: (id: string, agentId: string | null) =>
    request<Ticket>('POST', `/api/tickets/${id}/transfer`, { agentId }),
};
