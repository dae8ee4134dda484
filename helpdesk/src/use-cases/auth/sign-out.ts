/**
 * An agent signs out: their session ends.
 */
import type { Deps } from '../../context';
import { deleteSession } from '../../store/agent-sessions';

/** Ends one session (logout). Ending an already ended session is not an error. */
export async function endSession(db: Deps['db'], sessionId: string): Promise<void> {
  await deleteSession(db, sessionId);
}
