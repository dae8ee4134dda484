/**
 * Assigns waiting tickets to agents, oldest ticket first, each to the agent `selectAgent` picks.
 * Concurrency-safe across processes: one transaction-scoped PostgreSQL advisory lock serialises
 * assignment, and a ticket is only ever assigned while its assignee is null.
 * Called when a ticket opens, when an agent comes online and when a ticket is resolved.
 */
import { selectAgent, type AgentLoad } from '../domain/assignment';
import type { Database } from '../infra/db';

/** Key of the advisory lock that serialises assignment (any constant shared by all processes). */
const ASSIGNMENT_LOCK_KEY = 7_301_145_001;

export interface Assignment {
  ticketId: string;
  ticketNumber: number;
  agentId: string;
}

/**
 * Assigns as many waiting tickets (open or pending, unassigned) as free capacity allows.
 * @returns the assignments made, in order.
 */
export async function assignWaitingTickets(db: Database): Promise<Assignment[]> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ASSIGNMENT_LOCK_KEY}::bigint)`;
    const agents = await tx.$queryRaw<AgentLoad[]>`
      SELECT a.id, a.capacity, a.last_assigned_at AS "lastAssignedAt",
             COALESCE(load.count, 0)::int AS "openTickets"
        FROM agents a
        LEFT JOIN (SELECT assignee_id, count(*) AS count FROM tickets
                    WHERE status IN ('open', 'pending') AND assignee_id IS NOT NULL
                    GROUP BY assignee_id) load ON load.assignee_id = a.id
       WHERE a.active AND a.availability = 'online'`;
    const free = agents.reduce((sum, agent) => sum + Math.max(0, agent.capacity - agent.openTickets), 0);
    if (free === 0) return [];
    const waiting = await tx.$queryRaw<Array<{ id: string; number: number }>>`
      SELECT id, number FROM tickets
       WHERE assignee_id IS NULL AND status IN ('open', 'pending')
       ORDER BY opened_at, number
       LIMIT ${free}`;
    const assignments: Assignment[] = [];
    let clock = Date.now();
    for (const ticket of waiting) {
      const agent = selectAgent(agents);
      if (!agent) break;
      const at = new Date(clock++);
      agent.openTickets += 1;
      agent.lastAssignedAt = at;
      await tx.$executeRaw`
        UPDATE tickets SET assignee_id = ${agent.id}::uuid, assigned_at = ${at}, updated_at = ${at}
         WHERE id = ${ticket.id}::uuid AND assignee_id IS NULL`;
      assignments.push({ ticketId: ticket.id, ticketNumber: ticket.number, agentId: agent.id });
    }
    if (assignments.length === 0) return [];
    for (const agent of agents) {
      if (assignments.some((assignment) => assignment.agentId === agent.id)) {
        await tx.agent.update({ where: { id: agent.id }, data: { lastAssignedAt: agent.lastAssignedAt } });
      }
    }
    await tx.ticketEvent.createMany({
      data: assignments.map((assignment) => ({
        ticketId: assignment.ticketId,
        type: 'assigned',
        agentId: assignment.agentId,
        data: { by: 'auto' },
      })),
    });
    return assignments;
  });
}
