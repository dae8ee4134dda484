/**
 * Sends queued outbound messages through their ticket's driver and records the outcome
 * (provider message id and `sent`, or `failed` with the reason).
 */
import type pg from 'pg';
import type { Menu } from '../domain/menu';
import { ProviderError } from '../errors';
import { row } from '../infra/sql';
import type { MediaStorage } from '../infra/storage';
import type { DriverRegistry } from '../whatsapp';
import type { OutboundMediaType } from '../whatsapp/driver';
import type { MessageStatusChange } from '../realtime/publish';

export interface SendDependencies {
  pool: pg.Pool;
  drivers: DriverRegistry;
  storage: MediaStorage;
}

/**
 * What a send did: `skipped` (not queued, or claimed by another job), or the message's new status
 * with its ticket, for the realtime event.
 */
export type SendOutcome =
  { outcome: 'skipped' } | { outcome: 'sent' | 'failed'; change: MessageStatusChange };

interface ClaimedMessage {
  ticketId: string;
  ticketNumber: number;
  assigneeId: string | null;
  provider: string;
  channel: string;
  type: string;
  text: string | null;
  caption: string | null;
  replyTo: string | null;
  raw: { kind?: string; menu?: Menu } | null;
  phone: string | null;
  lid: string | null;
  userId: string | null;
  storageKey: string | null;
  mimeType: string | null;
  filename: string | null;
}

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
  const message = await row<ClaimedMessage>(
    deps.pool,
    `WITH claimed AS (
       UPDATE messages SET send_job_id = $2
        WHERE id = $1 AND direction = 'outbound' AND delivery_status = 'queued'
          AND (send_job_id IS NULL OR send_job_id = $2)
       RETURNING *)
     SELECT m.ticket_id AS "ticketId", t.number AS "ticketNumber", t.assignee_id AS "assigneeId",
            m.provider, m.channel, m.type, m.text, m.caption, m.reply_to AS "replyTo", m.raw,
            c.phone, c.lid, c.user_id AS "userId",
            a.storage_key AS "storageKey", a.mime_type AS "mimeType", a.original_filename AS filename
       FROM claimed m
       JOIN tickets t ON t.id = m.ticket_id
       JOIN customers c ON c.id = t.customer_id
       LEFT JOIN LATERAL (SELECT * FROM attachments WHERE message_id = m.id ORDER BY created_at LIMIT 1) a ON true`,
    [messageId, jobId],
    'outbound-claim',
  );
  if (!message) return { outcome: 'skipped' };
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
    const driver = deps.drivers.forChannel(message.provider, message.channel);
    const result =
      message.raw?.kind === 'menu' && message.raw.menu
        ? await driver.sendMenu(message.channel, to, message.raw.menu)
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
    await deps.pool.query(
      `UPDATE messages SET provider_message_id = $2, delivery_status = 'sent', error = NULL, updated_at = now() WHERE id = $1`,
      [messageId, result.providerMessageId],
    );
    return { outcome: 'sent', change: change('sent', null) };
  } catch (error) {
    if (error instanceof ProviderError && error.retryable) throw error;
    const reason = await markFailed(deps.pool, messageId, (error as Error).message);
    return { outcome: 'failed', change: change('failed', reason) };
  }
}

/**
 * Marks a still-queued message failed with a reason (final failure of its job).
 * @returns the reason as stored (at most 2,000 characters).
 */
export async function markFailed(pool: pg.Pool, messageId: string, reason: string): Promise<string> {
  const stored = reason.slice(0, 2000);
  await pool.query(
    `UPDATE messages SET delivery_status = 'failed', error = $2, updated_at = now() WHERE id = $1 AND delivery_status = 'queued'`,
    [messageId, stored],
  );
  return stored;
}
