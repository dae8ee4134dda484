/**
 * The inbox's badges for one agent: their open and pending tickets, the waiting queue, and what
 * they have not read yet.
 */
import { ACTIVE_STATUSES, type Actor } from '../../domain/ticket-rules';
import type { Deps } from '../../context';
import { countInbox, type InboxCounts } from '../../store/ticket-reads';

/**
 * @param channel only this channel's tickets (its key: session name or phone number id); all when absent.
 * @returns mine: the actor's open and pending tickets; unassigned: open and pending tickets nobody
 *   has (the unassigned view); unreadTickets: the actor's open and pending tickets with customer
 *   messages they have not read; unreadMessages: how many such messages in all.
 */
export async function countTicketsForAgent(
  db: Deps['pool'],
  actor: Actor,
  channel?: string,
): Promise<InboxCounts> {
  return countInbox(db, actor.id, ACTIVE_STATUSES, channel ?? null);
}
