/**
 * The channel the environment describes (WHATSAPP_PROVIDER with SIDECAR_* and SESSION_NAME, or
 * CLOUD_API_*), created or updated when the API starts, so a one-number deployment needs no console
 * step and switching the provider by configuration keeps working (SPEC section 9). Its settings
 * and secrets follow the environment at every start; an admin's rename, team and overrides stay.
 * The channel the environment described before (another provider or session) stays, no longer
 * marked configured: its tickets are still answered through it.
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { clearOtherConfiguredChannels, upsertConfiguredChannel, type ChannelRow } from '../../store/channels';
import type {
  CloudChannelSecrets,
  CloudChannelSettings,
  WppconnectChannelSecrets,
  WppconnectChannelSettings,
} from '../../whatsapp/channel-directory';

/**
 * Upserts the configured channel, then reloads the directory.
 * @returns the channel as stored.
 * @throws when the database cannot be written.
 */
export async function ensureConfiguredChannel(
  deps: Pick<Deps, 'config' | 'pool' | 'secretBox' | 'channels' | 'log'>,
): Promise<ChannelRow> {
  const { config } = deps;
  const described =
    config.provider === 'wppconnect'
      ? {
          provider: 'wppconnect' as const,
          key: config.channels.session,
          settings: {
            sidecarUrl: config.sidecar.url,
            session: config.channels.session,
          } satisfies WppconnectChannelSettings,
          secrets: deps.secretBox.seal({
            apiKey: config.sidecar.apiKey,
            webhookSecret: config.sidecar.webhookSecret,
          } satisfies WppconnectChannelSecrets),
        }
      : {
          provider: 'cloud' as const,
          key: config.cloud.phoneNumberId,
          settings: {
            phoneNumberId: config.cloud.phoneNumberId,
            businessAccountId: config.cloud.businessAccountId,
            graphVersion: config.cloud.version,
            baseUrl: config.cloud.baseUrl,
          } satisfies CloudChannelSettings,
          secrets: deps.secretBox.seal({
            accessToken: config.cloud.token,
            appSecret: config.cloud.appSecret,
            verifyToken: config.cloud.verifyToken,
          } satisfies CloudChannelSecrets),
        };
  // CHANNEL_NAME may already name another channel (e.g. the one of the provider used before).
  const names = [
    config.channels.name,
    `${config.channels.name} (${described.provider === 'cloud' ? 'Cloud API' : 'WPPConnect'})`,
    `${config.channels.name} (${described.key})`,
  ];
  let channel: ChannelRow | null = null;
  for (const [index, name] of names.entries()) {
    try {
      channel = await upsertConfiguredChannel(deps.pool, { ...described, name });
      break;
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'conflict' && index < names.length - 1)) throw error;
    }
  }
  await clearOtherConfiguredChannels(deps.pool, channel!.id);
  await deps.channels.reload();
  deps.log.info(
    { channelId: channel!.id, channel: channel!.key, provider: channel!.provider, name: channel!.name },
    'configured channel ready',
  );
  return channel!;
}
