/**
 * After an admin adds or changes a channel, every open console is told with a `channel.state`
 * event carrying the channel's current state (the shape record-channel-state.ts publishes): a
 * console that does not know the channel reloads its list, one that does takes the new name.
 */
import type { Deps } from '../../context';
import type { ChannelRow } from '../../store/channels';

/** Publishes the channel's stored state to everyone (best effort: never throws). */
export async function announceChannel(deps: Pick<Deps, 'realtime'>, channel: ChannelRow): Promise<void> {
  await deps.realtime.publish({
    type: 'channel.state',
    ticketId: null,
    ticketNumber: null,
    data: {
      channelId: channel.id,
      channel: channel.key,
      name: channel.name,
      provider: channel.provider,
      state: channel.state,
      phone: channel.phone,
      since: (channel.stateSince ?? channel.updatedAt).toISOString(),
      detail: channel.stateDetail,
    },
    audience: { agentIds: [], everyone: true },
  });
}
