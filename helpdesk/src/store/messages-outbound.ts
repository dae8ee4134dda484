/**
 * Outbound messages on their way out: claimed by one send job (so two jobs never send the same
 * message), then marked sent with the provider's id, or failed with the reason.
 */
import type { Menu } from '../domain/menu';
import type { OutboundTemplate } from '../whatsapp/driver';
import { rows } from './sql';
import type { DatabasePool } from './inbound-database';

/** A claimed message with what its sending needs: ticket, recipient and first attachment. */
export interface ClaimedMessage {
  ticketId: string;
  ticketNumber: number;
  assigneeId: string | null;
  provider: string;
  channel: string;
  type: string;
  text: string | null;
  caption: string | null;
  replyTo: string | null;
  raw: { kind?: string; menu?: Menu; template?: OutboundTemplate } | null;
  /** The customer's phone (E.164), lid and user id: the recipient. */
  phone: string | null;
  lid: string | null;
  userId: string | null;
  storageKey: string | null;
  mimeType: string | null;
  filename: string | null;
}

/**
 * Most messages one claim statement takes: the bot's welcome, menu and after-hours note (the
 * worker's MAX_MESSAGES_PER_OUTBOUND_JOB) in one round trip; longer jobs take several.
 */
const CLAIM_WIDTH = 3;

/**
 * Claims messages $1 … $3 (a missing one is NULL) for job $4 and reads what each one's sending
 * needs (`ClaimedMessage`, with its id). The ids are parameters of their own, not an array: with
 * an array PostgreSQL planned the claim again at every call, since a plan for any number of ids
 * looked dearer than one for the ids at hand, and that planning took longer than the claim itself
 * (0.6 – 0.8 against 0.4 ms; BENCHMARKS.md, "2026-11-30, morning"). Three parameters are planned
 * once per connection and the plan reused (test/integration/outbound-claim-plan.test.ts).
 */
const CLAIM_MESSAGES = `WITH claimed AS (
     UPDATE messages SET send_job_id = $4
      WHERE id IN ($1::uuid, $2::uuid, $3::uuid) AND direction = 'outbound' AND delivery_status = 'queued'
        AND (send_job_id IS NULL OR send_job_id = $4)
     RETURNING *)
   SELECT m.id, m.ticket_id AS "ticketId", t.number AS "ticketNumber", t.assignee_id AS "assigneeId",
          m.provider, m.channel, m.type, m.text, m.caption, m.reply_to AS "replyTo", m.raw,
          c.phone, c.lid, c.user_id AS "userId",
          a.storage_key AS "storageKey", a.mime_type AS "mimeType", a.original_filename AS filename
     FROM claimed m
     JOIN tickets t ON t.id = m.ticket_id
     JOIN customers c ON c.id = t.customer_id
     LEFT JOIN LATERAL (SELECT * FROM attachments WHERE message_id = m.id ORDER BY created_at LIMIT 1) a ON true`;

/**
 * Claims queued outbound messages for `jobId` (the same job may claim them again after a crash),
 * CLAIM_WIDTH messages a statement. Each message's claim stands alone: a message is claimed only
 * while queued and held by no other job.
 * @returns the messages claimed, by id, in the order of `messageIds`: a message not queued, or held
 *   by another job, is absent.
 */
export async function claimOutboundMessages(
  pool: DatabasePool,
  messageIds: readonly string[],
  jobId: string,
): Promise<Map<string, ClaimedMessage>> {
  const found = new Map<string, ClaimedMessage>();
  for (let start = 0; start < messageIds.length; start += CLAIM_WIDTH) {
    const ids = messageIds.slice(start, start + CLAIM_WIDTH);
    const parameters = Array.from({ length: CLAIM_WIDTH }, (_, index) => ids[index] ?? null);
    const claimed = await rows<ClaimedMessage & { id: string }>(
      pool,
      CLAIM_MESSAGES,
      [...parameters, jobId],
      'outbound-claim',
    );
    for (const { id, ...message } of claimed) found.set(id, message);
  }
  const inOrder = new Map<string, ClaimedMessage>();
  for (const messageId of messageIds) {
    const message = found.get(messageId);
    if (message) inOrder.set(messageId, message);
  }
  return inOrder;
}

/** Marks a message sent with the provider's message id (clearing any earlier error). */
export async function markOutboundSent(
  pool: DatabasePool,
  messageId: string,
  providerMessageId: string,
): Promise<void> {
  await pool.query({
    name: 'outbound-mark-sent',
    text: `UPDATE messages SET provider_message_id = $2, delivery_status = 'sent', error = NULL, updated_at = now() WHERE id = $1`,
    values: [messageId, providerMessageId],
  });
}

/** Marks a message failed with `reason`, only while it is still queued. */
export async function markOutboundFailed(
  pool: DatabasePool,
  messageId: string,
  reason: string,
): Promise<void> {
  await pool.query(
    `UPDATE messages SET delivery_status = 'failed', error = $2, updated_at = now() WHERE id = $1 AND delivery_status = 'queued'`,
    [messageId, reason],
  );
}
