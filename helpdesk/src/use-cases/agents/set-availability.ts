/**
 * An agent's availability changes (by email: the CLI, tests); going online assigns waiting tickets.
 */
import type { Deps } from '../../context';
import type { Assignment } from '../../domain/assignment';
import type { AgentAvailability } from '../../domain/agents';
import { AppError } from '../../errors';
import { updateAvailabilityByEmail } from '../../store/agents';
import { assignWaitingTickets } from '../assignment/assign-waiting-tickets';

/**
 * Sets an agent's availability; going online assigns waiting tickets (not published: the caller
 * publishes, see set-own-availability.ts).
 * @returns the assignments this made.
 * @throws AppError not_found for an unknown email.
 */
export async function setAvailability(
  pool: Deps['pool'],
  email: string,
  availability: AgentAvailability,
): Promise<Assignment[]> {
  if (!(await updateAvailabilityByEmail(pool, email.toLowerCase(), availability))) {
    throw new AppError('not_found', `email: no agent with ${email}`);
  }
  return availability === 'online' ? assignWaitingTickets(pool) : [];
}
