/**
 * What the live queue (the admins' wallboard) reads: the tickets waiting for an agent with how
 * long they have waited, and each active agent's load and last reply. Plain SQL: the wallboard
 * refetches on every realtime event of the team.
 */
import type { TicketEventType } from '@whatsapp-helpdesk/contract/api';
import type { TicketSlaColumns } from '../domain/sla';
import { rows, type Queryable } from './sql';

/** Events after which a ticket waits for an agent (as assignment counts them, store/assignment.ts). */
const WAITING_SINCE_EVENTS = [
  'opened',
  'reopened',
  'unassigned',
  'team_transferred',
] as const satisfies readonly TicketEventType[];

/** A ticket waiting for an agent, with its SLA columns (domain/sla.ts reads them). */
export interface WaitingTicketRow extends TicketSlaColumns {
  id: string;
  number: number;
  customerId: string;
  customerName: string | null;
  customerPhone: string | null;
  channel: string;
  provider: string;
  channelName: string | null;
  category: string | null;
  waitingSince: Date;
}

/**
 * Unassigned open or pending tickets that are not snoozed, longest waiting first.
 * @param now snoozed means pending with `snoozed_until` after this time.
 * @param limit at most this many.
 */
export async function listWaitingTickets(
  db: Queryable,
  now: Date,
  limit: number,
): Promise<WaitingTicketRow[]> {
  return rows<WaitingTicketRow>(
    db,
    `SELECT w.* FROM (
       SELECT t.id, t.number, t.customer_id AS "customerId", c.name AS "customerName", c.phone AS "customerPhone",
              t.channel, t.provider, ch.name AS "channelName", t.category, t.status::text AS status,
              COALESCE((SELECT max(e.created_at) FROM ticket_events e
                         WHERE e.ticket_id = t.id AND e.type = ANY($2::text[])), t.opened_at) AS "waitingSince",
              t.first_response_at AS "firstResponseAt",
              t.first_response_due_at AS "firstResponseDueAt",
              t.first_response_at_risk_at AS "firstResponseAtRiskAt",
              t.first_response_breached_at AS "firstResponseBreachedAt",
              t.resolution_due_at AS "resolutionDueAt",
              t.resolution_at_risk_at AS "resolutionAtRiskAt",
              t.resolution_breached_at AS "resolutionBreachedAt"
         FROM tickets t
         JOIN customers c ON c.id = t.customer_id
         LEFT JOIN channels ch ON ch.provider = t.provider AND ch.key = t.channel
        WHERE t.assignee_id IS NULL AND t.status IN ('open', 'pending')
          AND (t.status = 'open' OR t.snoozed_until IS NULL OR t.snoozed_until <= $1)
     ) w
     ORDER BY w."waitingSince", w.number
     LIMIT $3`,
    [now, WAITING_SINCE_EVENTS, limit],
  );
}

/** An active agent's load and last reply. */
export interface AgentLoadRow {
  id: string;
  name: string;
  role: 'agent' | 'admin';
  availability: 'online' | 'away' | 'offline';
  capacity: number;
  openTickets: number;
  /** Their newest outbound message to a customer, or null. */
  lastReplyAt: Date | null;
}

/** Active agents by name with their open or pending tickets and their last reply. */
export async function listAgentLoads(db: Queryable): Promise<AgentLoadRow[]> {
  return rows<AgentLoadRow>(
    db,
    `SELECT a.id, a.name, a.role::text AS role, a.availability::text AS availability, a.capacity,
            (SELECT count(*)::int FROM tickets t
              WHERE t.assignee_id = a.id AND t.status IN ('open', 'pending')) AS "openTickets",
            (SELECT m.created_at FROM messages m
              WHERE m.agent_id = a.id AND m.direction = 'outbound'
              ORDER BY m.created_at DESC LIMIT 1) AS "lastReplyAt"
       FROM agents a
      WHERE a.active
      ORDER BY a.name, a.id`,
  );
}
