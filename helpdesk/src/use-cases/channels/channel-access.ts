/**
 * What the channel use cases share: a stored channel or a 404, and the sidecar sessions client of a
 * WPPConnect channel (its secrets opened with the SecretBox, in memory only).
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { SecretBoxError } from '../../infra/secret-box';
import { findChannel, type ChannelRow } from '../../store/channels';
import { SidecarSessions } from '../../whatsapp/sidecar-sessions';

/** @throws AppError not_found when there is no channel with this id. */
export async function requireChannel(pool: Deps['pool'], channelId: string): Promise<ChannelRow> {
  const channel = await findChannel(pool, channelId);
  if (!channel) throw new AppError('not_found', `channel: no channel ${channelId}`);
  return channel;
}

/**
 * @throws AppError bad_request naming `provider` when the channel is not a WPPConnect one
 *   (`what` says what only WPPConnect channels have, e.g. "a QR").
 */
export function requireWppconnect(channel: ChannelRow, what: string): void {
  if (channel.provider !== 'wppconnect') {
    throw new AppError(
      'bad_request',
      `provider: "${channel.name}" is a Cloud API channel; ${what} is for WPPConnect channels only (Cloud API numbers are managed in Meta's WhatsApp Manager)`,
    );
  }
}

/**
 * A channel's secrets, opened in memory.
 * @throws AppError conflict naming the provider part when they cannot be decrypted (another
 *   CHANNEL_SECRETS_KEY sealed them): giving them again with PATCH repairs it.
 */
export function openSecrets(deps: Pick<Deps, 'secretBox'>, channel: ChannelRow): Record<string, unknown> {
  try {
    return deps.secretBox.open(channel.secrets);
  } catch (error) {
    if (!(error instanceof SecretBoxError)) throw error;
    throw new AppError(
      'conflict',
      `${channel.provider}: the secrets of "${channel.name}" cannot be decrypted (${error.message}); give them again with PATCH /api/channels/${channel.id}`,
    );
  }
}

/** The sidecar sessions client of a WPPConnect channel, with its opened API key. */
export function sessionsOf(deps: Pick<Deps, 'config' | 'secretBox'>, channel: ChannelRow): SidecarSessions {
  const secrets = openSecrets(deps, channel);
  return new SidecarSessions({
    sidecarUrl: String(channel.settings.sidecarUrl ?? ''),
    apiKey: String(secrets.apiKey ?? ''),
    timeoutMs: deps.config.sidecar.timeoutMs,
  });
}
