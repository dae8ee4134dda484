/**
 * The satisfaction survey's rows (CSAT, issue 16): the question queued as a bot message once per
 * ticket (`tickets.csat_requested_at`), and the resolved ticket a rating answers, locked inside the
 * inbound transaction. The rating itself is written with the inbound message
 * (store/inbound-messages.ts, `csat` of a TicketStateRow).
 */
import { insertTicketEvents } from './ticket-events';
import { TICKET_COLUMNS, ticketFromJson, type TicketRow } from './inbound-tickets';
import { row, transaction, type Queryable } from './sql';
import type { DatabaseTransaction } from './inbound-database';
import type { Pool } from './database';

/** What deciding on the question needs to know about a ticket. */
export interface CsatTicketFacts {
  id: string;
  number: number;
  status: string;
  channel: string;
  provider: string;
  language: string | null;
  lastInboundAt: Date | null;
  csatRequestedAt: Date | null;
}

/** The ticket's facts for the question, or null when there is no such ticket. */
export async function readCsatFacts(db: Queryable, ticketId: string): Promise<CsatTicketFacts | null> {
  return row<CsatTicketFacts>(
    db,
    `SELECT id, number, status, channel, provider, language, last_inbound_at AS "lastInboundAt",
            csat_requested_at AS "csatRequestedAt"
       FROM tickets WHERE id = $1`,
    [ticketId],
  );
}

/** The question as a queued bot message. */
export interface CsatQuestionMessage {
  id: string;
  /** `interactive`: a list on the Cloud API, numbered text on WPPConnect. */
  type: string;
  /** The question as numbered text (what agents read in the thread). */
  text: string;
  raw: unknown;
}

/**
 * Marks the ticket asked and queues the question, in one transaction: only a resolved ticket never
 * asked before is marked, so two resolutions (or two racing requests) ask once.
 * @returns true when the question was queued; false when the ticket was asked before or is no longer
 *   resolved (nothing written).
 */
export async function queueCsatQuestion(
  pool: Pool,
  ticket: { id: string; channel: string; provider: string },
  message: CsatQuestionMessage,
  at: Date,
): Promise<boolean> {
  return transaction(pool, async (client) => {
    const marked = await row<{ id: string }>(
      client,
      `UPDATE tickets SET csat_requested_at = $2
        WHERE id = $1 AND status = 'resolved' AND csat_requested_at IS NULL RETURNING id`,
      [ticket.id, at],
    );
    if (!marked) return false;
    await client.query(
      `INSERT INTO messages (id, ticket_id, channel, provider, direction, author, type, text, raw,
                             delivery_status, sent_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'outbound', 'bot', $5, $6, $7, 'queued', $8, $8, $8)`,
      [
        message.id,
        ticket.id,
        ticket.channel,
        ticket.provider,
        message.type,
        message.text,
        JSON.stringify(message.raw),
        at,
      ],
    );
    return true;
  });
}

/** Records why the question was not sent (`csat_skipped` `{ reason }`). */
export async function recordCsatSkipped(
  db: Queryable,
  ticketId: string,
  reason: string,
  at: Date,
): Promise<void> {
  await insertTicketEvents(db, [
    { ticketId, type: 'csat_skipped', agentId: null, data: { reason }, createdAt: at },
  ]);
}

/** A resolved ticket whose rating question is open, as the inbound pipeline reads it. */
export interface CsatAwaitingTicket extends TicketRow {
  csatRequestedAt: Date | null;
  csatAnsweredAt: Date | null;
}

/**
 * The ticket `ticketId` locked (FOR UPDATE) when it is resolved and asked but not yet answered, with
 * its question time, or null. The caller checks the question's age (domain/csat.ts).
 */
export async function lockCsatAwaitingTicket(
  transaction: DatabaseTransaction,
  ticketId: string,
): Promise<CsatAwaitingTicket | null> {
  const found = await row<CsatAwaitingTicket>(
    transaction,
    `SELECT ${TICKET_COLUMNS}, csat_requested_at AS "csatRequestedAt", csat_answered_at AS "csatAnsweredAt"
       FROM tickets
      WHERE id = $1 AND status = 'resolved' AND csat_requested_at IS NOT NULL AND csat_answered_at IS NULL
        FOR UPDATE`,
    [ticketId],
    'ingest-lock-csat-ticket',
  );
  return found ? { ...found, ...ticketFromJson(found) } : null;
}
