/** Mark a still-queued outbound message failed (the final failure of its send job). */
import type { Deps } from '../../context';
import { markOutboundFailed } from '../../store/messages-outbound';

/** The longest reason stored, in characters. */
const REASON_MAX_LENGTH = 2000;

/**
 * Marks a still-queued message failed with a reason (a message already sent is left alone).
 * @returns the reason as stored (at most 2,000 characters).
 */
export async function markFailed(pool: Deps['pool'], messageId: string, reason: string): Promise<string> {
  const stored = reason.slice(0, REASON_MAX_LENGTH);
  await markOutboundFailed(pool, messageId, stored);
  return stored;
}
