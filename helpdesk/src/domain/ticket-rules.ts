/**
 * What an agent may do with a ticket, and how its status may move (SPEC section 5, "Agents' API").
 * Pure rules: the ticket services apply them under the database's guards.
 *
 * Who:
 * - read (thread, notes, attachments, add a note): admins; the assignee; any agent while the
 *   ticket waits unassigned (so the queue can be looked at and claimed).
 * - work (reply, change status): admins and the assignee.
 * - transfer: admins to anyone; the assignee to another agent or back to the queue; any agent may
 *   claim a waiting (unassigned) ticket for themselves.
 *
 * Status: open ⇄ pending; open or pending → resolved or closed; resolved → open (reopen) or closed;
 * closed is final (a customer writing again opens a new ticket). Resolving frees the assignee's
 * capacity (only open and pending tickets count).
 */

import type { TicketStatus } from '@whatsapp-helpdesk/contract/api';

export { TICKET_STATUSES, type TicketStatus } from '@whatsapp-helpdesk/contract/api';

/** Statuses that count against an agent's capacity and keep a ticket in the inbox. */
export const ACTIVE_STATUSES: readonly TicketStatus[] = ['open', 'pending'];

export interface Actor {
  id: string;
  role: 'agent' | 'admin';
}

export interface TicketAccessFacts {
  assigneeId: string | null;
}

/** True when the actor may see the ticket's thread, notes and attachments. */
export function canReadTicket(actor: Actor, ticket: TicketAccessFacts): boolean {
  return actor.role === 'admin' || ticket.assigneeId === null || ticket.assigneeId === actor.id;
}

/** True when the actor may reply to the ticket and change its status. */
export function canWorkTicket(actor: Actor, ticket: TicketAccessFacts): boolean {
  return actor.role === 'admin' || (ticket.assigneeId !== null && ticket.assigneeId === actor.id);
}

/**
 * True when the actor may move the ticket to `toAgentId` (null: back to the waiting queue).
 */
export function canTransferTicket(
  actor: Actor,
  ticket: TicketAccessFacts,
  toAgentId: string | null,
): boolean {
  if (actor.role === 'admin') return true;
  if (ticket.assigneeId === actor.id) return true;
  return ticket.assigneeId === null && toAgentId === actor.id;
}

const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  open: ['pending', 'resolved', 'closed'],
  pending: ['open', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: [],
};

/** The statuses a ticket in `from` may move to. */
export function allowedStatusChanges(from: TicketStatus): readonly TicketStatus[] {
  return TRANSITIONS[from];
}

export type StatusChange =
  | {
      ok: true;
      /** Fields to write with the new status (undefined: leave as is). */
      set: { resolvedAt?: Date | null; closedAt?: Date | null };
      /** The ticket stops counting against its assignee's capacity. */
      freesCapacity: boolean;
    }
  | { ok: false; reason: string };

/**
 * Decides a status change.
 * @param ticket the current status and resolution time.
 * @param to the requested status.
 * @param now the time of the change.
 * @returns the timestamps to write, or why the change is refused.
 */
export function decideStatusChange(
  ticket: { status: TicketStatus; resolvedAt: Date | null },
  to: TicketStatus,
  now: Date,
): StatusChange {
  const from = ticket.status;
  if (!TRANSITIONS[from].includes(to)) {
    const allowed = TRANSITIONS[from];
    return {
      ok: false,
      reason:
        from === to
          ? `status: the ticket is already ${to}`
          : `status: a ${from} ticket cannot become ${to}` +
            (allowed.length ? ` (allowed: ${allowed.join(', ')})` : ' (closed is final)'),
    };
  }
  const wasActive = ACTIVE_STATUSES.includes(from);
  const isActive = ACTIVE_STATUSES.includes(to);
  switch (to) {
    case 'resolved':
      return { ok: true, set: { resolvedAt: now }, freesCapacity: wasActive };
    case 'closed':
      // Closing an unresolved ticket also counts as its resolution (resolution time).
      return {
        ok: true,
        set: { closedAt: now, resolvedAt: ticket.resolvedAt ?? now },
        freesCapacity: wasActive,
      };
    default:
      return { ok: true, set: wasActive ? {} : { resolvedAt: null }, freesCapacity: wasActive && !isActive };
  }
}

/** Whole seconds from `from` to `to`, or null when either is missing. */
export function secondsBetween(from: Date | null, to: Date | null): number | null {
  if (!from || !to) return null;
  return Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
}
