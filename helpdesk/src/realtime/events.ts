/**
 * Realtime events for the agents' consoles: what happened to which ticket, and who may see it.
 * Events are small notices (ids and the changed value); consoles fetch the details through the API.
 */

import type { RealtimeEventType } from '@whatsapp-helpdesk/contract/api';

/** The event types live in the contract (contract/src/api/stream.ts), shared with the console. */
export { REALTIME_EVENT_TYPES, type RealtimeEventType } from '@whatsapp-helpdesk/contract/api';

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
 * Compares two stream ids (`<ms>-<seq>`, decimal digits), as numbers: by the millisecond part, then
 * the sequence. Compared as digit strings (length, then text), not BigInt: every open stream
 * compares every event it is handed.
 * @returns negative when a < b, 0 when equal, positive when a > b.
 */
export function compareEventIds(a: string, b: string): number {
  const aDash = a.indexOf('-');
  const bDash = b.indexOf('-');
  const aMs = aDash < 0 ? a : a.slice(0, aDash);
  const bMs = bDash < 0 ? b : b.slice(0, bDash);
  return (
    compareDigits(aMs, bMs) ||
    compareDigits(aDash < 0 ? '0' : a.slice(aDash + 1), bDash < 0 ? '0' : b.slice(bDash + 1))
  );
}

/** Compares two non-negative decimal integers written as digits (leading zeros allowed). */
function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x === y ? 0 : x < y ? -1 : 1;
}

/** True for a well-formed stream id such as `1732233600000-0`. */
export function isEventId(value: string): boolean {
  return /^\d{1,20}-\d{1,20}$/.test(value);
}
