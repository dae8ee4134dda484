/**
 * A ticket's category as agents change it: the new value and its `classified` audit event, written
 * together in one transaction under the ticket's row lock.
 */
import type pg from 'pg';
import { row, transaction } from './sql';
import { insertTicketEvents } from './ticket-events';

/** What a category change did. */
export type CategoryChange =
  | { found: false }
  | {
      found: true;
      /** The category before (null: none). */
      from: string | null;
      /** False when the ticket already had this category (nothing written). */
      changed: boolean;
    };

/**
 * Sets a ticket's category and records `classified` `{ category, from, by: "agent" }` (the bot's
 * choice is `{ category, by: "bot" }`) by `agentId`,
 * unless it already has that category.
 * @param category a category id (checked by the caller) or null for none.
 */
export async function setTicketCategory(
  pool: pg.Pool,
  change: { ticketId: string; category: string | null; agentId: string; at: Date },
): Promise<CategoryChange> {
  return transaction(pool, async (client) => {
    const current = await row<{ category: string | null }>(
      client,
      'SELECT category FROM tickets WHERE id = $1 FOR UPDATE',
      [change.ticketId],
    );
    if (!current) return { found: false };
    if (current.category === change.category) return { found: true, from: current.category, changed: false };
    await client.query('UPDATE tickets SET category = $2, updated_at = $3 WHERE id = $1', [
      change.ticketId,
      change.category,
      change.at,
    ]);
    await insertTicketEvents(client, [
      {
        ticketId: change.ticketId,
        type: 'classified',
        agentId: change.agentId,
        data: { category: change.category, from: current.category, by: 'agent' },
        createdAt: change.at,
      },
    ]);
    return { found: true, from: current.category, changed: true };
  });
}
