/** The owner changes a personal canned response, or an admin a shared one. */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import {
  findCannedResponse,
  updateCannedResponseFields,
  type CannedResponseFields,
} from '../../store/canned-responses';
import type { SessionAgent } from '../auth/session-token';
import {
  canChangeCannedResponse,
  canSeeCannedResponse,
  cannedResponseView,
  type CannedResponseView,
} from './canned-response-view';

/**
 * Changes a canned response's shortcut, title, body or language (fields left out stay; the scope
 * never changes).
 * @param changes already validated by the contract (`cannedResponseChangesBodySchema`).
 * @returns the canned response after the change.
 * @throws AppError not_found (also for another agent's personal one, which the caller cannot
 *   see); forbidden for a shared one unless an admin; conflict when the new shortcut is taken.
 */
export async function updateCannedResponse(
  db: Deps['db'],
  agent: Pick<SessionAgent, 'id' | 'role'>,
  id: string,
  changes: Partial<CannedResponseFields>,
): Promise<CannedResponseView> {
  const row = await findCannedResponse(db, id);
  if (!row || !canSeeCannedResponse(agent, row)) {
    throw new AppError('not_found', `id: no canned response ${id}`);
  }
  if (!canChangeCannedResponse(agent, row)) {
    throw new AppError('forbidden', 'scope: only admins change shared canned responses');
  }
  const updated = await updateCannedResponseFields(db, id, changes);
  if (updated === 'gone') throw new AppError('not_found', `id: no canned response ${id}`);
  if (!updated) {
    throw new AppError(
      'conflict',
      `shortcut: ${row.ownerAgentId === null ? 'a shared' : 'one of your'} canned responses already uses /${changes.shortcut ?? row.shortcut}`,
    );
  }
  return cannedResponseView(updated);
}
