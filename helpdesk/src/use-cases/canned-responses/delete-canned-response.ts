/** The owner deletes a personal canned response, or an admin a shared one. */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { deleteCannedResponse as deleteRow, findCannedResponse } from '../../store/canned-responses';
import type { SessionAgent } from '../auth/session-token';
import { canChangeCannedResponse, canSeeCannedResponse } from './canned-response-view';

/**
 * Deletes a canned response.
 * @throws AppError not_found (also for another agent's personal one); forbidden for a shared one
 *   unless an admin.
 */
export async function deleteCannedResponse(
  db: Deps['db'],
  agent: Pick<SessionAgent, 'id' | 'role'>,
  id: string,
): Promise<void> {
  const row = await findCannedResponse(db, id);
  if (!row || !canSeeCannedResponse(agent, row)) {
    throw new AppError('not_found', `id: no canned response ${id}`);
  }
  if (!canChangeCannedResponse(agent, row)) {
    throw new AppError('forbidden', 'scope: only admins delete shared canned responses');
  }
  if (!(await deleteRow(db, id))) throw new AppError('not_found', `id: no canned response ${id}`);
}
