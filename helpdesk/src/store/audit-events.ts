/**
 * The audit log (`audit_events`: sign-ins, password changes, agent, channel and team changes, API
 * keys, outgoing webhooks, SLA policies, auto-replies) and
 * the one reading that merges it with the ticket events an admin audits (`ticket_events`:
 * assignment, transfer, status, category), newest first, in keyset pages.
 */
import type { TicketEventType } from '@whatsapp-helpdesk/contract/api';
import type { Database } from './database';
import { rows, type Queryable } from './sql';

/** One audit event to record. */
export interface NewAuditEvent {
  /** The signed-in agent who acted; null when nobody was (a failed sign-in, the command line). */
  actorAgentId: string | null;
  /** e.g. `auth.sign_in`, `agent.updated` (AUDIT_ACTIONS in contract/src/api/audit.ts). */
  action: string;
  /** AUDIT_SUBJECT_TYPES: agent, channel, team, ticket, api_key, webhook, sla_policy, auto_reply. */
  subjectType: string;
  subjectId: string | null;
  /** The details (stored as jsonb), e.g. `{ changes: { capacity: { before: 5, after: 8 } } }`. */
  data: Record<string, unknown>;
}

/**
 * Records one audit event (the time is the database's).
 * @param db the pool (or a transaction's client), or the Prisma client.
 */
export async function insertAuditEvent(db: Queryable | Database, event: NewAuditEvent): Promise<void> {
  const data = JSON.stringify(event.data);
  if ('query' in db) {
    await db.query(
      `INSERT INTO audit_events (actor_agent_id, action, subject_type, subject_id, data)
       VALUES ($1, $2, $3, $4, $5)`,
      [event.actorAgentId, event.action, event.subjectType, event.subjectId, data],
    );
    return;
  }
  await db.$executeRaw`
    INSERT INTO audit_events (actor_agent_id, action, subject_type, subject_id, data)
    VALUES (${event.actorAgentId}::uuid, ${event.action}, ${event.subjectType}, ${event.subjectId}, ${data}::jsonb)`;
}

/** Where a page of the merged log starts: strictly after this entry (newest first). */
export interface AuditPosition {
  createdAt: Date;
  /** 1: audit_events, 0: ticket_events (the tie-break between the two at one instant). */
  source: 0 | 1;
  id: string;
}

/** What the merged reading selects. */
export interface AuditQuery {
  /** Only entries by this agent. */
  actorAgentId?: string;
  /** Only these actions (audit actions, or `ticket.<event type>`); undefined: every one. */
  actions?: readonly string[];
  /** Inclusive lower bound. */
  from?: Date;
  /** Exclusive upper bound. */
  to?: Date;
  after?: AuditPosition;
  limit: number;
}

/** One entry of the merged log, with the names of its actor and subject as they are now. */
export interface AuditEntryRow {
  source: 0 | 1;
  id: string;
  createdAt: Date;
  action: string;
  actorId: string | null;
  actorName: string | null;
  subjectType: string;
  subjectId: string | null;
  /**
   * The agent's, channel's, team's, API key's, webhook's or SLA policy's name now, an auto-reply's
   * keywords (null when it is gone or for a ticket).
   */
  subjectName: string | null;
  /** The ticket's number (ticket entries only). */
  ticketNumber: number | null;
  data: Record<string, unknown> | null;
}

/** An automatic assignment: its agent column holds the assignee, who did nothing. */
const AUTOMATIC = `(e.type = 'assigned' AND e.data->>'by' = 'auto')`;
/** Who acted in a ticket event: nobody for an automatic assignment (the assignee moves to data). */
const ACTOR = `(CASE WHEN ${AUTOMATIC} THEN NULL ELSE e.agent_id END)`;

/**
 * The merged log, newest first: audit events and the given ticket event types (as
 * `ticket.<type>`). Each side is read through its created_at index and cut at `limit` before
 * the merge.
 * @param ticketEventTypes the ticket event types an admin audits.
 */
export async function listAuditEntries(
  db: Queryable,
  query: AuditQuery,
  ticketEventTypes: readonly TicketEventType[],
): Promise<AuditEntryRow[]> {
  const actions = query.actions ? [...query.actions] : null;
  const ticketTypes = ticketEventTypes.filter((type) => !actions || actions.includes(`ticket.${type}`));
  const after = query.after ?? null;
  const values = [
    query.actorAgentId ?? null, // $1
    query.from ?? null, // $2
    query.to ?? null, // $3
    after?.createdAt ?? null, // $4
    after?.source ?? null, // $5
    after ? after.id : null, // $6
    query.limit, // $7
    actions, // $8
    ticketTypes, // $9
  ];
  return rows<AuditEntryRow>(
    db,
    `SELECT x.source, x.id::text AS id, x.created_at AS "createdAt", x.action,
            x.actor_id AS "actorId", actor.name AS "actorName",
            x.subject_type AS "subjectType", x.subject_id AS "subjectId",
            COALESCE(sa.name, sc.name, st.name, sk.name, sw.name, sp.name,
                     array_to_string(sr.keywords, ' · ')) AS "subjectName",
            x.ticket_number AS "ticketNumber", x.data
       FROM (
         (SELECT 1 AS source, a.id, a.created_at, a.action, a.actor_agent_id AS actor_id,
                 a.subject_type, a.subject_id, tk.number AS ticket_number, a.data
            FROM audit_events a
            LEFT JOIN tickets tk ON a.subject_type = 'ticket' AND tk.id::text = a.subject_id
           WHERE ($1::uuid IS NULL OR a.actor_agent_id = $1)
             AND ($2::timestamptz IS NULL OR a.created_at >= $2)
             AND ($3::timestamptz IS NULL OR a.created_at < $3)
             AND ($8::text[] IS NULL OR a.action = ANY($8))
             AND ($4::timestamptz IS NULL OR (a.created_at, 1, a.id) < ($4, $5::int, $6::bigint))
           ORDER BY a.created_at DESC, a.id DESC
           LIMIT $7)
         UNION ALL
         (SELECT 0 AS source, e.id, e.created_at, 'ticket.' || e.type, ${ACTOR},
                 'ticket', e.ticket_id::text, tk.number,
                 CASE WHEN ${AUTOMATIC} THEN jsonb_build_object('assigneeId', e.agent_id) || e.data ELSE e.data END
            FROM ticket_events e
            JOIN tickets tk ON tk.id = e.ticket_id
           WHERE e.type = ANY($9::text[])
             AND ($1::uuid IS NULL OR ${ACTOR} = $1)
             AND ($2::timestamptz IS NULL OR e.created_at >= $2)
             AND ($3::timestamptz IS NULL OR e.created_at < $3)
             AND ($4::timestamptz IS NULL OR (e.created_at, 0, e.id) < ($4, $5::int, $6::bigint))
           ORDER BY e.created_at DESC, e.id DESC
           LIMIT $7)
       ) x
       LEFT JOIN agents actor ON actor.id = x.actor_id
       LEFT JOIN agents sa ON x.subject_type = 'agent' AND sa.id::text = x.subject_id
       LEFT JOIN channels sc ON x.subject_type = 'channel' AND sc.id::text = x.subject_id
       LEFT JOIN teams st ON x.subject_type = 'team' AND st.id::text = x.subject_id
       LEFT JOIN api_keys sk ON x.subject_type = 'api_key' AND sk.id::text = x.subject_id
       LEFT JOIN outgoing_webhooks sw ON x.subject_type = 'webhook' AND sw.id::text = x.subject_id
       LEFT JOIN sla_policies sp ON x.subject_type = 'sla_policy' AND sp.id::text = x.subject_id
       LEFT JOIN auto_reply_rules sr ON x.subject_type = 'auto_reply' AND sr.id::text = x.subject_id
      ORDER BY x.created_at DESC, x.source DESC, x.id DESC
      LIMIT $7`,
    values,
  );
}
