/**
 * Messages just stored may have changes waiting for them: an edit, deletion or reaction whose job
 * ran out of attempts before the message arrived is kept (message-change.ts), and is applied here
 * once the message is stored after all. Best effort: a failure is logged and the changes stay kept
 * (the messages themselves are stored and answered already).
 */
import type { Logger } from '../../infra/logger';
import type { RealtimePublisher } from '../../realtime/publish';
import type { DatabasePool } from '../../store/inbound-database';
import { attachKeptChanges } from '../../store/message-changes';

/**
 * Applies kept changes to `messages` and publishes `message.updated` for each message changed.
 * @param messages the provider and provider message id of each message stored.
 * @returns how many changes were applied. Never throws.
 */
export async function applyKeptChanges(
  deps: { pool: DatabasePool; realtime: RealtimePublisher; log: Logger },
  messages: ReadonlyArray<{ provider: string; providerMessageId: string }>,
): Promise<number> {
  try {
    const changed = await attachKeptChanges(deps.pool, messages);
    for (const { messageId, ticketId, kind } of changed) {
      deps.log.info({ messageId, kind }, 'kept message change applied to its message, stored late');
      await deps.realtime.publishTicketEvent(ticketId, 'message.updated', { messageId, change: kind });
    }
    return changed.length;
  } catch (error) {
    deps.log.warn({ err: error }, 'kept message changes not applied');
    return 0;
  }
}
