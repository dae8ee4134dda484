/**
 * A channel's state changed (the sidecar's `session` webhook event, or the periodic check asking
 * each channel's driver): the `helpdesk_channel_up{channel}` gauge follows it, the state is stored
 * on the channel (`channels.state`, `phone`, `state_since`, `state_detail`) and, when it differs
 * from the stored one, every console is told (`channel.state`, to everyone), e.g. to show a banner
 * while a number is not connected.
 */
import type { Deps } from '../../context';
import { channelUp } from '../../infra/metrics';
import {
  findChannelByKey,
  recordChannelState as storeChannelState,
  type SeenChannelState,
} from '../../store/channels';
import type { Provider } from '../../whatsapp/inbound-event';

/** A channel's state as reported. */
export interface ChannelStateChange {
  /** Default `wppconnect` (the sidecar's events). */
  provider?: Provider;
  /** The channel's key: the session name or the phone number id. */
  channel: string;
  /** starting | qr | connected | disconnected | logged_out | error | unknown. */
  state: string;
  /** E.164 while connected, when known. */
  phone: string | null;
  /** ISO 8601: since when the channel is in this state. */
  since: string;
  detail: string | null;
}

/**
 * @param deps the pool (the state is stored), the realtime publisher (best effort: never throws)
 *   and the channel directory (the channel's name).
 * @param seen the stored state the caller read before asking the driver (the periodic check): the
 *   change is dropped when the channel's state changed meanwhile, since that change is newer than
 *   the answer (store/channels.ts). Omitted for the sidecar's own events, which come in order.
 * @returns true when the stored state changed (and `channel.state` was published).
 * @throws when the database cannot be written.
 */
export async function recordChannelState(
  deps: Pick<Deps, 'pool' | 'realtime'>,
  change: ChannelStateChange,
  seen?: SeenChannelState,
): Promise<boolean> {
  const provider = change.provider ?? 'wppconnect';
  const stored = await storeChannelState(
    deps.pool,
    provider,
    change.channel,
    { state: change.state, phone: change.phone, since: new Date(change.since), detail: change.detail },
    seen,
  );
  // The gauge follows what is stored: an answer of the check that changed nothing, or came too late
  // to, leaves it with the state the row holds (read again: a late answer is not it).
  const current =
    stored ?? (seen === undefined ? change : await findChannelByKey(deps.pool, provider, change.channel));
  if (current) channelUp.set({ channel: change.channel }, current.state === 'connected' ? 1 : 0);
  if (!stored) return false;
  await deps.realtime.publish({
    type: 'channel.state',
    ticketId: null,
    ticketNumber: null,
    data: {
      channelId: stored.id,
      channel: change.channel,
      name: stored.name,
      provider,
      state: change.state,
      phone: change.phone,
      since: change.since,
      detail: change.detail,
    },
    audience: { agentIds: [], everyone: true },
  });
  return true;
}
