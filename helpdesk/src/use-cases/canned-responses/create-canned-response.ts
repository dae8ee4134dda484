/** An agent adds a personal canned response, or an admin a shared one. */
import type { CannedResponseScope } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { insertCannedResponse, type CannedResponseFields } from '../../store/canned-responses';
import type { SessionAgent } from '../auth/session-token';
import { cannedResponseView, type CannedResponseView } from './canned-response-view';

/**
 * Creates a canned response.
 * @param input already validated by the contract (`newCannedResponseBodySchema`): the shortcut
 *   normalised, the title trimmed, the body at most 4096 characters.
 * @returns the new canned response.
 * @throws AppError forbidden when a non-admin asks for a shared one; conflict when the shortcut
 *   is taken (by the agent's personal ones, or among the shared ones).
 */
export async function createCannedResponse(
  db: Deps['db'],
  agent: Pick<SessionAgent, 'id' | 'role'>,
  input: CannedResponseFields & { scope: CannedResponseScope },
): Promise<CannedResponseView> {
  const { scope, ...fields } = input;
  if (scope === 'shared' && agent.role !== 'admin') {
    throw new AppError('forbidden', 'scope: only admins add shared canned responses');
  }
  const row = await insertCannedResponse(db, scope === 'shared' ? null : agent.id, fields);
  if (!row) {
    throw new AppError(
      'conflict',
      `shortcut: ${scope === 'shared' ? 'a shared' : 'one of your'} canned responses already uses /${fields.shortcut}`,
    );
  }
  return cannedResponseView(row);
}
