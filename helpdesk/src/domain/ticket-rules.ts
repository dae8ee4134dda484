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
 * closed is final for agents (a customer writing again opens a new ticket), but an admin may reopen
 * it. Resolving frees the assignee's capacity (only open and pending tickets count).
 *
 * Snooze: a ticket set pending with a time (`snoozeUntil`) returns to open by itself at that time;
 * an open or pending ticket may be snoozed (a pending one snoozed again), and any other status
 * change ends the snooze.
 */

import { SNOOZE_MAX_DAYS, type TicketStatus } from '@whatsapp-helpdesk/contract/api';

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

/** What admins may do beyond TRANSITIONS: reopen a closed ticket. */
const ADMIN_TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  open: [],
  pending: [],
  resolved: [],
  closed: ['open'],
};

/**
 * The statuses a ticket in `from` may move to.
 * @param role who asks (default `agent`): admins may also reopen a closed ticket.
 */
export function allowedStatusChanges(
  from: TicketStatus,
  role: Actor['role'] = 'agent',
): readonly TicketStatus[] {
  return role === 'admin' ? [...TRANSITIONS[from], ...ADMIN_TRANSITIONS[from]] : TRANSITIONS[from];
}

/** True when a ticket in `status` may be snoozed (set pending until a time). */
export function canSnooze(status: TicketStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

/** The latest a ticket may be snoozed to, counted from the request, ms. */
export const SNOOZE_MAX_MS = SNOOZE_MAX_DAYS * 24 * 3_600_000;

/**
 * Checks a requested snooze time.
 * @param to the requested status (a snooze goes with `pending` only).
 * @param snoozeUntil the requested time, or undefined for no snooze.
 * @param now the time of the request.
 * @returns what is wrong with `snoozeUntil` (e.g. "must be in the future"), or null when it is fine.
 */
export function snoozeProblem(to: TicketStatus, snoozeUntil: Date | undefined, now: Date): string | null {
  if (snoozeUntil === undefined) return null;
  if (to !== 'pending') return `only with status "pending" (not "${to}")`;
  if (Number.isNaN(snoozeUntil.getTime())) return 'must be an ISO 8601 date-time';
  if (snoozeUntil.getTime() <= now.getTime()) return 'must be in the future';
  if (snoozeUntil.getTime() - now.getTime() > SNOOZE_MAX_MS) {
    return `must be at most ${SNOOZE_MAX_DAYS} days ahead`;
  }
  return null;
}

export type StatusChange =
  | {
      ok: true;
      /**
       * Fields to write with the new status (undefined: leave as is). `snoozedUntil` is always
       * set: the snooze time, or null (any other change ends a snooze).
       */
      set: { resolvedAt?: Date | null; closedAt?: Date | null; snoozedUntil: Date | null };
      /** The ticket stops counting against its assignee's capacity. */
      freesCapacity: boolean;
    }
  | { ok: false; reason: string };

/**
 * Decides a status change.
 * @param ticket the current status and resolution time.
 * @param to the requested status.
 * @param now the time of the change.
 * @param options.role who asks (default `agent`): admins may reopen a closed ticket.
 * @param options.snoozeUntil with `to` pending: when the ticket returns to open by itself (checked
 *   first with `snoozeProblem`); a pending ticket may be snoozed again.
 * @returns the fields to write, or why the change is refused.
 */
export function decideStatusChange(
  ticket: { status: TicketStatus; resolvedAt: Date | null },
  to: TicketStatus,
  now: Date,
  options: { role?: Actor['role']; snoozeUntil?: Date } = {},
): StatusChange {
  const from = ticket.status;
  const snoozedUntil = to === 'pending' ? (options.snoozeUntil ?? null) : null;
  const allowed = allowedStatusChanges(from, options.role);
  const resnooze = from === 'pending' && to === 'pending' && snoozedUntil !== null;
  if (!allowed.includes(to) && !resnooze) {
    return {
      ok: false,
      reason:
        from === to
          ? `status: the ticket is already ${to}`
          : `status: a ${from} ticket cannot become ${to}` +
            (allowed.length
              ? ` (allowed: ${allowed.join(', ')})`
              : ' (closed is final; an admin may reopen it)'),
    };
  }
  const wasActive = ACTIVE_STATUSES.includes(from);
  const isActive = ACTIVE_STATUSES.includes(to);
  switch (to) {
    case 'resolved':
      return { ok: true, set: { resolvedAt: now, snoozedUntil: null }, freesCapacity: wasActive };
    case 'closed':
      // Closing an unresolved ticket also counts as its resolution (resolution time).
      return {
        ok: true,
        set: { closedAt: now, resolvedAt: ticket.resolvedAt ?? now, snoozedUntil: null },
        freesCapacity: wasActive,
      };
    default:
      return {
        ok: true,
        set: wasActive
          ? { snoozedUntil }
          : { resolvedAt: null, ...(from === 'closed' ? { closedAt: null } : {}), snoozedUntil },
        freesCapacity: wasActive && !isActive,
      };
  }
}

/** Whole seconds from `from` to `to`, or null when either is missing. */
export function secondsBetween(from: Date | null, to: Date | null): number | null {
  if (!from || !to) return null;
  return Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
}
