/**
 * The periodic check of every enabled channel (the `channel-check` scheduled job, every 30 s): asks
 * each channel's driver for its state (the sidecar's `GET /api/sessions/:name`, the Graph API's
 * `GET /<phone number id>`) and records it, so a state change the sidecar could not report (the
 * sidecar down) or the Cloud API never reports (an expired token) still reaches the consoles.
 */
import type { Deps } from '../../context';
import { recordChannelState } from './record-channel-state';

/**
 * @returns how many channels' stored state changed.
 * @throws when the database cannot be read or written (the next check tries again).
 */
export async function checkChannelStates(
  deps: Pick<Deps, 'pool' | 'realtime' | 'channels' | 'drivers' | 'log'>,
): Promise<number> {
  await deps.channels.reload();
  const enabled = deps.channels.list().filter((channel) => channel.enabled);
  const statuses = await Promise.all(
    enabled.map(async (channel) => ({
      channel,
      status: await deps.drivers.driverOf(channel).getStatus(channel.key),
    })),
  );
  let changed = 0;
  for (const { channel, status } of statuses) {
    const recorded = await recordChannelState(deps, {
      provider: channel.provider,
      channel: channel.key,
      state: status.state,
      phone: status.phone,
      since: new Date().toISOString(),
      detail: status.detail ?? null,
    });
    if (recorded) {
      changed += 1;
      deps.log.info({ channel: channel.key, state: status.state }, 'channel state changed (periodic check)');
    }
  }
  return changed;
}
