/** Every channel (any signed-in agent: the console names each ticket's channel and shows its state). */
import type { ChannelView } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { listChannels as readChannels } from '../../store/channels';
import { channelView } from './channel-view';

/**
 * @param admin whether the caller is an admin: only admins see each channel's settings.
 * @returns every channel by name, with its last known state; never a secret.
 */
export async function listChannels(deps: Pick<Deps, 'pool'>, admin: boolean): Promise<ChannelView[]> {
  return (await readChannels(deps.pool)).map((row) => channelView(row, admin));
}
