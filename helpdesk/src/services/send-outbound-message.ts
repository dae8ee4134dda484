/**
 * Sends queued outbound messages through their ticket's driver and records the outcome
 * (provider message id and `sent`, or `failed` with the reason).
 */
import type { Menu } from '../domain/menu';
import { ProviderError } from '../errors';
import type { Database } from '../infra/db';
import type { MediaStorage } from '../infra/storage';
import type { DriverRegistry } from '../whatsapp';
import type { OutboundMediaType } from '../whatsapp/driver';

export interface SendDependencies {
  db: Database;
  drivers: DriverRegistry;
  storage: MediaStorage;
}

export type SendOutcome = 'sent' | 'failed' | 'skipped';

/**
 * Sends one message, once. The message is first claimed for `jobId` so two jobs never send it;
 * the same job may resume its own claim after a crash (at-least-once on a crash mid-send).
 * @returns `skipped` when the message is not queued or belongs to another job.
 * @throws ProviderError when the send failed but may pass later (the job retries).
 */
export async function sendOutboundMessage(
  deps: SendDependencies,
  messageId: string,
  jobId: string,
): Promise<SendOutcome> {
  const claimed = await deps.db.message.updateMany({
    where: {
      id: messageId,
      direction: 'outbound',
      deliveryStatus: 'queued',
      OR: [{ sendJobId: null }, { sendJobId: jobId }],
    },
    data: { sendJobId: jobId },
  });
  if (claimed.count === 0) return 'skipped';
  const message = await deps.db.message.findUniqueOrThrow({
    where: { id: messageId },
    include: { ticket: { include: { customer: true } }, attachments: true },
  });
  const { ticket } = message;
  const to = { phone: ticket.customer.phone, lid: ticket.customer.lid, userId: ticket.customer.userId };
  const raw = (message.raw ?? {}) as { kind?: string; menu?: Menu };
  try {
    const driver = deps.drivers.forChannel(message.provider, message.channel);
    const attachment = message.attachments[0];
    const result =
      raw.kind === 'menu' && raw.menu
        ? await driver.sendMenu(message.channel, to, raw.menu)
        : attachment
          ? await driver.sendMedia(
              message.channel,
              to,
              {
                type: message.type as OutboundMediaType,
                path: deps.storage.pathOf(attachment.storageKey),
                mimeType: attachment.mimeType,
                filename: attachment.originalFilename,
                caption: message.caption,
              },
              { replyTo: message.replyTo },
            )
          : await driver.sendText(message.channel, to, message.text ?? '', { replyTo: message.replyTo });
    await deps.db.message.update({
      where: { id: messageId },
      data: { providerMessageId: result.providerMessageId, deliveryStatus: 'sent', error: null },
    });
    return 'sent';
  } catch (error) {
    if (error instanceof ProviderError && error.retryable) throw error;
    await markFailed(deps.db, messageId, (error as Error).message);
    return 'failed';
  }
}

/** Marks a still-queued message failed with a reason (final failure of its job). */
export async function markFailed(db: Database, messageId: string, reason: string): Promise<void> {
  await db.message.updateMany({
    where: { id: messageId, deliveryStatus: 'queued' },
    data: { deliveryStatus: 'failed', error: reason.slice(0, 2000) },
  });
}
