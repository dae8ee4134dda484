/**
 * An admin removes a channel. WPPConnect: the sidecar deletes its session first (phone unlinked,
 * profile removed; a session it no longer has is fine), so a channel is never removed while its
 * number stays linked, unless `force` says the sidecar is gone for good. The channel the
 * environment describes cannot be removed (it would come back at the next start). Its tickets keep
 * their channel key. The channel directory is reloaded.
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { deleteChannel as removeChannel } from '../../store/channels';
import { recordAudit } from '../audit/record-audit';
import { requireChannel, sessionsOf } from './channel-access';

/**
 * @param force delete the row even when the sidecar cannot be reached (its session then stays there).
 * @throws AppError not_found; conflict for the environment's channel or when the sidecar refuses
 *   (its default session); provider_error (502) when the sidecar cannot be reached and not `force`.
 */
export async function deleteChannel(
  deps: Pick<Deps, 'pool' | 'config' | 'secretBox' | 'channels' | 'log'>,
  channelId: string,
  force = false,
): Promise<void> {
  const channel = await requireChannel(deps.pool, channelId);
  if (channel.configured) {
    throw new AppError(
      'conflict',
      `channel: "${channel.name}" is the channel the environment describes (WHATSAPP_PROVIDER, SIDECAR_*, CLOUD_API_*); change the environment instead`,
    );
  }
  if (channel.provider === 'wppconnect') {
    try {
      await sessionsOf(deps, channel).deleteSession(channel.key);
    } catch (error) {
      if (!(force && error instanceof AppError && error.code === 'provider_error')) throw error;
      deps.log.warn({ err: error, channel: channel.key }, 'channels: deleted without reaching the sidecar');
    }
  }
  if (!(await removeChannel(deps.pool, channelId))) {
    throw new AppError('not_found', `channel: no channel ${channelId}`);
  }
  await recordAudit(deps.pool, {
    action: 'channel.deleted',
    subjectType: 'channel',
    subjectId: channelId,
    data: { name: channel.name, provider: channel.provider, key: channel.key, force },
  });
  await deps.channels.reload();
}
