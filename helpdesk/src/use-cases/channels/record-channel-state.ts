/**
 * A channel's WhatsApp session changed state (the sidecar's `session` webhook event): the
 * `helpdesk_channel_up{channel}` gauge follows it and every console is told (`channel.state`, to
 * everyone), e.g. to show a banner while a number is not connected. Nothing is stored: the
 * sidecar sends every change, in order, and its `GET /api/sessions` has the current states.
 */
import type { Deps } from '../../context';
import { channelUp } from '../../infra/metrics';
import type { ChannelStateEvent } from '../../whatsapp/inbound-event';

/**
 * @param deps the realtime publisher (best effort: never throws).
 * @param change the channel's new state, as the sidecar reported it (`since` ISO 8601, `phone`
 *   E.164 while connected).
 */
export async function recordChannelState(
  deps: Pick<Deps, 'realtime'>,
  change: ChannelStateEvent,
): Promise<void> {
  channelUp.set({ channel: change.channel }, change.state === 'connected' ? 1 : 0);
  await deps.realtime.publish({
    type: 'channel.state',
    ticketId: null,
    ticketNumber: null,
    data: {
      channel: change.channel,
      state: change.state,
      phone: change.phone,
      since: change.since,
      detail: change.detail,
    },
    audience: { agentIds: [], everyone: true },
  });
}
