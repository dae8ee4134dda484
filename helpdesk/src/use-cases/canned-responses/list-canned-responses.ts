/** The canned responses an agent may insert: the shared ones and their own personal ones. */
import type { Deps } from '../../context';
import { listCannedResponsesFor } from '../../store/canned-responses';
import type { SessionAgent } from '../auth/session-token';
import { cannedResponseView, type CannedResponseView } from './canned-response-view';

/**
 * Lists the canned responses the agent sees.
 * @returns shared and the agent's personal ones, by shortcut (a shared one before a personal one
 *   with the same shortcut). Other agents' personal ones are never included.
 */
export async function listCannedResponses(
  db: Deps['db'],
  agent: Pick<SessionAgent, 'id'>,
): Promise<CannedResponseView[]> {
  return (await listCannedResponsesFor(db, agent.id)).map(cannedResponseView);
}
