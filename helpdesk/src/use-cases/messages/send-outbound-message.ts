/**
 * Send a queued outbound message through its ticket's driver and record the outcome (provider
 * message id and `sent`, or `failed` with the reason): claim, send (menu, media or text), save.
 * Every send names the message's channel (its ticket's: the number the customer wrote to), so the
 * reply goes out from that number (for WPPConnect, that sidecar session).
 */
import type { Deps } from '../../context';
import { ProviderError } from '../../errors';
import type { MediaStorage } from '../../infra/storage';
import type { MessageStatusChange } from '../../realtime/publish';
import { claimOutboundMessages, markOutboundSent, type ClaimedMessage } from '../../store/messages-outbound';
import type { DriverRegistry } from '../../whatsapp';
import type { OutboundMediaType } from '../../whatsapp/driver';
import { markFailed } from './mark-outbound-failed';

export interface SendDependencies {
  pool: Deps['pool'];
  drivers: DriverRegistry;
  storage: MediaStorage;
}

/** What a send did: the message's new status with its ticket, for the realtime event. */
export interface SendOutcome {
  outcome: 'sent' | 'failed';
  change: MessageStatusChange;
}

/**
 * Claims an outbound job's messages for `jobId`, before sending any (the job then sends each with
 * `sendClaimedMessage`, in order).
 * @returns the messages claimed, by id; one not queued, or held by another job, is absent.
 */
export async function claimMessagesToSend(
  deps: Pick<SendDependencies, 'pool'>,
  messageIds: readonly string[],
  jobId: string,
): Promise<Map<string, ClaimedMessage>> {
  return claimOutboundMessages(deps.pool, messageIds, jobId);
}

/**
 * Sends a message its job has claimed (`claimMessagesToSend`: an outbound job claims all its
 * messages before sending, each only while no other job holds it, so two jobs never send one; the
 * same job may claim again after a crash, at-least-once on a crash mid-send), and records the
 * outcome.
 * @returns the message's new status with its ticket, for the realtime event.
 * @throws ProviderError when the send failed but may pass later (the job retries).
 */
export async function sendClaimedMessage(
  deps: SendDependencies,
  messageId: string,
  message: ClaimedMessage,
): Promise<SendOutcome> {
  const change = (deliveryStatus: 'sent' | 'failed', error: string | null): MessageStatusChange => ({
    messageId,
    ticketId: message.ticketId,
    ticketNumber: message.ticketNumber,
    assigneeId: message.assigneeId,
    deliveryStatus,
    error,
  });
  const to = { phone: message.phone, lid: message.lid, userId: message.userId };
  try {
    const driver = await deps.drivers.forChannel(message.provider, message.channel);
    const result =
      message.raw?.kind === 'menu' && message.raw.menu
        ? await driver.sendMenu(message.channel, to, message.raw.menu)
        : message.raw?.kind === 'template' && message.raw.template
          ? await driver.sendTemplate(message.channel, to, message.raw.template, { replyTo: message.replyTo })
          : message.storageKey
            ? await driver.sendMedia(
                message.channel,
                to,
                {
                  type: message.type as OutboundMediaType,
                  path: deps.storage.pathOf(message.storageKey),
                  mimeType: message.mimeType!,
                  filename: message.filename,
                  caption: message.caption,
                },
                { replyTo: message.replyTo },
              )
            : await driver.sendText(message.channel, to, message.text ?? '', { replyTo: message.replyTo });
    await markOutboundSent(deps.pool, messageId, result.providerMessageId);
    return { outcome: 'sent', change: change('sent', null) };
  } catch (error) {
    if (error instanceof ProviderError && error.retryable) throw error;
    const reason = await markFailed(deps.pool, messageId, (error as Error).message);
    return { outcome: 'failed', change: change('failed', reason) };
  }
}
