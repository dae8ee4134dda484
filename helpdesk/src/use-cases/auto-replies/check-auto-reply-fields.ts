/** What the auto-reply use cases share: the check of a rule's channel and the reload after a write. */
import type { Deps } from '../../context';
import { fieldError } from '../channels/check-channel-fields';

/**
 * Checks the channel key given (undefined: not given; null: every channel).
 * @throws AppError validation_failed naming `channelKey` when no channel has the key.
 */
export function checkAutoReplyChannel(
  deps: Pick<Deps, 'channels'>,
  channelKey: string | null | undefined,
): void {
  if (channelKey === undefined || channelKey === null) return;
  const keys = deps.channels.list().map((channel) => channel.key);
  if (!keys.includes(channelKey)) {
    throw fieldError('channelKey', `no channel has the key "${channelKey}" (known: ${keys.join(', ')})`);
  }
}

/** Lets this process's bot see the write at once (other processes within AUTO_REPLY_RELOAD_MS). */
export async function reloadAutoReplies(deps: Pick<Deps, 'autoReplies' | 'log'>): Promise<void> {
  await deps.autoReplies
    .reload()
    .catch((error: unknown) => deps.log.warn({ err: error }, 'auto-replies not reloaded after a write'));
}
