/**
 * The inbox's page cursor: an opaque token naming the last ticket of a page in its sort order,
 * accepted back only in the exact form this API makes. newest/oldest: base64url of `n:<number>`;
 * activity: base64url of `a:<last customer activity, ms since 1970, empty when none>:<number>`.
 */
import type { TicketSort } from '@whatsapp-helpdesk/contract/api';
import { AppError } from '../../errors';

/** Where the next page starts: after this ticket. */
export interface TicketCursor {
  number: number;
  /** The ticket's `lastInboundAt` (activity order only; null: no customer message). */
  lastInboundAt: Date | null;
}

/** Ticket numbers are PostgreSQL integers: a larger one in a crafted cursor would fail the query. */
const MAX_TICKET_NUMBER = 2_147_483_647;
/** 9999-12-31: PostgreSQL compares any time up to then; a crafted year-275760 one would fail. */
const MAX_TIME_MS = 253_402_300_799_999;

/** The cursor after `ticket` in the `sort` order. */
export function encodeTicketCursor(
  sort: TicketSort,
  ticket: { number: number; lastInboundAt: Date | null },
): string {
  const text =
    sort === 'activity'
      ? `a:${ticket.lastInboundAt?.getTime() ?? ''}:${ticket.number}`
      : `n:${ticket.number}`;
  return Buffer.from(text).toString('base64url');
}

/**
 * The ticket a cursor names.
 * @throws AppError validation_failed for a cursor this API did not make for `sort`.
 */
export function decodeTicketCursor(sort: TicketSort, cursor: string): TicketCursor {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = sort === 'activity' ? /^a:(\d{0,15}):(\d{1,10})$/.exec(text) : /^n:()(\d{1,10})$/.exec(text);
  const number = match ? Number(match[2]) : NaN;
  const ms = match?.[1] ? Number(match[1]) : null;
  if (!(number <= MAX_TICKET_NUMBER) || (ms !== null && !(ms <= MAX_TIME_MS))) {
    throw new AppError('validation_failed', `cursor: is not a cursor this API returned for sort=${sort}`);
  }
  return { number, lastInboundAt: ms === null ? null : new Date(ms) };
}
