/**
 * Search everywhere, the SQL: tickets of any status by number, by their customer's phone or name,
 * and by the text of their messages. Names and message text are compared folded
 * (`search_normalise`, `message_search_text`: migration 20261128140000_search) with LIKE through
 * trigram (pg_trgm) GIN indexes: message text on `messages.search_text`, its folded text stored when
 * it is written (migration 20261130180000_message_search_text_column), customers on their folded name
 * and phone in `customer_search`, a table the customers' triggers keep, so the inbound path's
 * update of a customer at every message writes none of them (migration
 * 20261129223000_search_speed). The caller passes words already folded by `normaliseSearchText`.
 */
import type { TicketStatus } from '@whatsapp-helpdesk/contract/api';
import { likeContaining, rows, type Queryable } from './sql';
import type { ListRow } from './tickets-read';

/** A ticket as a search hit shows it. */
export interface SearchTicketRow {
  id: string;
  number: number;
  status: TicketStatus;
  channel: string;
  customer: { id: string; name: string | null; phone: string | null; lid: string | null };
  assignee: { id: string; name: string } | null;
}

/** A ticket found by its number or its customer. */
export interface TicketMatchRow {
  ticket: SearchTicketRow;
  /** number, phone_exact (the whole E.164 phone), phone (part of it) or name. */
  matched: 'number' | 'phone_exact' | 'phone' | 'name';
}

/** A ticket found by one of its messages (the best matching one). */
export interface MessageMatchRow {
  ticket: SearchTicketRow;
  messageId: string;
  text: string | null;
  caption: string | null;
  createdAt: Date;
  /** pg_trgm word similarity of the query to the message, 0–1. */
  score: number;
}

/** Customers whose tickets a name or phone search looks at, most recently active first. */
const CUSTOMERS_MAX = 200;
/** Matching messages a message search ranks, newest first (a very common word stops there). */
const MESSAGES_MAX = 2000;

const TICKET_COLUMNS = `t.id, t.number, t.status, t.channel,
       c.id AS "customerId", c.name AS "customerName", c.phone AS "customerPhone", c.lid AS "customerLid",
       a.id AS "assigneeId", a.name AS "assigneeName"`;

/** The joins TICKET_COLUMNS reads from, for the ticket ids in `source`.ticket_id. */
const ticketJoins = (source: string) =>
  `JOIN tickets t ON t.id = ${source}.ticket_id
       JOIN customers c ON c.id = t.customer_id
       LEFT JOIN agents a ON a.id = t.assignee_id`;

/** A row of TICKET_COLUMNS: those columns as the inbox list reads them. */
type TicketColumns = Pick<
  ListRow,
  | 'id'
  | 'number'
  | 'status'
  | 'channel'
  | 'customerId'
  | 'customerName'
  | 'customerPhone'
  | 'customerLid'
  | 'assigneeId'
  | 'assigneeName'
>;

function ticketOf(row: TicketColumns): SearchTicketRow {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    channel: row.channel,
    customer: { id: row.customerId, name: row.customerName, phone: row.customerPhone, lid: row.customerLid },
    assignee: row.assigneeId ? { id: row.assigneeId, name: row.assigneeName ?? '' } : null,
  };
}

/**
 * Tickets with this number, or of customers whose phone or name matches, best first: the number,
 * a whole phone, part of a phone, then names (closest first); ties by latest customer message.
 * @param search.ticketNumber a ticket number or null; search.phoneE164 a whole phone or null;
 *   search.phoneDigits digit strings a phone may contain; search.nameWords folded words a name must
 *   all contain; search.limit most rows.
 * @returns at most `limit` rows; a ticket may come twice (e.g. by number and by phone).
 */
export async function findTicketsByNumberOrCustomer(
  db: Queryable,
  search: {
    ticketNumber: number | null;
    phoneE164: string | null;
    phoneDigits: readonly string[];
    nameWords: readonly string[];
    limit: number;
  },
): Promise<TicketMatchRow[]> {
  const values: unknown[] = [];
  const param = (value: unknown) => `$${values.push(value)}`;
  const limit = param(search.limit);
  const parts: string[] = [];
  if (search.ticketNumber !== null) {
    parts.push(`SELECT t.id AS ticket_id, 'number' AS matched, 0 AS rank, 1::real AS score
                  FROM tickets t WHERE t.number = ${param(search.ticketNumber)}`);
  }
  const phoneConditions = search.phoneDigits.map((digits) => `s.phone LIKE ${param(likeContaining(digits))}`);
  const exact = search.phoneE164 ? param(search.phoneE164) : null;
  if (exact) phoneConditions.push(`s.phone = ${exact}`);
  const nameConditions = search.nameWords.map((word) => `s.name LIKE ${param(likeContaining(word))}`);
  if (phoneConditions.length > 0 || nameConditions.length > 0) {
    const phoneMatch = phoneConditions.length > 0 ? `(${phoneConditions.join(' OR ')})` : 'false';
    const nameMatch = nameConditions.length > 0 ? `(${nameConditions.join(' AND ')})` : 'false';
    const nameScore =
      nameConditions.length > 0 ? `similarity(s.name, ${param(search.nameWords.join(' '))})` : '0::real';
    // Ranks as domain/search.ts MATCH_RANK orders them. Each customer's tickets come from the index
    // on tickets.customer_id, at most `limit` of them in the final order (no more can be in the
    // answer): a per-customer read the planner cannot turn into a scan of every ticket.
    parts.push(`SELECT t.id AS ticket_id, hit.matched, hit.rank, hit.score
                  FROM (SELECT c.id,
                               CASE WHEN ${exact ? `s.phone = ${exact}` : 'false'} THEN 'phone_exact'
                                    WHEN ${phoneMatch} THEN 'phone' ELSE 'name' END AS matched,
                               CASE WHEN ${exact ? `s.phone = ${exact}` : 'false'} THEN 1
                                    WHEN ${phoneMatch} THEN 2 ELSE 3 END AS rank,
                               CASE WHEN ${phoneMatch} THEN 1::real ELSE ${nameScore} END AS score
                          FROM customer_search s
                          -- Each match's customer by its key (LIMIT keeps it a per-row lookup: a
                          -- join could read every customer to hash them).
                          CROSS JOIN LATERAL (
                            SELECT c.id, c.last_inbound_at FROM customers c WHERE c.id = s.customer_id LIMIT 1) c
                         WHERE ${phoneMatch} OR ${nameMatch}
                         ORDER BY c.last_inbound_at DESC NULLS LAST
                         LIMIT ${CUSTOMERS_MAX}) hit
                  CROSS JOIN LATERAL (
                    SELECT t.id FROM tickets t WHERE t.customer_id = hit.id
                     ORDER BY coalesce(t.last_inbound_at, t.opened_at) DESC, t.number DESC
                     LIMIT ${limit}) t`);
  }
  if (parts.length === 0) return [];
  const found = await rows<TicketColumns & { matched: TicketMatchRow['matched'] }>(
    db,
    `SELECT hit.matched, ${TICKET_COLUMNS}
       FROM (${parts.join(' UNION ALL ')}) hit
       ${ticketJoins('hit')}
      ORDER BY hit.rank, hit.score DESC, coalesce(t.last_inbound_at, t.opened_at) DESC, t.number DESC
      LIMIT ${limit}`,
    values,
  );
  return found.map((row) => ({ ticket: ticketOf(row), matched: row.matched }));
}

/**
 * Tickets with a message (text or caption, written by the customer or an agent) containing every
 * word, each with its best matching message, best first (word similarity, then newest), among the
 * newest MESSAGES_MAX matching messages.
 *
 * A word agents often look for (a medicine, "delivery") is in tens of thousands of messages, and
 * ranking its newest MESSAGES_MAX matches folds every message back to them (seconds on a year of
 * data). So the last RECENT_WINDOW_MS of messages are searched first: when `limit` tickets there
 * have a message containing every word whole (word similarity 1, the highest there is), no older
 * message can rank above theirs, and they are the answer, newest first. Otherwise (a rare word,
 * part of a word) the full ranking runs.
 * @param search.words folded words (each three characters or more for the index to help; shorter
 *   ones still filter); search.limit most tickets.
 * @param now the present, for the recent window.
 */
export async function findTicketsByMessageText(
  db: Queryable,
  search: { words: readonly string[]; limit: number },
  now: Date = new Date(),
): Promise<MessageMatchRow[]> {
  if (search.words.length === 0) return [];
  const recent = await newestWholeWordMatches(db, search, new Date(now.getTime() - RECENT_WINDOW_MS));
  return recent.length >= search.limit ? recent : rankedMessageMatches(db, search, now);
}

/** A day, ms. */
const DAY_MS = 86_400_000;

/** How far back the first, cheap step of a message search looks: a day of messages. */
const RECENT_WINDOW_MS = DAY_MS;

type MessageMatchColumns = TicketColumns & {
  messageId: string;
  text: string | null;
  caption: string | null;
  createdAt: Date;
  score: number;
};

function messageMatchOf(row: MessageMatchColumns): MessageMatchRow {
  return {
    ticket: ticketOf(row),
    messageId: row.messageId,
    text: row.text,
    caption: row.caption,
    createdAt: row.createdAt,
    score: Number(row.score),
  };
}

/** Search conditions on `m` and their parameters ($1 is the words joined, for the score). */
function messageConditions(words: readonly string[]): { conditions: string; values: unknown[] } {
  const values: unknown[] = [words.join(' ')];
  const conditions = words.map((word) => `m.search_text LIKE $${values.push(likeContaining(word))}`);
  return { conditions: conditions.join(' AND '), values };
}

/**
 * The first step: up to `limit` tickets with a message since `since` containing every word whole,
 * by their newest such message, newest first. The planner reads the window by messages.created_at
 * (a common word) or the trigram index (a rare one): either way never more than the window.
 */
async function newestWholeWordMatches(
  db: Queryable,
  search: { words: readonly string[]; limit: number },
  since: Date,
): Promise<MessageMatchRow[]> {
  const { conditions, values } = messageConditions(search.words);
  const found = await rows<MessageMatchColumns>(
    db,
    `SELECT best.message_id AS "messageId", best.text, best.caption, best.created_at AS "createdAt",
            best.score, ${TICKET_COLUMNS}
       FROM (SELECT best.* FROM (SELECT DISTINCT ON (m.ticket_id) m.*
               FROM (SELECT m.ticket_id, m.id AS message_id, m.text, m.caption, m.created_at,
                            word_similarity($1, m.search_text) AS score
                       FROM messages m
                      WHERE ${conditions}
                        AND m.author IN ('customer', 'agent')
                        AND m.created_at >= $${values.push(since)}) m
              WHERE m.score >= 1
              ORDER BY m.ticket_id, m.created_at DESC) best
              ORDER BY best.created_at DESC
              LIMIT $${values.push(search.limit)}) best
       ${ticketJoins('best')}
      ORDER BY best.created_at DESC`,
    values,
  );
  return found.map(messageMatchOf);
}

/**
 * How far back the second step looks, widening until MESSAGES_MAX matches are found (null: all
 * messages): a week, a month, a year, everything.
 */
const RANKING_WINDOWS_MS: ReadonlyArray<number | null> = [7 * DAY_MS, 30 * DAY_MS, 365 * DAY_MS, null];

/**
 * The second step: the newest MESSAGES_MAX matching messages, ranked, the best one per ticket.
 * Read window by window (RANKING_WINDOWS_MS), stopping at the first that holds MESSAGES_MAX
 * matches: then the newest MESSAGES_MAX of all are in it, and the answer is the same as from the
 * whole table. Within a window the matches come from the trigram index only (never a scan of
 * messages.created_at filtered row by row: for a word no customer or agent wrote, that read every
 * message, 52 s on a year of data) and are sorted there, so a window costs what it holds.
 */
async function rankedMessageMatches(
  db: Queryable,
  search: { words: readonly string[]; limit: number },
  now: Date,
): Promise<MessageMatchRow[]> {
  for (const windowMs of RANKING_WINDOWS_MS) {
    const since = windowMs === null ? null : new Date(now.getTime() - windowMs);
    const { found, matched } = await rankWindow(db, search, since);
    if (matched >= MESSAGES_MAX || since === null) return found;
  }
  return [];
}

/** Ranks the matches since `since` (null: all). @returns the page and how many messages matched (at most MESSAGES_MAX). */
async function rankWindow(
  db: Queryable,
  search: { words: readonly string[]; limit: number },
  since: Date | null,
): Promise<{ found: MessageMatchRow[]; matched: number }> {
  const { conditions, values } = messageConditions(search.words);
  const window = since ? `AND m.created_at >= $${values.push(since)}` : '';
  const found = await rows<MessageMatchColumns & { matched: number }>(
    db,
    // hits has no order nor limit, so PostgreSQL cannot answer it by walking messages.created_at
    // newest first and testing each message: it reads the trigram index's candidates.
    `WITH hits AS MATERIALIZED (
       SELECT m.ticket_id, m.id AS message_id, m.text, m.caption, m.search_text, m.created_at
         FROM messages m
        WHERE ${conditions}
          AND m.author IN ('customer', 'agent') ${window}
     ),
     newest AS MATERIALIZED (
       SELECT hits.*, word_similarity($1, hits.search_text) AS score
         FROM (SELECT * FROM hits ORDER BY created_at DESC LIMIT ${MESSAGES_MAX}) hits
     )
     SELECT best.message_id AS "messageId", best.text, best.caption, best.created_at AS "createdAt",
            best.score, (SELECT count(*)::int FROM newest) AS matched, ${TICKET_COLUMNS}
       FROM (SELECT best.* FROM (SELECT DISTINCT ON (m.ticket_id) m.*
               FROM newest m
              ORDER BY m.ticket_id, m.score DESC, m.created_at DESC) best
              -- The page is cut before the joins (which keep every row: foreign keys), so they
              -- read a page of tickets by their key, not every ticket.
              ORDER BY best.score DESC, best.created_at DESC
              LIMIT $${values.push(search.limit)}) best
       ${ticketJoins('best')}
      ORDER BY best.score DESC, best.created_at DESC`,
    values,
  );
  return { found: found.map(messageMatchOf), matched: found[0]?.matched ?? 0 };
}
