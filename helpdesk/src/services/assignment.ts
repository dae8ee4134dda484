/**
 * Assigns waiting tickets to agents, oldest ticket first, each to the agent `selectAgent` picks.
 * Called when a ticket opens, when an agent comes online and when a ticket is resolved.
 *
 * Concurrency-safe across processes: a transaction-scoped PostgreSQL advisory lock lets one
 * assignment run at a time, and a ticket is only ever assigned while its assignee is null.
 * Workers do not queue up behind the lock: `requestAssignment` bumps a request counter (a
 * sequence) and tries the lock; whoever holds it re-runs until no request arrived during its run,
 * so a ticket committed before its request is always seen by some run.
 */
import type pg from 'pg';
import { selectAgent, type AgentLoad } from '../domain/assignment';
import { assignmentWait } from '../infra/metrics';
import { row, rows, transaction } from '../infra/sql';

/** Key of the advisory lock that serialises assignment (any constant shared by all processes). */
const ASSIGNMENT_LOCK_KEY = 7_301_145_001;

export interface Assignment {
  ticketId: string;
  ticketNumber: number;
  agentId: string;
  /** When the ticket started waiting (opened, reopened or put back in the queue) and when it was assigned. */
  waitingSince: Date;
  assignedAt: Date;
}

/**
 * Assigns as many waiting tickets (open or pending, unassigned) as free capacity allows, waiting
 * for a running assignment to finish first. For the agents' API and the CLI.
 * @returns the assignments made, in order.
 */
export async function assignWaitingTickets(pool: pg.Pool): Promise<Assignment[]> {
  return (await runAssignment(pool, 'wait'))!;
}

/**
 * Asks for waiting tickets to be assigned without waiting on a running assignment (which then
 * runs again and sees them). For the workers, after a ticket was committed.
 * @returns the assignments this call made (empty when another process did the work).
 */
export async function requestAssignment(pool: pg.Pool): Promise<Assignment[]> {
  let seen = (await row<{ value: string }>(
    pool,
    `SELECT nextval('assignment_requests')::text AS value`,
    [],
    'assignment-request',
  ))!.value;
  const made: Assignment[] = [];
  for (;;) {
    const assignments = await runAssignment(pool, 'try');
    if (assignments === null) return made; // the holder will see our request
    made.push(...assignments);
    const latest = await requestCount(pool);
    if (latest === seen) return made;
    seen = latest;
  }
}

async function requestCount(pool: pg.Pool): Promise<string> {
  return (await row<{ value: string }>(
    pool,
    `SELECT last_value::text AS value FROM assignment_requests`,
    [],
    'assignment-request-count',
  ))!.value;
}

/** One assignment run under the lock; null when `mode` is `try` and the lock was taken. */
async function runAssignment(pool: pg.Pool, mode: 'wait' | 'try'): Promise<Assignment[] | null> {
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
    const agents = await rows<AgentLoad>(
      client,
      `SELECT a.id, a.capacity, a.last_assigned_at AS "lastAssignedAt", COALESCE(load.count, 0)::int AS "openTickets"
         FROM agents a
         LEFT JOIN (SELECT assignee_id, count(*) AS count FROM tickets
                     WHERE status IN ('open', 'pending') AND assignee_id IS NOT NULL
                     GROUP BY assignee_id) load ON load.assignee_id = a.id
        WHERE a.active AND a.availability = 'online'`,
    );
    const free = agents.reduce((sum, agent) => sum + Math.max(0, agent.capacity - agent.openTickets), 0);
    if (free === 0) return [];
    const waiting = await rows<{ id: string; number: number; waitingSince: Date }>(
      client,
      `SELECT id, number, COALESCE(
                (SELECT max(e.created_at) FROM ticket_events e
                  WHERE e.ticket_id = tickets.id AND e.type IN ('opened', 'reopened', 'unassigned')),
                opened_at) AS "waitingSince"
         FROM tickets
        WHERE assignee_id IS NULL AND status IN ('open', 'pending')
        ORDER BY opened_at, number LIMIT $1`,
      [free],
    );
    const assignments: Assignment[] = [];
    let clock = Date.now();
    for (const ticket of waiting) {
      const agent = selectAgent(agents);
      if (!agent) break;
      const assignedAt = new Date(clock++); // distinct times keep "idle longest" exact within a run
      agent.openTickets += 1;
      agent.lastAssignedAt = assignedAt;
      assignments.push({
        ticketId: ticket.id,
        ticketNumber: ticket.number,
        agentId: agent.id,
        waitingSince: ticket.waitingSince,
        assignedAt,
      });
    }
    if (assignments.length === 0) return [];
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
       SELECT ticket_id, 'assigned', agent_id, '{"by":"auto"}'::jsonb, at FROM chosen`,
      [
        assignments.map((assignment) => assignment.ticketId),
        assignments.map((assignment) => assignment.agentId),
        assignments.map((assignment) => assignment.assignedAt),
      ],
    );
    for (const assignment of assignments) {
      assignmentWait.observe(
        Math.max(0, (assignment.assignedAt.getTime() - assignment.waitingSince.getTime()) / 1000),
      );
    }
    return assignments;
  });
}
