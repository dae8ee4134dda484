/**
 * The drivers as an outbound job sees them: each send carries the job's request id (the sidecar
 * logs it as X-Request-Id) and is counted in `helpdesk_messages_sent_total` by provider, type and
 * result. Everything else goes straight to the real driver.
 */
import type { Menu } from '../domain/menu';
import { messagesSent } from '../infra/metrics';
import type { DriverRegistry } from '../whatsapp';
import type {
  OutboundMedia,
  OutboundTemplate,
  Recipient,
  SendOptions,
  SendResult,
  WhatsAppDriver,
} from '../whatsapp/driver';

/**
 * Wraps a registry so that its drivers' sends are counted and tagged with `requestId`.
 * @param requestId the id to send with every call, or undefined for none.
 */
export function tracedDrivers(drivers: DriverRegistry, requestId: string | undefined): DriverRegistry {
  return {
    channels: drivers.channels,
    forChannel: async (provider, channel) => traced(await drivers.forChannel(provider, channel), requestId),
    driverOf: (channel) => traced(drivers.driverOf(channel), requestId),
    webhookGroups: (provider) => drivers.webhookGroups(provider),
  };
}

function traced(driver: WhatsAppDriver, requestId: string | undefined): WhatsAppDriver {
  const tag = (options?: SendOptions): SendOptions | undefined =>
    requestId ? { ...options, requestId } : options;
  const count = async (type: string, send: () => Promise<SendResult>): Promise<SendResult> => {
    try {
      const result = await send();
      messagesSent.inc({ provider: driver.provider, type, result: 'sent' });
      return result;
    } catch (error) {
      messagesSent.inc({ provider: driver.provider, type, result: 'error' });
      throw error;
    }
  };
  return {
    provider: driver.provider,
    verifyWebhook: (request) => driver.verifyWebhook(request),
    parseWebhook: (body) => driver.parseWebhook(body),
    sendText: (channel: string, to: Recipient, text: string, options?: SendOptions) =>
      count('text', () => driver.sendText(channel, to, text, tag(options))),
    sendMedia: (channel: string, to: Recipient, media: OutboundMedia, options?: SendOptions) =>
      count(media.type, () => driver.sendMedia(channel, to, media, tag(options))),
    sendTemplate: (channel: string, to: Recipient, template: OutboundTemplate, options?: SendOptions) =>
      count('template', () => driver.sendTemplate(channel, to, template, tag(options))),
    sendMenu: (channel: string, to: Recipient, menu: Menu, options?: SendOptions) =>
      count('interactive', () => driver.sendMenu(channel, to, menu, tag(options))),
    downloadMedia: (channel, media) => driver.downloadMedia(channel, media),
    getStatus: (channel) => driver.getStatus(channel),
    normalisePhone: (input) => driver.normalisePhone(input),
  };
}
