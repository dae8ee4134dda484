/**
 * The assignment's SQL: the advisory lock that lets one run at a time across processes, the
 * request counter (the `assignment_requests` sequence) that makes workers not queue behind it, the
 * loads of online agents (with their teams), the waiting tickets (with the team that may take
 * each: the ticket's own team after a transfer to a team, else the team whose categories hold the
 * ticket's category, else the team its channel routes to — `tickets.provider` + `tickets.channel`
 * = `channels.provider` + `channels.key` — else none: anyone), and
 * one statement that writes a run's assignments (tickets, agents' last assignment, `assigned` events).
 */
import type { TicketEventType, TicketStatus } from '@whatsapp-helpdesk/contract/api';
import type pg from 'pg';
import type { AgentLoad, WaitingTicket } from '../domain/assignment';
import { row, rows, transaction, type Queryable } from './sql';

/** Key of the advisory lock that serialises assignment (any constant shared by all processes). */
const ASSIGNMENT_LOCK_KEY = 7_301_145_001;

/** Events after which a ticket waits for an agent (it opened, reopened or returned to the queue). */
const WAITING_SINCE_EVENTS = [
  'opened',
  'reopened',
  'unassigned',
  'team_transferred',
] as const satisfies readonly TicketEventType[];

/** The event an automatic assignment records. */
const ASSIGNED_EVENT: TicketEventType = 'assigned';

export type { WaitingTicket } from '../domain/assignment';

/** An assignment to write. */
export interface AssignmentRow {
  ticketId: string;
  agentId: string;
  assignedAt: Date;
}

/** What a run may do while it holds the lock. */
export interface AssignmentTransaction {
  /** Active, online agents with their open or pending ticket counts and the teams they are in. */
  loadOnlineAgents(activeStatuses: readonly TicketStatus[]): Promise<AgentLoad[]>;
  /**
   * Unassigned active tickets, oldest first, each with the team that may take it (its own team,
   * else the first team by name whose categories hold its category, else its channel's team;
   * null when none of these): up to `places.anyone` of those
   * without a team, and up to `places.teams.get(team)` of each team's (none of a team not listed).
   * One statement: one index scan of the waiting tickets per group.
   */
  loadWaitingTickets(
    activeStatuses: readonly TicketStatus[],
    places: { anyone: number; teams: ReadonlyMap<string, number> },
  ): Promise<WaitingTicket[]>;
  /** Assigns each ticket still unassigned and records its `assigned` event (`{"by":"auto"}`). */
  saveAssignments(assignments: readonly AssignmentRow[]): Promise<void>;
}

/**
 * Runs `work` in a transaction holding the assignment lock.
 * @param mode wait: until the lock is free; try: give up at once when it is taken.
 * @returns what `work` returned, or null when `mode` is `try` and the lock was taken.
 */
export async function withAssignmentLock<T>(
  pool: pg.Pool,
  mode: 'wait' | 'try',
  work: (assignment: AssignmentTransaction) => Promise<T>,
): Promise<T | null> {
  return transaction(pool, async (client) => {
    if (mode === 'wait') {
      await client.query(`SELECT pg_advisory_xact_lock($1::bigint)`, [ASSIGNMENT_LOCK_KEY]);
    } else {
      const lock = await row<{ locked: boolean }>(
        client,
        `SELECT pg_try_advisory_xact_lock($1::bigint) AS locked`,
        [ASSIGNMENT_LOCK_KEY],
      );
      if (!lock?.locked) return null;
    }
    return work(assignmentTransaction(client));
  });
}

/**
 * Active, online agents with their open or pending ticket counts and the teams they are in. Under
 * the lock in a run; outside it for `requestAssignment`'s look at whether anyone has a free place.
 */
export async function loadOnlineAgents(
  db: Queryable,
  activeStatuses: readonly TicketStatus[],
): Promise<AgentLoad[]> {
  return rows<AgentLoad>(
    db,
    `SELECT a.id, a.capacity, a.last_assigned_at AS "lastAssignedAt", COALESCE(load.count, 0)::int AS "openTickets",
            ARRAY(SELECT m.team_id::text FROM team_members m WHERE m.agent_id = a.id) AS "teamIds"
       FROM agents a
       LEFT JOIN (SELECT assignee_id, count(*) AS count FROM tickets
                   WHERE status = ANY($1::"TicketStatus"[]) AND assignee_id IS NOT NULL
                   GROUP BY assignee_id) load ON load.assignee_id = a.id
      WHERE a.active AND a.availability = 'online'`,
    [activeStatuses],
  );
}

function assignmentTransaction(client: pg.PoolClient): AssignmentTransaction {
  return {
    loadOnlineAgents: (activeStatuses) => loadOnlineAgents(client, activeStatuses),
    loadWaitingTickets: (activeStatuses, places) => {
      // One group per team with free members, and the group without a team (team_id NULL).
      const teams = [...places.teams].filter(([, count]) => count > 0);
      return rows<WaitingTicket>(
        client,
        `SELECT w.id, w.number, w.team_id AS "teamId", COALESCE(
                  (SELECT max(e.created_at) FROM ticket_events e
                    WHERE e.ticket_id = w.id AND e.type = ANY($4::text[])),
                  w.opened_at) AS "waitingSince"
           FROM unnest($1::uuid[], $2::int[]) AS g(team_id, places)
          CROSS JOIN LATERAL (
                SELECT t.id, t.number, t.opened_at, r.team_id FROM tickets t
                  LEFT JOIN channels c ON c.provider = t.provider AND c.key = t.channel
                 CROSS JOIN LATERAL (
                       SELECT COALESCE(
                                t.team_id,
                                (SELECT ct.id FROM teams ct
                                  WHERE t.category IS NOT NULL AND t.category = ANY(ct.categories)
                                  ORDER BY ct.name, ct.id LIMIT 1),
                                c.team_id) AS team_id) r
                 WHERE t.assignee_id IS NULL AND t.status = ANY($3::"TicketStatus"[])
                   AND r.team_id IS NOT DISTINCT FROM g.team_id
                 ORDER BY t.opened_at, t.number LIMIT g.places) w
          ORDER BY w.opened_at, w.number`,
        [
          [null, ...teams.map(([teamId]) => teamId)],
          [places.anyone, ...teams.map(([, count]) => count)],
          activeStatuses,
          WAITING_SINCE_EVENTS,
        ],
      );
    },
    saveAssignments: async (assignments) => {
      await client.query(
        `WITH chosen AS (SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS c(ticket_id, agent_id, at)),
              assigned AS (
                UPDATE tickets SET assignee_id = chosen.agent_id, assigned_at = chosen.at, updated_at = chosen.at
                  FROM chosen WHERE tickets.id = chosen.ticket_id AND tickets.assignee_id IS NULL),
              agents_touched AS (
                UPDATE agents SET last_assigned_at = latest.at
                  FROM (SELECT agent_id, max(at) AS at FROM chosen GROUP BY agent_id) latest
                 WHERE agents.id = latest.agent_id)
         INSERT INTO ticket_events (ticket_id, type, agent_id, data, created_at)
         SELECT ticket_id, $4, agent_id, '{"by":"auto"}'::jsonb, at FROM chosen`,
        [
          assignments.map((assignment) => assignment.ticketId),
          assignments.map((assignment) => assignment.agentId),
          assignments.map((assignment) => assignment.assignedAt),
          ASSIGNED_EVENT,
        ],
      );
    },
  };
}

/** Counts one more assignment request. @returns the count after it (a sequence value, as text). */
export async function countAssignmentRequest(pool: pg.Pool): Promise<string> {
  return (await row<{ value: string }>(
    pool,
    `SELECT nextval('assignment_requests')::text AS value`,
    [],
    'assignment-request',
  ))!.value;
}

/** The assignment request count now (as text). */
export async function readAssignmentRequests(pool: pg.Pool): Promise<string> {
  return (await row<{ value: string }>(
    pool,
    `SELECT last_value::text AS value FROM assignment_requests`,
    [],
    'assignment-request-count',
  ))!.value;
}
