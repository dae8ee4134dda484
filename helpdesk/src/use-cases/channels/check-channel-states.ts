/**
 * The periodic check of every enabled channel (the `channel-check` scheduled job, every 30 s): asks
 * each channel's driver for its state (the sidecar's `GET /api/sessions/:name`, the Graph API's
 * `GET /<phone number id>`) and records it, so a state change the sidecar could not report (the
 * sidecar down) or the Cloud API never reports (an expired token) still reaches the consoles.
 */
import type { Deps } from '../../context';
import { listChannels } from '../../store/channels';
import { recordChannelState } from './record-channel-state';

/**
 * An answer is recorded only if the channel's stored state is still the one read before the driver
 * was asked: a session event recorded while the answer was on its way (the phone scanned the QR
 * just then) is newer than the answer, and stays.
 * @returns how many channels' stored state changed.
 * @throws when the database cannot be read or written (the next check tries again).
 */
export async function checkChannelStates(
  deps: Pick<Deps, 'pool' | 'realtime' | 'channels' | 'drivers' | 'log'>,
): Promise<number> {
  await deps.channels.reload();
  const enabled = deps.channels.list().filter((channel) => channel.enabled);
  const seen = new Map((await listChannels(deps.pool)).map((row) => [`${row.provider}|${row.key}`, row]));
  const statuses = await Promise.all(
    enabled.map(async (channel) => ({
      channel,
      status: await deps.drivers.driverOf(channel).getStatus(channel.key),
    })),
  );
  let changed = 0;
  for (const { channel, status } of statuses) {
    const stored = seen.get(`${channel.provider}|${channel.key}`);
    // A channel not stored when the check began (just added) has nothing newer to keep.
    if (!stored) continue;
    const recorded = await recordChannelState(
      deps,
      {
        provider: channel.provider,
        channel: channel.key,
        state: status.state,
        phone: status.phone,
        since: new Date().toISOString(),
        detail: status.detail ?? null,
      },
      { state: stored.state, phone: stored.phone, stateDetail: stored.stateDetail },
    );
    if (recorded) {
      changed += 1;
      deps.log.info({ channel: channel.key, state: status.state }, 'channel state changed (periodic check)');
    }
  }
  return changed;
}
