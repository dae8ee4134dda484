/**
 * Ingest a batch of inbound messages: the outcome of `ingestInboundMessage` for each, with far
 * fewer statements. Text-like messages from a phone (nearly all of them) are saved in one
 * transaction of two statements, a third for the new customers' tickets and one or two for each
 * reopened one: every customer upserted and every open ticket locked at once, the new tickets
 * opened at once, the bot's decisions taken in order in memory, then every message,
 * reply, event and ticket state written at once (save-messages.ts, the same transaction body as
 * for one message). Everything else goes one message at a time, in order, their media downloaded
 * side by side first.
 */
import pLimit from 'p-limit';
import type { SkipEventError } from '../../errors';
import { inTransaction } from '../../store/inbound-database';
import type { WhatsAppDriver } from '../../whatsapp/driver';
import { MEDIA_TYPES, type InboundMessage } from '../../whatsapp/inbound-event';
import { identifySender, type SenderIdentity } from './identify-sender';
import { prepareInboundMessage, storePreparedMessage, type IngestDependencies } from './ingest-message';
import { saveInboundMessages, type IngestResult } from './save-messages';

/** Media downloads of a batch's messages at once (each one's job is a stream into storage). */
const MEDIA_DOWNLOADS_AT_ONCE = 4;

/** One message of a batch: the event, its driver (phone rules, media) and whether its job is on its last try. */
export interface BatchItem {
  event: InboundMessage;
  driver: WhatsAppDriver;
  lastAttempt: boolean;
}

/** A batch item's outcome: its result, or the error `ingestInboundMessage` would have thrown. */
export type IngestOutcome = IngestResult | Error;

/**
 * Stores several inbound messages with the outcome of `ingestInboundMessage` for each, in one
 * transaction when it can. Messages with media or from a sender known only by lid or user id, and
 * every message of a batch whose transaction fails for any reason (a redelivery, a race on a new
 * customer, a deadlock), are stored one by one by `ingestInboundMessage`'s two steps (their media
 * fetched four at a time, ahead of their turn), so batching never changes an outcome. Customers
 * are locked in phone order, so concurrent batches do not deadlock on each other; one sender's
 * messages keep their order (after one of theirs that goes alone, the rest of theirs go alone too).
 * @returns one outcome per item, in the items' order.
 */
export async function ingestInboundMessages(
  deps: Omit<IngestDependencies, 'driver'>,
  items: readonly BatchItem[],
): Promise<IngestOutcome[]> {
  const outcomes = new Array<IngestOutcome>(items.length);
  const together: Array<{ index: number; identity: SenderIdentity }> = [];
  const alone: number[] = [];
  // The together transaction is stored before the ones alone: a sender's message after one of
  // theirs that goes alone (a photo before its text) goes alone too, or it would overtake it.
  const sendersAlone = new Set<string>();
  items.forEach((item, index) => {
    let identity: SenderIdentity;
    try {
      identity = identifySender(item.driver, item.event);
    } catch (error) {
      outcomes[index] = error as SkipEventError;
      return;
    }
    const phoneOnly = identity.phone !== null && !identity.lid && !identity.userId;
    const hasMedia = MEDIA_TYPES.has(item.event.type) && Boolean(item.event.media);
    if (phoneOnly && !hasMedia && !sendersAlone.has(identity.phone!)) {
      together.push({ index, identity });
      return;
    }
    alone.push(index);
    for (const key of [identity.phone, identity.lid, identity.userId]) if (key) sendersAlone.add(key);
  });
  if (together.length > 1) {
    try {
      const results = await inTransaction(deps.pool, (transaction) =>
        saveInboundMessages(
          deps,
          transaction,
          together.map(({ index, identity }) => ({
            event: items[index]!.event,
            identity,
            media: null,
            mediaError: null,
          })),
        ),
      );
      together.forEach(({ index }, position) => (outcomes[index] = results[position]!));
    } catch (error) {
      deps.log.debug({ err: error, messages: together.length }, 'batch rolled back: storing one by one');
      alone.push(...together.map(({ index }) => index));
    }
  } else {
    alone.push(...together.map(({ index }) => index));
  }
  if (alone.length === 0) return outcomes;
  // Their media are fetched side by side, so a batch holding several photos holds its shard (and
  // its customers' next messages) for about the slowest download rather than their sum; the
  // messages are then stored in order.
  const limit = pLimit(MEDIA_DOWNLOADS_AT_ONCE);
  const queued = alone
    .sort((a, b) => a - b)
    .map((index) => {
      const { event, driver, lastAttempt } = items[index]!;
      const messageDeps = { ...deps, driver };
      const prepared = limit(() => prepareInboundMessage(messageDeps, event, { lastAttempt })).catch(
        (error: Error) => error,
      );
      return { index, event, messageDeps, prepared };
    });
  for (const { index, event, messageDeps, prepared } of queued) {
    const ready = await prepared;
    try {
      if (ready instanceof Error) throw ready;
      outcomes[index] = await storePreparedMessage(messageDeps, event, ready);
    } catch (error) {
      outcomes[index] = error as Error;
    }
  }
  return outcomes;
}
