/**
 * Realtime events for the agents' consoles: what happened to which ticket, and who may see it.
 * Events are small notices (ids and the changed value); consoles fetch the details through the API.
 */

export const REALTIME_EVENT_TYPES = [
  /** A message was stored on a ticket (inbound from the customer, or outbound by an agent or the bot). */
  'message.created',
  /** An outbound message's delivery status changed (sent, delivered, read, failed). */
  'message.status',
  /**
   * A stored message changed: the customer edited or deleted it, or reacted to it (ours or
   * theirs). `{ messageId, change }`, change edit|deletion|reaction; consoles re-read the message.
   */
  'message.updated',
  /** A ticket was assigned, transferred or returned to the waiting queue. */
  'ticket.assigned',
  /** A ticket's status changed (open, pending, resolved, closed). */
  'ticket.status',
  /** An internal note was added. */
  'ticket.note',
  /** A ticket's category or labels changed (`{ category, previousCategory }` or `{ labelIds }`). */
  'ticket.updated',
  /**
   * An agent's availability changed without them choosing it (`{ agentId, availability, reason }`,
   * reason `no_console`: no open console for longer than AGENT_PRESENCE_GRACE_MS); sent to that
   * agent. Not about a ticket: ticketId and ticketNumber are null.
   */
  'agent.availability',
  /**
   * A channel's (a WhatsApp number's) state changed (`{ channelId, channel, name, provider, state,
   * phone, since, detail }`, channel = the key: session or phone number id, state
   * starting|qr|connected|disconnected|logged_out|error|unknown; only when the stored state
   * changed); sent to everyone. Not about a ticket: ticketId and ticketNumber are null.
   */
  'channel.state',
  /**
   * An admin added, renamed, recoloured or deleted a label (`{ labelId, change }`, change
   * created|updated|deleted); sent to everyone, so open consoles reload their labels. Not about a
   * ticket: ticketId and ticketNumber are null.
   */
  'labels.changed',
] as const;
export type RealtimeEventType = (typeof REALTIME_EVENT_TYPES)[number];

/** Who receives an event besides admins, who receive every event. */
export interface Audience {
  /** Agents concerned: the assignee, and the previous one on a transfer. */
  agentIds: string[];
  /** Every agent (the ticket waits unassigned, so anyone may pick it up). */
  everyone: boolean;
}

export interface RealtimeEvent {
  type: RealtimeEventType;
  /** The ticket concerned; null for events about something else (e.g. `agent.availability`). */
  ticketId: string | null;
  ticketNumber: number | null;
  /** Event-specific values, e.g. `{ messageId, direction }` or `{ status, previousStatus }`. */
  data: Record<string, unknown>;
  audience: Audience;
  /** ISO 8601 time of publication. */
  at: string;
}

/** An event as read back from the log, with its position (the SSE event id). */
export interface LoggedEvent {
  /** Redis stream id, e.g. `1732233600000-0`; increases with every event. */
  id: string;
  event: RealtimeEvent;
}

/** True when `agent` receives `event` on their stream. */
export function isVisibleTo(event: RealtimeEvent, agent: { id: string; role: 'agent' | 'admin' }): boolean {
  return agent.role === 'admin' || event.audience.everyone || event.audience.agentIds.includes(agent.id);
}

/** The audience of an event about a ticket with this assignee (null: waiting, everyone sees it). */
export function audienceOf(assigneeId: string | null, alsoAgentIds: Array<string | null> = []): Audience {
  const agentIds = [assigneeId, ...alsoAgentIds].filter((id): id is string => typeof id === 'string');
  return { agentIds: [...new Set(agentIds)], everyone: assigneeId === null };
}

/**
 * Compares two stream ids (`<ms>-<seq>`).
 * @returns negative when a < b, 0 when equal, positive when a > b.
 */
export function compareEventIds(a: string, b: string): number {
  const [aMs = 0n, aSeq = 0n] = a.split('-').map((part) => BigInt(part));
  const [bMs = 0n, bSeq = 0n] = b.split('-').map((part) => BigInt(part));
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  return aSeq === bSeq ? 0 : aSeq < bSeq ? -1 : 1;
}

/** True for a well-formed stream id such as `1732233600000-0`. */
export function isEventId(value: string): boolean {
  return /^\d{1,20}-\d{1,20}$/.test(value);
}
