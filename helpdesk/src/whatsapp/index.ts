/**
 * The driver factory: picks the WhatsApp driver by configuration (`WHATSAPP_PROVIDER`). Tickets
 * remember their provider and channel, and every driver call names the channel: one driver serves
 * every channel of its provider (the WPPConnect driver sends each call through the sidecar session
 * the channel names, so a customer is always answered from the number they wrote to).
 */
import type { Config } from '../config';
import type { WhatsAppDriver } from './driver';
import { CloudApiDriver } from './drivers/cloud-api';
import { WppConnectDriver } from './drivers/wppconnect';
import type { Provider } from './inbound-event';

export interface DriverRegistry {
  /** The driver configured for this deployment (the one webhooks of `WHATSAPP_PROVIDER` use). */
  readonly primary: WhatsAppDriver;
  /**
   * The driver for a ticket's provider and channel (pass the channel on to its calls too).
   * @throws Error when the provider is not configured in this deployment.
   */
  forChannel(provider: string, channel: string): WhatsAppDriver;
}

/** Builds the drivers named by the configuration. */
export function createDrivers(config: Config): DriverRegistry {
  const drivers = new Map<Provider, WhatsAppDriver>();
  if (config.provider === 'wppconnect') {
    drivers.set(
      'wppconnect',
      new WppConnectDriver({
        sidecarUrl: config.sidecar.url,
        apiKey: config.sidecar.apiKey,
        webhookSecret: config.sidecar.webhookSecret,
        toleranceSeconds: config.webhook.toleranceSeconds,
        timeoutMs: config.sidecar.timeoutMs,
        defaultCountry: config.defaultCountry,
        mediaMaxBytes: config.mediaMaxBytes,
      }),
    );
  } else {
    drivers.set(
      'cloud',
      new CloudApiDriver({
        baseUrl: config.cloud.baseUrl,
        version: config.cloud.version,
        token: config.cloud.token,
        phoneNumberId: config.cloud.phoneNumberId,
        appSecret: config.cloud.appSecret,
        timeoutMs: config.cloud.timeoutMs,
        defaultCountry: config.defaultCountry,
        mediaMaxBytes: config.mediaMaxBytes,
      }),
    );
  }
  const primary = drivers.get(config.provider)!;
  return {
    primary,
    forChannel(provider: string) {
      const driver = drivers.get(provider as Provider);
      if (!driver) throw new Error(`no WhatsApp driver configured for provider "${provider}"`);
      return driver;
    },
  };
}
