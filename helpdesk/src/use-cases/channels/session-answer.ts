/**
 * What restart and logout do with the state the sidecar answered: stored and told to every console
 * through record-channel-state.ts (so the session's own event that follows is no change, and one
 * that came first is not overwritten), and answered as the channel's view.
 */
import type { ChannelView } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { findChannel, type ChannelRow } from '../../store/channels';
import type { SidecarSession } from '../../whatsapp/sidecar-sessions';
import { channelView } from './channel-view';
import { recordChannelState } from './record-channel-state';

/**
 * @param channel the channel as read before the sidecar was asked: a session event recorded while
 *   the answer was on its way (a restart that connected at once) is newer, and stays.
 * @returns the admin's view of `channel` after recording the session's state.
 */
export async function recordSessionAnswer(
  deps: Pick<Deps, 'pool' | 'realtime'>,
  channel: ChannelRow,
  session: SidecarSession,
): Promise<ChannelView> {
  const since =
    session.since && !Number.isNaN(Date.parse(session.since)) ? session.since : new Date().toISOString();
  await recordChannelState(
    deps,
    {
      provider: 'wppconnect',
      channel: channel.key,
      state: session.state,
      phone: session.phone,
      since,
      detail: session.detail,
    },
    { state: channel.state, phone: channel.phone, stateDetail: channel.stateDetail },
  );
  return channelView((await findChannel(deps.pool, channel.id)) ?? channel, true);
}
