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
 * Claims the messages whose ids `ids` gives for job `job` and reads what each one's sending needs
 * (`ClaimedMessage`, with its id).
 */
function claimStatement(ids: string, job: string): string {
  return `WITH claimed AS (
     UPDATE messages SET send_job_id = ${job}
      WHERE id ${ids} AND direction = 'outbound' AND delivery_status = 'queued'
        AND (send_job_id IS NULL OR send_job_id = ${job})
     RETURNING *)
   SELECT m.id, m.ticket_id AS "ticketId", t.number AS "ticketNumber", t.assignee_id AS "assigneeId",
          m.provider, m.channel, m.type, m.text, m.caption, m.reply_to AS "replyTo", m.raw,
          c.phone, c.lid, c.user_id AS "userId",
          a.storage_key AS "storageKey", a.mime_type AS "mimeType", a.original_filename AS filename
     FROM claimed m
     JOIN tickets t ON t.id = m.ticket_id
     JOIN customers c ON c.id = t.customer_id
     LEFT JOIN LATERAL (SELECT * FROM attachments WHERE message_id = m.id ORDER BY created_at LIMIT 1) a ON true`;
}

/**
 * Up to three messages (a new customer's welcome, menu and after-hours note; the most a job
 * carries where a rate limit counts jobs: jobs/queues.ts) are claimed by ids $1 … $3 (a missing one
 * NULL) for job $4: parameters of their own, not an array. With an array PostgreSQL planned such a
 * claim again at every call, since a plan for any number of ids looked dearer than one for the two
 * at hand, and that planning took longer than the claim itself (0.6 – 0.8 against 0.4 ms;
 * BENCHMARKS.md, "2026-11-30, morning"); three parameters are planned once per connection and the
 * plan reused (test/integration/outbound-claim-plan.test.ts).
 */
const NARROW_CLAIM_WIDTH = 3;
const NARROW_CLAIM = claimStatement('IN ($1::uuid, $2::uuid, $3::uuid)', '$4');

/**
 * More messages (the bot's replies to a batch of inbound messages, packed into one job) are
 * claimed by an array $1 for job $2, in one statement whatever their number. Here the plan for any
 * number of ids is no dearer than one for the many at hand, so it is reused too (the same test).
 */
const WIDE_CLAIM = claimStatement('= ANY($1::uuid[])', '$2');

/**
 * Claims queued outbound messages for `jobId` (the same job may claim them again after a crash),
 * in one statement. Each message's claim stands alone: a message is claimed only while queued and
 * held by no other job.
 * @returns the messages claimed, by id, in the order of `messageIds`: a message not queued, or held
 *   by another job, is absent.
 */
export async function claimOutboundMessages(
  pool: DatabasePool,
  messageIds: readonly string[],
  jobId: string,
): Promise<Map<string, ClaimedMessage>> {
  const narrow = messageIds.length <= NARROW_CLAIM_WIDTH;
  const claimed = narrow
    ? await rows<ClaimedMessage & { id: string }>(
        pool,
        NARROW_CLAIM,
        [...Array.from({ length: NARROW_CLAIM_WIDTH }, (_, index) => messageIds[index] ?? null), jobId],
        'outbound-claim',
      )
    : await rows<ClaimedMessage & { id: string }>(
        pool,
        WIDE_CLAIM,
        [messageIds, jobId],
        'outbound-claim-many',
      );
  const found = new Map(claimed.map(({ id, ...message }) => [id, message]));
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
