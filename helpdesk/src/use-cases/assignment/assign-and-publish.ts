/**
 * After an action frees capacity (a ticket resolved or transferred, an agent online, more
 * capacity): assign waiting tickets and tell the consoles.
 */
import type { Deps } from '../../context';
import { assignWaitingTickets } from './assign-waiting-tickets';

/** Assigns waiting tickets and publishes the assignments; failures are logged, never thrown. */
export async function assignAndPublish(deps: Pick<Deps, 'pool' | 'realtime' | 'log'>): Promise<void> {
  try {
    const assignments = await assignWaitingTickets(deps.pool);
    await deps.realtime.publishAssignments(assignments);
  } catch (error) {
    deps.log.error({ err: error }, 'assigning waiting tickets failed');
  }
}
