/** One channel with its last known state (any signed-in agent; settings only to admins). */
import type { ChannelView } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { requireChannel } from './channel-access';
import { channelView } from './channel-view';

/**
 * @param admin whether the caller is an admin: only admins see the settings.
 * @returns the channel; never a secret.
 * @throws AppError not_found.
 */
export async function getChannel(
  deps: Pick<Deps, 'pool'>,
  channelId: string,
  admin: boolean,
): Promise<ChannelView> {
  return channelView(await requireChannel(deps.pool, channelId), admin);
}
