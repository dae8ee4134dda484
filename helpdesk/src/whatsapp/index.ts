/**
 * The driver registry: maps each channel (a WhatsApp number, SPEC section 9) to a driver instance.
 * Channels come from the channel directory (the `channels` table, in memory); tickets remember
 * their provider and channel, and every send goes through the driver of that channel, so a
 * customer is always answered from the number they wrote to, whichever provider it uses.
 *
 * WPPConnect: one driver per sidecar (URL, API key, webhook secret): a sidecar serves several
 * sessions, and every driver call names the session. Cloud API: one driver per channel (its token,
 * app secret, Graph URL and version). Drivers are built on first use and rebuilt when a channel's
 * settings change.
 *
 * Webhooks (`webhookGroups`): the channels of a provider grouped by the secret that signs their
 * webhooks (the sidecar's webhook secret, the Meta app's secret), so a request is verified against
 * each distinct secret and then only carries events of the channels of the secret that matched.
 */
import type { Config } from '../config';
import { ProviderError } from '../errors';
import type { Channel, ChannelDirectory, CloudChannel, WppconnectChannel } from './channel-directory';
import type { WhatsAppDriver } from './driver';
import { CloudApiDriver } from './drivers/cloud-api';
import { WppConnectDriver } from './drivers/wppconnect';
import type { Provider } from './inbound-event';

/** The channels of one provider whose webhooks one secret signs. */
export interface WebhookGroup {
  provider: Provider;
  /**
   * Verifies and parses this group's webhooks (a Cloud API driver here accepts the changes of every
   * phone number id of the group).
   */
  driver: WhatsAppDriver;
  /** The group's enabled channels, by key (session / phone number id). */
  channels: Map<string, Channel>;
}

export interface DriverRegistry {
  /** Where the channels come from. */
  readonly channels: ChannelDirectory;
  /**
   * The driver of a ticket's (or inbound event's) provider and channel (pass the channel on to its
   * calls too). A disabled channel's driver fails every send for good, saying so.
   * @throws ProviderError (retryable) when no such channel is known (yet).
   */
  forChannel(provider: string, channel: string): Promise<WhatsAppDriver>;
  /** The driver of a known channel (synchronous: the webhook's hot path). */
  driverOf(channel: Channel): WhatsAppDriver;
  /** The enabled channels of `provider` grouped by the secret that signs their webhooks. */
  webhookGroups(provider: Provider): WebhookGroup[];
}

/** Builds the registry over the channel directory; driver settings not stored per channel come from `config`. */
export function createDrivers(config: Config, channels: ChannelDirectory): DriverRegistry {
  const cache = new Map<string, WhatsAppDriver>();
  let groups = new Map<Provider, WebhookGroup[]>();
  let builtFor = -1;
  const refresh = () => {
    if (builtFor === channels.version) return;
    cache.clear();
    groups = new Map();
    builtFor = channels.version;
  };

  const wppconnectDriver = (channel: WppconnectChannel): WhatsAppDriver => {
    const id = JSON.stringify([
      'wppconnect',
      channel.settings.sidecarUrl,
      channel.secrets.apiKey,
      channel.secrets.webhookSecret,
    ]);
    let driver = cache.get(id);
    if (!driver) {
      driver = new WppConnectDriver({
        sidecarUrl: channel.settings.sidecarUrl,
        apiKey: channel.secrets.apiKey,
        webhookSecret: channel.secrets.webhookSecret,
        toleranceSeconds: config.webhook.toleranceSeconds,
        timeoutMs: config.sidecar.timeoutMs,
        defaultCountry: config.defaultCountry,
        mediaMaxBytes: config.mediaMaxBytes,
        mediaDownloadTimeoutMs: config.mediaDownloadTimeoutMs,
      });
      cache.set(id, driver);
    }
    return driver;
  };
  const cloudDriver = (channel: CloudChannel, webhookPhoneNumberIds?: ReadonlySet<string>): CloudApiDriver =>
    new CloudApiDriver({
      baseUrl: channel.settings.baseUrl,
      version: channel.settings.graphVersion,
      token: channel.secrets.accessToken,
      phoneNumberId: channel.settings.phoneNumberId,
      appSecret: channel.secrets.appSecret,
      timeoutMs: config.cloud.timeoutMs,
      defaultCountry: config.defaultCountry,
      mediaMaxBytes: config.mediaMaxBytes,
      mediaDownloadTimeoutMs: config.mediaDownloadTimeoutMs,
      ...(webhookPhoneNumberIds ? { webhookPhoneNumberIds } : {}),
    });

  const driverOf = (channel: Channel): WhatsAppDriver => {
    refresh();
    if (channel.provider === 'wppconnect') return wppconnectDriver(channel);
    const id = `cloud\u0000${channel.id}`;
    let driver = cache.get(id);
    if (!driver) {
      driver = cloudDriver(channel);
      cache.set(id, driver);
    }
    return driver;
  };

  return {
    channels,
    driverOf,
    async forChannel(provider, key) {
      const channel = await channels.resolve(provider, key);
      if (!channel) {
        throw new ProviderError(
          `no ${provider} channel "${key}" is known (not in the channels table, or its secrets cannot be read)`,
          true,
        );
      }
      const driver = driverOf(channel);
      return channel.enabled ? driver : disabled(driver, channel);
    },
    webhookGroups(provider) {
      refresh();
      let list = groups.get(provider);
      if (list) return list;
      const bySecret = new Map<string, Channel[]>();
      for (const channel of channels.list()) {
        if (channel.provider !== provider || !channel.enabled) continue;
        const secret =
          channel.provider === 'wppconnect' ? channel.secrets.webhookSecret : channel.secrets.appSecret;
        bySecret.set(secret, [...(bySecret.get(secret) ?? []), channel]);
      }
      list = [...bySecret.values()].map((members) => {
        const first = members[0]!;
        const keys = new Map(members.map((channel) => [channel.key, channel]));
        return {
          provider,
          driver:
            first.provider === 'wppconnect'
              ? wppconnectDriver(first)
              : cloudDriver(first, new Set(keys.keys())),
          channels: keys,
        };
      });
      groups.set(provider, list);
      return list;
    },
  };
}

/** A disabled channel's driver: sends fail for good (never retried), everything else works. */
function disabled(driver: WhatsAppDriver, channel: Channel): WhatsAppDriver {
  const refuse = (): Promise<never> =>
    Promise.reject(
      new ProviderError(
        `channel "${channel.name}" (${channel.key}) is disabled: an admin turned it off`,
        false,
      ),
    );
  return {
    provider: driver.provider,
    verifyWebhook: (request) => driver.verifyWebhook(request),
    parseWebhook: (body) => driver.parseWebhook(body),
    sendText: refuse,
    sendMedia: refuse,
    sendTemplate: refuse,
    sendMenu: refuse,
    downloadMedia: (key, media) => driver.downloadMedia(key, media),
    getStatus: (key) => driver.getStatus(key),
    normalisePhone: (input) => driver.normalisePhone(input),
  };
}
