/**
 * Edits, deletions and reactions of stored messages (issue 12), each recorded in
 * `message_changes` under its webhook event id (a redelivered change applies once) and applied to
 * its message in the same transaction, the message row locked so concurrent changes of one message
 * apply one after the other. A change whose message is not stored stays in `message_changes` with
 * no message when the caller says to keep it (its job's last attempt), else nothing is written;
 * should that message be stored later after all, `attachKeptChanges` applies it then.
 */
import { MEDIA_TYPES, type MessageType } from '@whatsapp-helpdesk/contract/sidecar-events';
import {
  applyEditTo,
  applyReactionTo,
  type MessageVersion,
  type StoredReaction,
} from '../domain/message-changes';
import type { DatabasePool, DatabaseTransaction } from './inbound-database';
import { row, rows, transaction } from './sql';

/** One change as it arrived. */
export type MessageChange = {
  /** The webhook event id (unique per change). */
  eventId: string;
  provider: string;
  channel: string;
  /** The provider's id of the changed message. */
  providerMessageId: string;
  /** The customer's time of the change. */
  at: Date;
} & (
  | { kind: 'edit'; text: string | null }
  | { kind: 'deletion' }
  | { kind: 'reaction'; emoji: string; sender: string }
);

/**
 * What happened: `applied` (the message changed, or the change was older than what it shows and
 * only joined its history), `duplicate` (this event was recorded before), `missing` (no such
 * message; nothing written), `kept` (no such message; the change is kept unmatched).
 */
export type ChangeOutcome =
  { outcome: 'applied'; messageId: string; ticketId: string } | { outcome: 'duplicate' | 'missing' | 'kept' };

interface LockedMessage {
  id: string;
  ticketId: string;
  type: string;
  text: string | null;
  caption: string | null;
  sentAt: Date;
  editedAt: Date | null;
  edits: MessageVersion[];
  reactions: StoredReaction[];
}

/**
 * Records and applies one change (see the module comment).
 * @param options.keepUnmatched keep a change whose message is not stored (else report `missing`).
 */
export async function applyMessageChange(
  pool: DatabasePool,
  change: MessageChange,
  options: { keepUnmatched: boolean },
): Promise<ChangeOutcome> {
  return transaction(pool, async (client) => {
    const message = await lockMessage(client, change.provider, change.providerMessageId);
    if (!message && !options.keepUnmatched) return { outcome: 'missing' };
    const recorded = await recordChange(client, change, message?.id ?? null);
    if (!recorded) return { outcome: 'duplicate' };
    if (!message) return { outcome: 'kept' };
    await writeChange(client, message, change);
    return { outcome: 'applied', messageId: message.id, ticketId: message.ticketId };
  });
}

/**
 * Applies the kept changes (see `applyMessageChange`) of messages just stored, oldest first, each
 * in its own transaction: one query when there are none (the partial index
 * message_changes_unmatched_idx serves it).
 * @param messages the provider and provider message id of each message stored.
 * @returns the messages that changed (our id and ticket), for the realtime `message.updated`.
 */
export async function attachKeptChanges(
  pool: DatabasePool,
  messages: ReadonlyArray<{ provider: string; providerMessageId: string }>,
): Promise<Array<{ messageId: string; ticketId: string; kind: MessageChange['kind'] }>> {
  if (messages.length === 0) return [];
  const kept = await rows<{
    id: string;
    kind: MessageChange['kind'];
    eventId: string;
    provider: string;
    channel: string;
    providerMessageId: string;
    data: { text?: string | null; emoji?: string; sender?: string };
    at: Date;
  }>(
    pool,
    `SELECT c.id, c.kind, c.event_id AS "eventId", c.provider, c.channel,
            c.provider_message_id AS "providerMessageId", c.data, c.happened_at AS at
       FROM message_changes c
      WHERE c.message_id IS NULL
        AND (c.provider, c.provider_message_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
      ORDER BY c.happened_at, c.id`,
    [messages.map((message) => message.provider), messages.map((message) => message.providerMessageId)],
    'message-change-kept',
  );
  const changed: Array<{ messageId: string; ticketId: string; kind: MessageChange['kind'] }> = [];
  for (const entry of kept) {
    const common = {
      eventId: entry.eventId,
      provider: entry.provider,
      channel: entry.channel,
      providerMessageId: entry.providerMessageId,
      at: entry.at,
    };
    const change: MessageChange =
      entry.kind === 'edit'
        ? { ...common, kind: 'edit', text: entry.data.text ?? null }
        : entry.kind === 'reaction'
          ? {
              ...common,
              kind: 'reaction',
              emoji: entry.data.emoji ?? '',
              sender: entry.data.sender ?? 'customer',
            }
          : { ...common, kind: 'deletion' };
    const applied = await transaction(pool, async (client) => {
      const message = await lockMessage(client, change.provider, change.providerMessageId);
      if (!message) return null;
      // Another process may have attached it meanwhile: only the one that sets message_id applies it.
      const claimed = await row<{ id: string }>(
        client,
        `UPDATE message_changes SET message_id = $2 WHERE id = $1 AND message_id IS NULL RETURNING id`,
        [entry.id, message.id],
      );
      if (!claimed) return null;
      await writeChange(client, message, change);
      return { messageId: message.id, ticketId: message.ticketId, kind: change.kind };
    });
    if (applied) changed.push(applied);
  }
  return changed;
}

/** The message with this provider id, locked until the transaction ends; null when not stored. */
async function lockMessage(
  client: DatabaseTransaction,
  provider: string,
  providerMessageId: string,
): Promise<LockedMessage | null> {
  return row<LockedMessage>(
    client,
    `SELECT id, ticket_id AS "ticketId", type, text, caption, sent_at AS "sentAt", edited_at AS "editedAt",
            edits, reactions
       FROM messages WHERE provider = $1 AND provider_message_id = $2 FOR UPDATE`,
    [provider, providerMessageId],
    'message-change-lock',
  );
}

/** @returns false when the event was recorded before. */
async function recordChange(
  client: DatabaseTransaction,
  change: MessageChange,
  messageId: string | null,
): Promise<boolean> {
  const data =
    change.kind === 'edit'
      ? { text: change.text }
      : change.kind === 'reaction'
        ? { emoji: change.emoji, sender: change.sender }
        : {};
  const inserted = await row<{ id: string }>(
    client,
    `INSERT INTO message_changes (event_id, kind, provider, channel, provider_message_id, message_id, data, happened_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (event_id) DO NOTHING RETURNING id`,
    [
      change.eventId,
      change.kind,
      change.provider,
      change.channel,
      change.providerMessageId,
      messageId,
      JSON.stringify(data),
      change.at,
    ],
    'message-change-record',
  );
  return inserted !== null;
}

async function writeChange(
  client: DatabaseTransaction,
  message: LockedMessage,
  change: MessageChange,
): Promise<void> {
  if (change.kind === 'deletion') {
    // The first deletion's time stays; text and media are kept.
    await client.query(
      `UPDATE messages SET deleted_at = LEAST(COALESCE(deleted_at, $2), $2), updated_at = now() WHERE id = $1`,
      [message.id, change.at],
    );
    return;
  }
  if (change.kind === 'reaction') {
    const reactions = applyReactionTo(message.reactions, {
      emoji: change.emoji,
      sender: change.sender,
      at: change.at,
    });
    await client.query(`UPDATE messages SET reactions = $2, updated_at = now() WHERE id = $1`, [
      message.id,
      JSON.stringify(reactions),
    ]);
    return;
  }
  // A media message's editable text is its caption (WhatsApp edits captions, not files).
  const field = MEDIA_TYPES.has(message.type as MessageType) ? 'caption' : 'text';
  const edited = applyEditTo(
    {
      text: message[field],
      editedAt: message.editedAt,
      sentAt: message.sentAt,
      edits: message.edits,
    },
    { text: change.text, at: change.at },
  );
  await client.query(
    `UPDATE messages SET ${field} = $2, edited_at = $3, edits = $4, updated_at = now() WHERE id = $1`,
    [message.id, edited.text, edited.editedAt, JSON.stringify(edited.edits)],
  );
}
