/**
 * The integration API sends a text to a customer by phone (issue 17), e.g. an order system's "your
 * order #123 is ready": the message joins the customer's open or pending ticket on the channel, or
 * opens one (waiting for assignment by the usual rules), stored as a queued outbound message
 * (author bot) and sent by the outbound worker like any other. On the Cloud API a text is refused
 * outside the 24-hour customer-service window (409: only a template may be sent then).
 */
import type { IntegrationMessageBody } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { checkFreeFormReply } from '../../domain/customer-service-window';
import { normalisePhone } from '../../domain/phone';
import { AppError } from '../../errors';
import { enqueueOutbound } from '../../jobs/queues';
import { chooseMessageChannel, storeIntegrationMessage } from '../../store/integrations';
import { assignAndPublish } from '../assignment/assign-and-publish';

/** Arabic-Indic and Extended Arabic-Indic digits as ASCII. */
export function westernDigits(text: string): string {
  return text
    .replace(/[\u0660-\u0669]/g, (digit) => String(digit.charCodeAt(0) - 0x660))
    .replace(/[\u06f0-\u06f9]/g, (digit) => String(digit.charCodeAt(0) - 0x6f0));
}

/**
 * A phone as typed by another system (E.164 or national in DEFAULT_COUNTRY, Arabic-Indic digits ok).
 * @throws AppError validation_failed naming `field`.
 */
export function integrationPhone(input: string, defaultCountry: string, field = 'phone'): string {
  const phone = normalisePhone(westernDigits(input), defaultCountry);
  if (!phone) {
    throw new AppError('validation_failed', `${field}: not a valid phone number (E.164 or national)`, {
      fields: { [field]: 'not a valid phone number' },
    });
  }
  return phone;
}

/**
 * @returns the stored message and its ticket.
 * @throws AppError validation_failed (phone; channel unknown), conflict (Cloud API outside the window).
 */
export async function sendIntegrationMessage(
  deps: Pick<Deps, 'pool' | 'queues' | 'realtime' | 'log' | 'config'>,
  apiKeyId: string,
  body: IntegrationMessageBody,
  now = new Date(),
): Promise<{ messageId: string; ticketId: string; ticketNumber: number; ticketOpened: boolean }> {
  const phone = integrationPhone(body.phone, deps.config.defaultCountry);
  const channel = await chooseMessageChannel(deps.pool, phone, body.channel);
  if (!channel) {
    throw new AppError('validation_failed', 'channel: no enabled channel has this key', {
      fields: { channel: 'unknown channel' },
    });
  }
  const result = await storeIntegrationMessage(
    deps.pool,
    { phone, text: body.text, channel, apiKeyId, now },
    (lastInboundAt) => {
      const window = checkFreeFormReply({ provider: channel.provider, lastInboundAt, now });
      return window.allowed ? null : window.reason;
    },
  );
  if (result.outcome === 'refused') {
    throw new AppError(
      'conflict',
      `text: outside the 24-hour customer-service window a Cloud API channel can send only an approved template (${result.reason})`,
    );
  }
  const log = deps.log.child({ apiKeyId, ticketId: result.ticketId, messageId: result.messageId });
  try {
    await enqueueOutbound(deps.queues, `integration|${result.messageId}`, [result.messageId]);
  } catch (error) {
    // Stored as queued: the message-retry path (or an operator) sends it; say so in the log.
    log.error({ err: error }, 'integration message stored but not enqueued');
    throw new AppError(
      'unavailable',
      'the message was stored but could not be queued for sending; retry later',
    );
  }
  await deps.realtime.publishMessage(result.messageId);
  if (result.ticketOpened) await assignAndPublish(deps);
  log.info('integration message stored for sending');
  return {
    messageId: result.messageId,
    ticketId: result.ticketId,
    ticketNumber: result.ticketNumber,
    ticketOpened: result.ticketOpened,
  };
}
