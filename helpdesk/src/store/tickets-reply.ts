/**
 * An agent's reply as stored: a queued outbound message (with its attachment when a file is sent)
 * on the ticket, and on the first agent reply the ticket's first response time with its
 * `first_response` event, all in one transaction.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { transaction } from './sql';
import { insertTicketEvents } from './ticket-events';
import { markFirstResponse } from './tickets';

/** A reply to store. */
export interface NewAgentReply {
  ticketId: string;
  channel: string;
  provider: string;
  agentId: string;
  /** The WhatsApp message type (`text`, `image`, `document`, …). */
  type: string;
  text: string | null;
  caption: string | null;
  /** A file already in media storage, or null. */
  attachment: {
    storageKey: string;
    mimeType: string;
    /** Bytes. */
    size: number;
    sha256: string;
    originalFilename: string | null;
  } | null;
  /** The time of the reply (message creation and the ticket's first response). */
  at: Date;
  /**
   * The message it quotes: our id, the provider's id (sent to the driver as `replyTo`), and what
   * the thread shows of it (messages.quoted); null or absent: no quote.
   */
  quoted?: { messageId: string; providerMessageId: string; snapshot: Record<string, unknown> } | null;
  /** What the send needs beyond the text (messages.raw), e.g. `{ kind: "template", template }`. */
  raw?: Record<string, unknown> | null;
}

/** Stores a reply (see the module comment). @returns the new message's id. */
export async function insertAgentReply(pool: pg.Pool, reply: NewAgentReply): Promise<string> {
  const messageId = randomUUID();
  await transaction(pool, async (client) => {
    await client.query(
      `INSERT INTO messages (id, ticket_id, channel, provider, direction, author, agent_id, delivery_status,
                             type, text, caption, sent_at, created_at, updated_at, reply_to,
                             quoted_message_id, quoted, raw)
       VALUES ($1, $2, $3, $4, 'outbound', 'agent', $5, 'queued', $6, $7, $8, $9, $9, $9, $10, $11, $12, $13)`,
      [
        messageId,
        reply.ticketId,
        reply.channel,
        reply.provider,
        reply.agentId,
        reply.type,
        reply.text,
        reply.caption,
        reply.at,
        reply.quoted?.providerMessageId ?? null,
        reply.quoted?.messageId ?? null,
        reply.quoted ? JSON.stringify(reply.quoted.snapshot) : null,
        reply.raw ? JSON.stringify(reply.raw) : null,
      ],
    );
    if (reply.attachment) {
      const file = reply.attachment;
      await client.query(
        `INSERT INTO attachments (id, message_id, storage_key, mime_type, size, sha256, original_filename, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          randomUUID(),
          messageId,
          file.storageKey,
          file.mimeType,
          file.size,
          file.sha256,
          file.originalFilename,
          reply.at,
        ],
      );
    }
    if (await markFirstResponse(client, reply.ticketId, reply.at)) {
      await insertTicketEvents(client, [
        { ticketId: reply.ticketId, type: 'first_response', agentId: reply.agentId, data: null },
      ]);
    }
  });
  return messageId;
}

/** Marks a reply that could not be queued for sending as failed (unless something moved it on). */
export async function markReplyUnqueued(pool: pg.Pool, messageId: string, error: string): Promise<void> {
  await pool.query(
    `UPDATE messages SET delivery_status = 'failed', error = $2, updated_at = now()
      WHERE id = $1 AND delivery_status = 'queued'`,
    [messageId, error],
  );
}
