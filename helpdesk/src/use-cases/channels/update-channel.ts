/**
 * An admin changes a channel: name, enabled, team, overrides, and the provider's settings and
 * secrets (rotation: a secret given replaces the stored one, sealed again; those left out stay).
 * The session name and phone number id never change (the contract answers 400). A WPPConnect
 * channel whose sidecar URL or API key changes is checked first: the (new) sidecar must accept the
 * key and hold or create the session, else nothing is written. The channel the environment
 * describes keeps its provider settings and secrets from the environment (409 here). The channel
 * directory is reloaded after the write; a new team or a channel enabled again has its waiting
 * tickets assigned at once; a new team, business hours or time zone has its active tickets' due
 * times computed again at once (an sla-check run).
 */
import type { ChannelView, channelChangesBodySchema } from '@whatsapp-helpdesk/contract/api';
import type { z } from 'zod';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { updateChannel as writeChannel, type ChannelPatch } from '../../store/channels';
import { releaseBusinessHoursTickets } from '../../store/sla-tickets';
import { assignAndPublish } from '../assignment/assign-and-publish';
import { retimeActiveTickets } from '../sla/retime-active-tickets';
import { auditChanges, recordAudit } from '../audit/record-audit';
import { SidecarSessions } from '../../whatsapp/sidecar-sessions';
import { openSecrets, requireChannel } from './channel-access';
import { announceChannel } from './announce-channel';
import { channelView } from './channel-view';
import { checkTeam, mergeOverrides } from './check-channel-fields';

/** The changes body as validated by the contract. */
export type ValidChannelChanges = z.output<typeof channelChangesBodySchema>;

/**
 * @returns the channel after the change, as an admin sees it (never its secrets).
 * @throws AppError not_found; bad_request naming `wppconnect` / `cloud` when the part is not the
 *   channel's provider; conflict naming it for the environment's channel, or naming `name` when
 *   taken; validation_failed naming `teamId`, `overrides.…` or `wppconnect.apiKey`; provider_error
 *   (502) naming `wppconnect.sidecarUrl` when the sidecar cannot be reached.
 */
export async function updateChannel(
  deps: Pick<Deps, 'db' | 'pool' | 'config' | 'secretBox' | 'channels' | 'realtime' | 'log' | 'queues'>,
  channelId: string,
  changes: ValidChannelChanges,
): Promise<ChannelView> {
  const channel = await requireChannel(deps.pool, channelId);
  const part = channel.provider === 'wppconnect' ? changes.wppconnect : changes.cloud;
  const other = channel.provider === 'wppconnect' ? 'cloud' : 'wppconnect';
  if (changes[other] !== undefined) {
    throw new AppError(
      'bad_request',
      `${other}: "${channel.name}" is a ${channel.provider === 'wppconnect' ? 'WPPConnect' : 'Cloud API'} channel; send its settings as "${channel.provider}"`,
    );
  }
  const given = Object.fromEntries(
    Object.entries(part ?? {}).filter(([, value]) => value !== undefined),
  ) as Record<string, string>;
  if (Object.keys(given).length && channel.configured) {
    throw new AppError(
      'conflict',
      `${channel.provider}: "${channel.name}" is the channel the environment describes; change ${
        channel.provider === 'wppconnect' ? 'SIDECAR_*' : 'CLOUD_API_*'
      } and restart instead`,
    );
  }
  await checkTeam(deps.db, changes.teamId);

  const patch: ChannelPatch = {};
  if (changes.name !== undefined) patch.name = changes.name;
  if (changes.enabled !== undefined) patch.enabled = changes.enabled;
  if (changes.teamId !== undefined) patch.teamId = changes.teamId;
  if (changes.overrides !== undefined) patch.overrides = mergeOverrides(channel.overrides, changes.overrides);

  const secretNames =
    channel.provider === 'wppconnect'
      ? ['apiKey', 'webhookSecret']
      : ['accessToken', 'appSecret', 'verifyToken'];
  const settingChanges = Object.entries(given).filter(([name]) => !secretNames.includes(name));
  const secretChanges = Object.entries(given).filter(([name]) => secretNames.includes(name));
  if (settingChanges.length) patch.settings = { ...channel.settings, ...Object.fromEntries(settingChanges) };
  if (secretChanges.length || (channel.provider === 'wppconnect' && given.sidecarUrl !== undefined)) {
    // Every secret given: the stored ones need not be opened (a channel sealed with an older
    // CHANNEL_SECRETS_KEY is repaired this way).
    const stored = secretChanges.length === secretNames.length ? {} : openSecrets(deps, channel);
    const secrets = { ...stored, ...Object.fromEntries(secretChanges) };
    if (secretChanges.length) patch.secrets = deps.secretBox.seal(secrets);
    if (channel.provider === 'wppconnect' && (given.sidecarUrl !== undefined || given.apiKey !== undefined)) {
      // The sidecar the channel will use must take the key and hold the session before it is stored.
      await new SidecarSessions({
        sidecarUrl: String((patch.settings ?? channel.settings).sidecarUrl ?? ''),
        apiKey: String(secrets.apiKey ?? ''),
        timeoutMs: deps.config.sidecar.timeoutMs,
      }).createSession(channel.key);
    }
  }

  const updated = await writeChannel(deps.pool, channelId, patch);
  if (!updated) throw new AppError('not_found', `channel: no channel ${channelId}`);
  await recordAudit(deps.pool, {
    action: 'channel.updated',
    subjectType: 'channel',
    subjectId: channelId,
    data: {
      changes: auditChanges(channel, updated, ['name', 'enabled', 'teamId', 'overrides']),
      providerFields: Object.keys(given),
    },
  });
  await deps.channels.reload();
  await announceChannel(deps, updated);
  if (changes.teamId !== undefined || changes.enabled === true) await assignAndPublish(deps);
  // Its hours move the due times its tickets' business-hours policies count (named in the
  // request, changed or not: a retry after a failure here still applies them).
  const hoursGiven =
    changes.overrides?.businessHours !== undefined || changes.overrides?.businessTimeZone !== undefined;
  if (hoursGiven) await releaseBusinessHoursTickets(deps.pool, updated);
  // Its team may decide which policy applies to its tickets.
  if (changes.teamId !== undefined || hoursGiven) await retimeActiveTickets(deps);
  return channelView(updated, true);
}
