/**
 * The console's calls to the agents' API. The session travels in the HttpOnly cookie the login
 * sets; every change sends `X-Requested-With` (the API's CSRF rule). Errors become ApiError with
 * the API's code and message.
 */
import type {
  ApiKey,
  ApiKeyCreateBody,
  ApiKeyCreated,
  ApiKeyList,
  OutgoingWebhook,
  OutgoingWebhookCreateBody,
  OutgoingWebhookCreated,
  OutgoingWebhookList,
  WebhookDeliveryList,
} from '@whatsapp-helpdesk/contract/api';
import type {
  Agent,
  AgentChangesBody,
  AuditPage,
  LiveQueue,
  AgentList,
  PasswordResetBody,
  TeamChangesBody,
  TeamCreateBody,
  SlaPolicy,
  SlaPolicyChangesBody,
  SlaPolicyCreateBody,
  SlaPolicyList,
  AutoReplyRule,
  AutoReplyRuleChangesBody,
  AutoReplyRuleCreateBody,
  AutoReplyRuleList,
  Availability,
  AvailabilityBody,
  CannedResponse,
  CannedResponseChangesBody,
  CannedResponseList,
  NewCannedResponseBody,
  Customer,
  CustomerChangesBody,
  CustomerHistory,
  CustomerMediaList,
  Label,
  LabelChangesBody,
  LabelCreateBody,
  TicketCategoryBody,
  TicketLabelsBody,
  LabelList,
  Login,
  LoginBody,
  Message,
  Note,
  NoteBody,
  PasswordChangeBody,
  ReplyBody,
  ScheduledMessage,
  ScheduledMessageChangesBody,
  ScheduledMessageCreateBody,
  ScheduledMessageList,
  Broadcast,
  BroadcastCreateBody,
  BroadcastCreated,
  BroadcastRecipient,
  MessageTemplateList,
  TemplateSend,
  TemplateSyncResult,
  SearchResult,
  SessionAgent,
  StatusBody,
  Ticket,
  TicketCategoryList,
  TicketCounts,
  TicketPage,
  TicketStatus,
  TicketThread,
  TransferBody,
} from '@whatsapp-helpdesk/contract/api';
import type {
  ChannelChangesBody,
  ChannelQr,
  ChannelTestResult,
  ChannelView,
  NewChannelBody,
  Team,
} from './channel-types';

/** `POST /api/agents` body (the password follows the strength rule, checked by the server). */
export interface NewAgentBody {
  name: string;
  email: string;
  password: string;
  capacity: number;
  role: 'agent' | 'admin';
}

/** An error answer of the API: HTTP status, the API's code (e.g. forbidden) and its message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The API's `details`, e.g. `{ fields: [{ field, problem }] }` for validation_failed. */
    readonly details?: unknown,
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
  const data = (await response.json().catch(() => ({}))) as {
    error?: string;
    message?: string;
    details?: unknown;
  };
  if (!response.ok)
    throw new ApiError(
      response.status,
      data.error ?? 'error',
      data.message ?? response.statusText,
      data.details,
    );
  return data as T;
}

// Every shape the console reads or sends comes from the contract's zod schemas (types only: no
// schema code is bundled into the console).
export type {
  CustomerHistory,
  CustomerMediaItem,
  Agent as Me,
  AgentDirectoryEntry as AgentEntry,
  Attachment,
  Availability,
  Label,
  Message,
  Note,
  Person,
  SearchHit,
  SessionAgent,
  Ticket,
  TicketAction,
  TicketCategory,
  TicketCounts,
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
  /** A text reply (or a file with it); `replyTo`: our id of the message it quotes (null: none). */
  reply: (id: string, text: string, file: File | null, replyTo: string | null = null) => {
    if (!file) {
      const body: ReplyBody = replyTo ? { text, replyTo } : { text };
      return request<Message>('POST', `/api/tickets/${id}/messages`, body);
    }
    const form = new FormData();
    if (text.trim()) form.set('text', text);
    if (replyTo) form.set('replyTo', replyTo);
    form.set('file', file, file.name);
    return request<Message>('POST', `/api/tickets/${id}/messages`, form);
  },
  note: (id: string, body: string) =>
    request<Note>('POST', `/api/tickets/${id}/notes`, { body } satisfies NoteBody),
  setStatus: (id: string, status: TicketStatus) =>
    request<Ticket>('POST', `/api/tickets/${id}/status`, { status } satisfies StatusBody),
  transfer: (id: string, agentId: string | null) =>
    request<Ticket>('POST', `/api/tickets/${id}/transfer`, { agentId } satisfies TransferBody),
  /** To a team: unassigned, then given to the team's least-loaded free member (or waits). */
  transferToTeam: (id: string, teamId: string) =>
    request<Ticket>('POST', `/api/tickets/${id}/transfer`, { teamId } satisfies TransferBody),
  // The open ticket (helper G): snooze, and sending a failed reply again.
  /** Pending until `snoozeUntil` (ISO, future), then open again by itself. */
  snooze: (id: string, snoozeUntil: string) =>
    request<Ticket>('POST', `/api/tickets/${id}/status`, {
      status: 'pending',
      snoozeUntil,
    } satisfies StatusBody),
  /** Queues a failed outbound message again (202 with the message, now queued). */
  retryMessage: (ticketId: string, messageId: string) =>
    request<Message>('POST', `/api/tickets/${ticketId}/messages/${messageId}/retry`),
  // Inbox badges and read marks (shell and inbox).
  /** @param channel only the tickets of this channel (its key), when given. */
  ticketCounts: (channel?: string) =>
    request<TicketCounts>(
      'GET',
      channel ? `/api/tickets/counts?${new URLSearchParams({ channel }).toString()}` : '/api/tickets/counts',
    ),
  markRead: (id: string) => request<void>('POST', `/api/tickets/${id}/read`),
  labels: () => request<LabelList>('GET', '/api/labels'),
  ticketCategories: () => request<TicketCategoryList>('GET', '/api/ticket-categories'),
  search: (q: string, limit = 20) =>
    request<SearchResult>(
      'GET',
      `/api/search?${new URLSearchParams({ q, limit: String(limit) }).toString()}`,
    ),
  // Canned responses and the composer's file replies (helper D).
  cannedResponses: () => request<CannedResponseList>('GET', '/api/canned-responses'),
  createCannedResponse: (body: NewCannedResponseBody) =>
    request<CannedResponse>('POST', '/api/canned-responses', body),
  updateCannedResponse: (id: string, changes: CannedResponseChangesBody) =>
    request<CannedResponse>('PATCH', `/api/canned-responses/${id}`, changes),
  deleteCannedResponse: (id: string) => request<void>('DELETE', `/api/canned-responses/${id}`),
  /**
   * One file as a reply; `caption` (optional) goes with it; `asVoice` sends audio as a voice note;
   * `replyTo`: our id of the message it quotes.
   */
  replyWithFile: (
    id: string,
    file: File,
    caption: string | null,
    asVoice: boolean,
    replyTo: string | null = null,
  ) => {
    const form = new FormData();
    if (caption?.trim()) form.set('text', caption);
    if (asVoice) form.set('asVoice', 'true');
    if (replyTo) form.set('replyTo', replyTo);
    form.set('file', file, file.name);
    return request<Message>('POST', `/api/tickets/${id}/messages`, form);
  },
  // Message templates (issue 17, W7): the picker, the admin page and the template reply.
  /** @param channel one channel's templates (its key); every Cloud API channel's when absent. */
  templates: (channel?: string) =>
    request<MessageTemplateList>(
      'GET',
      channel ? `/api/templates?${new URLSearchParams({ channel }).toString()}` : '/api/templates',
    ),
  /** Admins: reads the channel's templates from Meta again. */
  syncTemplates: (channelId: string) =>
    request<TemplateSyncResult>('POST', `/api/channels/${channelId}/templates/sync`),
  /** Sends an approved template (allowed outside the Cloud API's 24-hour window). */
  replyWithTemplate: (id: string, template: TemplateSend) =>
    request<Message>('POST', `/api/tickets/${id}/messages`, { template } satisfies ReplyBody),
  // The customer panel and the labels admin page (helper C).
  customer: (id: string) => request<CustomerHistory>('GET', `/api/customers/${id}`),
  updateCustomer: (id: string, changes: CustomerChangesBody) =>
    request<Customer>('PATCH', `/api/customers/${id}`, changes),
  customerMedia: (id: string, limit = 30) =>
    request<CustomerMediaList>('GET', `/api/customers/${id}/media?limit=${limit}`),
  // Scheduled messages and refill reminders (issue 17, helper W8).
  scheduledMessages: (customerId: string) =>
    request<ScheduledMessageList>('GET', `/api/customers/${customerId}/scheduled-messages`),
  scheduleMessage: (ticketId: string, body: ScheduledMessageCreateBody) =>
    request<ScheduledMessage>('POST', `/api/tickets/${ticketId}/scheduled-messages`, body),
  changeScheduledMessage: (id: string, changes: ScheduledMessageChangesBody) =>
    request<ScheduledMessage>('PATCH', `/api/scheduled-messages/${id}`, changes),
  cancelScheduledMessage: (id: string) =>
    request<ScheduledMessage>('DELETE', `/api/scheduled-messages/${id}`),
  // Broadcasts (issue 17, helper X1; admins).
  broadcasts: () => request<{ items: Broadcast[] }>('GET', '/api/broadcasts'),
  broadcast: (id: string) => request<Broadcast>('GET', `/api/broadcasts/${id}`),
  broadcastRecipients: (id: string) =>
    request<{ items: BroadcastRecipient[] }>('GET', `/api/broadcasts/${id}/recipients`),
  createBroadcast: (body: BroadcastCreateBody) => request<BroadcastCreated>('POST', '/api/broadcasts', body),
  broadcastAction: (id: string, action: 'start' | 'pause' | 'resume' | 'cancel') =>
    request<Broadcast>('POST', `/api/broadcasts/${id}/${action}`),
  setTicketLabels: (id: string, labelIds: string[]) =>
    request<Ticket>('PUT', `/api/tickets/${id}/labels`, { labelIds } satisfies TicketLabelsBody),
  setTicketCategory: (id: string, category: string | null) =>
    request<Ticket>('PUT', `/api/tickets/${id}/category`, { category } satisfies TicketCategoryBody),
  createLabel: (body: LabelCreateBody) => request<Label>('POST', '/api/labels', body),
  updateLabel: (id: string, changes: LabelChangesBody) =>
    request<Label>('PATCH', `/api/labels/${id}`, changes),
  deleteLabel: (id: string) => request<void>('DELETE', `/api/labels/${id}`),
  // WhatsApp numbers (channels) and teams (helper H3; INTERFACES B).
  channels: () => request<ChannelView[]>('GET', '/api/channels'),
  createChannel: (body: NewChannelBody) => request<ChannelView>('POST', '/api/channels', body),
  updateChannel: (id: string, changes: ChannelChangesBody) =>
    request<ChannelView>('PATCH', `/api/channels/${id}`, changes),
  deleteChannel: (id: string) => request<void>('DELETE', `/api/channels/${id}`),
  /** The QR to scan while the channel's state is `qr` (409 `not_waiting_for_scan` otherwise). */
  channelQr: (id: string) => request<ChannelQr>('GET', `/api/channels/${id}/qr`),
  /** Closes the session and starts it again (a new QR when it is no longer paired). */
  restartChannel: (id: string) => request<ChannelView>('POST', `/api/channels/${id}/restart`),
  logoutChannel: (id: string) => request<ChannelView>('POST', `/api/channels/${id}/logout`),
  testChannel: (id: string) => request<ChannelTestResult>('POST', `/api/channels/${id}/test`),
  teams: () => request<Team[]>('GET', '/api/teams'),
  // Agents and teams admin pages (helper W1).
  createAgent: (body: NewAgentBody) => request<Agent>('POST', '/api/agents', body),
  updateAgent: (id: string, changes: AgentChangesBody) =>
    request<Agent>('PATCH', `/api/agents/${id}`, changes),
  resetAgentPassword: (id: string, password: string) =>
    request<void>('POST', `/api/agents/${id}/password`, { password } satisfies PasswordResetBody),
  createTeam: (body: TeamCreateBody) => request<Team>('POST', '/api/teams', body),
  updateTeam: (id: string, changes: TeamChangesBody) => request<Team>('PATCH', `/api/teams/${id}`, changes),
  deleteTeam: (id: string) => request<void>('DELETE', `/api/teams/${id}`),
  // Response-time targets admin page (helper W5).
  slaPolicies: () => request<SlaPolicyList>('GET', '/api/sla-policies'),
  createSlaPolicy: (body: SlaPolicyCreateBody) => request<SlaPolicy>('POST', '/api/sla-policies', body),
  updateSlaPolicy: (id: string, changes: SlaPolicyChangesBody) =>
    request<SlaPolicy>('PATCH', `/api/sla-policies/${id}`, changes),
  deleteSlaPolicy: (id: string) => request<void>('DELETE', `/api/sla-policies/${id}`),
  // Integrations admin page (helper X3): API keys and outgoing webhooks.
  apiKeys: () => request<ApiKeyList>('GET', '/api/api-keys'),
  createApiKey: (body: ApiKeyCreateBody) => request<ApiKeyCreated>('POST', '/api/api-keys', body),
  revokeApiKey: (id: string) => request<ApiKey>('DELETE', `/api/api-keys/${id}`),
  outgoingWebhooks: () => request<OutgoingWebhookList>('GET', '/api/webhooks'),
  createOutgoingWebhook: (body: OutgoingWebhookCreateBody) =>
    request<OutgoingWebhookCreated>('POST', '/api/webhooks', body),
  updateOutgoingWebhook: (id: string, changes: { enabled?: boolean }) =>
    request<OutgoingWebhook>('PATCH', `/api/webhooks/${id}`, changes),
  deleteOutgoingWebhook: (id: string) => request<void>('DELETE', `/api/webhooks/${id}`),
  webhookDeliveries: (id: string) => request<WebhookDeliveryList>('GET', `/api/webhooks/${id}/deliveries`),
  // Auto-replies admin page (helper X2).
  autoReplies: () => request<AutoReplyRuleList>('GET', '/api/auto-replies'),
  createAutoReply: (body: AutoReplyRuleCreateBody) =>
    request<AutoReplyRule>('POST', '/api/auto-replies', body),
  updateAutoReply: (id: string, changes: AutoReplyRuleChangesBody) =>
    request<AutoReplyRule>('PATCH', `/api/auto-replies/${id}`, changes),
  deleteAutoReply: (id: string) => request<void>('DELETE', `/api/auto-replies/${id}`),
  // Live queue and audit log admin pages (helper W2).
  liveQueue: () => request<LiveQueue>('GET', '/api/queue'),
  audit: (query: URLSearchParams) => request<AuditPage>('GET', `/api/audit?${query.toString()}`),
};
