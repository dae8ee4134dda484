/**
 * Who gets the next ticket: assigns waiting tickets to agents, oldest ticket first, each to the
 * agent domain/assignment.ts `selectAgent` picks. Called when an agent comes online and when an
 * action frees capacity (see assign-and-publish.ts); the workers use request-assignment.ts.
 *
 * Concurrency-safe across processes: a transaction-scoped PostgreSQL advisory lock lets one
 * assignment run at a time (store/assignment.ts).
 */
import type { Deps } from '../../context';
import type { Assignment } from '../../domain/assignment';
import { runAssignment } from './run-assignment';

export type { Assignment } from '../../domain/assignment';

/**
 * Assigns as many waiting tickets (open or pending, unassigned) as free capacity allows, waiting
 * for a running assignment to finish first. For the agents' API and the CLI.
 * @returns the assignments made, in order.
 */
export async function assignWaitingTickets(pool: Deps['pool']): Promise<Assignment[]> {
  return (await runAssignment(pool, 'wait'))!;
}
