/**
 * Read markers (table ticket_reads: when each agent last read each ticket) and what an inbox entry
 * shows of a ticket's messages: its unread customer messages for one agent, since when its
 * customer waits for an agent, its last message; and an agent's inbox counts. Every query reads
 * messages of one ticket at a time through the index messages(ticket_id, created_at), never a
 * whole thread.
 */
import type { DeliveryStatus, TicketStatus } from '@whatsapp-helpdesk/contract/api';
import { contactsPreview, truncate } from '@whatsapp-helpdesk/contract/normalise';
import type { Database } from './database';
import { row, rows, type Queryable } from './sql';

/** A ticket's latest message, as the inbox previews it. */
export interface LastMessage {
  direction: 'inbound' | 'outbound';
  author: string;
  type: string;
  /**
   * Its text or caption, at most 140 characters; for a shared contact, the cards' names (not the
   * raw vCard).
   */
  preview: string | null;
  at: Date;
  /** Outbound: its delivery status; inbound: null. */
  deliveryStatus: DeliveryStatus | null;
}

/** What a ticket's inbox entry shows of its messages, for one agent. */
export interface TicketActivity {
  /** Customer messages stored after the agent's last read of the ticket (all of them if never read). */
  unreadCount: number;
  /**
   * When the earliest customer message not yet followed by an agent reply was sent (null: none);
   * bot and system messages, and agent replies that failed to send, are no answer.
   */
  waitingSince: Date | null;
  /** Null: no message yet. */
  lastMessage: LastMessage | null;
}

/**
 * Records that `agentId` has read `ticketId` up to `at`. A marker never moves back (two tabs, a
 * late request).
 */
export async function upsertTicketRead(
  db: Database,
  read: { ticketId: string; agentId: string; at: Date },
): Promise<void> {
  await db.$executeRaw`
    INSERT INTO ticket_reads (ticket_id, agent_id, read_at)
    VALUES (${read.ticketId}::uuid, ${read.agentId}::uuid, ${read.at})
    ON CONFLICT (ticket_id, agent_id) DO UPDATE SET read_at = GREATEST(ticket_reads.read_at, EXCLUDED.read_at)`;
}

interface ActivityRow {
  id: string;
  unreadCount: number;
  waitingSince: Date | null;
  direction: 'inbound' | 'outbound' | null;
  author: string | null;
  type: string | null;
  preview: string | null;
  at: Date | null;
  deliveryStatus: DeliveryStatus | null;
}

/**
 * Unread counts (for `agentId`), waiting times and last messages of tickets.
 * @param ticketIds at most a page of tickets (each costs a few short index scans).
 * @returns the activity by ticket id; unknown ids are absent.
 */
export async function findTicketActivity(
  db: Queryable,
  ticketIds: readonly string[],
  agentId: string,
): Promise<Map<string, TicketActivity>> {
  if (ticketIds.length === 0) return new Map();
  const found = await rows<ActivityRow>(
    db,
    `
    SELECT t.id, last.direction, last.author, last.type, last.preview, last.at, last."deliveryStatus",
           (SELECT count(*)::int FROM messages m
             WHERE m.ticket_id = t.id AND m.direction = 'inbound'
               AND m.created_at > COALESCE(r.read_at, '-infinity')) AS "unreadCount",
           (SELECT LEAST(m.sent_at, m.created_at) FROM messages m
             WHERE m.ticket_id = t.id AND m.direction = 'inbound'
               AND m.created_at > COALESCE(
                 (SELECT a.created_at FROM messages a
                   WHERE a.ticket_id = t.id AND a.direction = 'outbound' AND a.author = 'agent'
                     AND a.delivery_status <> 'failed'
                   ORDER BY a.created_at DESC LIMIT 1),
                 '-infinity')
             ORDER BY m.created_at, m.id LIMIT 1) AS "waitingSince"
      FROM tickets t
      LEFT JOIN ticket_reads r ON r.ticket_id = t.id AND r.agent_id = $2::uuid
      LEFT JOIN LATERAL (
        SELECT m.direction::text AS direction, m.author::text AS author, m.type,
               -- A contact's text is vCards: enough of them to find the names (binaries are stripped).
               left(COALESCE(m.text, m.caption), CASE WHEN m.type = 'contact' THEN 4000 ELSE 140 END)
                 AS preview, m.created_at AS at,
               m.delivery_status::text AS "deliveryStatus"
          FROM messages m WHERE m.ticket_id = t.id
         ORDER BY m.created_at DESC, m.id DESC LIMIT 1) last ON true
     WHERE t.id = ANY($1::uuid[])`,
    [[...ticketIds], agentId],
    'ticket-activity',
  );
  return new Map(found.map((entry) => [entry.id, activityOf(entry)]));
}

function activityOf(row: ActivityRow): TicketActivity {
  const lastMessage: LastMessage | null =
    row.direction && row.at
      ? {
          direction: row.direction,
          author: row.author ?? '',
          type: row.type ?? '',
          preview: previewOf(row.type, row.preview),
          at: row.at,
          deliveryStatus: row.direction === 'outbound' ? row.deliveryStatus : null,
        }
      : null;
  return { unreadCount: row.unreadCount, waitingSince: row.waitingSince, lastMessage };
}

/** Characters of a last message the inbox previews. */
const PREVIEW_MAX = 140;

/** The preview of a last message: a shared contact is named by its cards (else its text as read). */
function previewOf(type: string | null, text: string | null): string | null {
  if (type !== 'contact' || text === null) return text;
  return truncate(contactsPreview(text) ?? text, PREVIEW_MAX);
}

/** An agent's inbox counts (see `countInbox`). */
export interface InboxCounts {
  mine: number;
  unassigned: number;
  unreadTickets: number;
  unreadMessages: number;
}

/**
 * @param agentId the agent whose tickets and read markers count.
 * @param statuses the statuses counted (the inbox's: open and pending).
 * @param channel only this channel's tickets (its key), or null for every channel.
 * @returns mine: the agent's tickets in `statuses`; unassigned: tickets in `statuses` without an
 *   assignee (the waiting queue); unreadTickets / unreadMessages: among the agent's, those with
 *   customer messages unread by them, and how many such messages.
 */
export async function countInbox(
  db: Queryable,
  agentId: string,
  statuses: readonly TicketStatus[],
  channel: string | null = null,
): Promise<InboxCounts> {
  const wanted = [...statuses];
  const counts = await row<InboxCounts>(
    db,
    `
    SELECT count(*)::int AS mine,
           (SELECT count(*)::int FROM tickets w
             WHERE w.assignee_id IS NULL AND w.status = ANY($2::"TicketStatus"[])
               AND ($3::text IS NULL OR w.channel = $3::text)) AS unassigned,
           count(*) FILTER (WHERE u.unread > 0)::int AS "unreadTickets",
           COALESCE(sum(u.unread), 0)::int AS "unreadMessages"
      FROM tickets t
      LEFT JOIN ticket_reads r ON r.ticket_id = t.id AND r.agent_id = t.assignee_id
      CROSS JOIN LATERAL (
        SELECT count(*) AS unread FROM messages m
         WHERE m.ticket_id = t.id AND m.direction = 'inbound'
           AND m.created_at > COALESCE(r.read_at, '-infinity')) u
     WHERE t.assignee_id = $1::uuid AND t.status = ANY($2::"TicketStatus"[])
       AND ($3::text IS NULL OR t.channel = $3::text)`,
    [agentId, wanted, channel],
    'inbox-counts',
  );
  return counts ?? { mine: 0, unassigned: 0, unreadTickets: 0, unreadMessages: 0 };
}
