/**
 * What an agent may do with a ticket, as the API lists it in each ticket's `allowedActions` (the
 * server decides from the ticket rules and the requesting agent; the console shows what it lists).
 * No zod here: the console imports these constants without the schemas.
 */
import type { TicketStatus } from './ticket-vocabulary.ts';

export const TICKET_ACTIONS = [
  /** Send the customer a message (`POST /api/tickets/:id/messages`). */
  'reply',
  /** Add an internal note (`POST /api/tickets/:id/notes`). */
  'note',
  /** Take a waiting ticket for oneself (`POST /api/tickets/:id/transfer` with one's own id). */
  'claim',
  /** Give the ticket to another agent or back to the queue (`POST /api/tickets/:id/transfer`). */
  'transfer',
  /** Status changes (`POST /api/tickets/:id/status`): see STATUS_OF_ACTION. */
  'reopen',
  'pend',
  'resolve',
  'close',
  /**
   * Snooze: set the ticket pending until a time, after which it returns to open by itself
   * (`POST /api/tickets/:id/status` with `status: "pending"` and `snoozeUntil`). Offered on open
   * and pending tickets to those who may change their status.
   */
  'snooze',
] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

/**
 * The status each status action asks for (`reopen` is also pending → open, and closed → open for
 * admins).
 */
export const STATUS_OF_ACTION = {
  reopen: 'open',
  pend: 'pending',
  resolve: 'resolved',
  close: 'closed',
} as const satisfies Record<string, TicketStatus>;
export type StatusAction = keyof typeof STATUS_OF_ACTION;

/** The status actions, in the order the console shows them. */
export const STATUS_ACTIONS = Object.keys(STATUS_OF_ACTION) as StatusAction[];

/** The action that moves a ticket to `status`. */
export function actionForStatus(status: TicketStatus): StatusAction {
  return STATUS_ACTIONS.find((action) => STATUS_OF_ACTION[action] === status)!;
}

/** The latest a ticket may be snoozed to, counted from the request (days). */
export const SNOOZE_MAX_DAYS = 90;
