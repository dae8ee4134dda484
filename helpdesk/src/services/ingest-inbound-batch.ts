/**
 * The inbound pipeline for a batch of messages: the outcome of `ingestInboundMessage` for each,
 * with far fewer statements. Text-like messages from a phone (nearly all of them) are written in
 * one transaction of two statements plus one or two per new ticket: every customer upserted and
 * every open ticket locked at once, the bot's decisions taken in order in memory, then every
 * message, reply, event and ticket state written at once. Everything else goes one message at a
 * time (see `ingestInboundMessages`).
 */
import type pg from 'pg';
import type { SkipEventError } from '../errors';
import { row, transaction } from '../infra/sql';
import { MEDIA_TYPES, type InboundMessage } from '../whatsapp/inbound-event';
import type { WhatsAppDriver } from '../whatsapp/driver';
import { planMessage, ticketForMessage, type MessagePlan, type TicketRow } from './inbound-message-plan';
import {
  identifySender,
  ingestInboundMessage,
  type IngestDependencies,
  type IngestResult,
  type SenderIdentity,
} from './ingest-inbound-message';
import { lockPhoneSenders, openTicketKey } from './phone-senders';

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
 * customer, a deadlock), are stored one by one with `ingestInboundMessage`, so batching never
 * changes an outcome. Customers are locked in phone order, so concurrent batches do not deadlock
 * on each other; one sender's messages keep their order.
 * @returns one outcome per item, in the items' order.
 */
export async function ingestInboundMessages(
  deps: Omit<IngestDependencies, 'driver'>,
  items: readonly BatchItem[],
): Promise<IngestOutcome[]> {
  const outcomes = new Array<IngestOutcome>(items.length);
  const together: Array<{ index: number; identity: SenderIdentity & { phone: string } }> = [];
  const alone: number[] = [];
  items.forEach((item, index) => {
    let identity: SenderIdentity;
    try {
      identity = identifySender(item.driver, item.event);
    } catch (error) {
      outcomes[index] = error as SkipEventError;
      return;
    }
    const phoneOnly = identity.phone !== null && !identity.lid && !identity.userId;
    if (!phoneOnly || (MEDIA_TYPES.has(item.event.type) && item.event.media)) alone.push(index);
    else together.push({ index, identity: identity as SenderIdentity & { phone: string } });
  });
  if (together.length > 1) {
    try {
      const results = await transaction(deps.pool, (client) =>
        writeBatch(
          deps,
          client,
          together.map(({ index, identity }) => ({ event: items[index]!.event, identity })),
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
  for (const index of alone.sort((a, b) => a - b)) {
    const item = items[index]!;
    try {
      outcomes[index] = await ingestInboundMessage({ ...deps, driver: item.driver }, item.event, {
        lastAttempt: item.lastAttempt,
      });
    } catch (error) {
      outcomes[index] = error as Error;
    }
  }
  return outcomes;
}

/** A message of the batch was stored before (a redelivery): the batch goes one by one. */
class BatchHoldsRedelivery extends Error {}

/**
 * The batch's transaction.
 * @returns each message's result, in the items' order.
 * @throws BatchHoldsRedelivery (or a database error) to roll the whole batch back.
 */
async function writeBatch(
  deps: Omit<IngestDependencies, 'driver'>,
  client: pg.PoolClient,
  items: ReadonlyArray<{ event: InboundMessage; identity: SenderIdentity & { phone: string } }>,
): Promise<IngestResult[]> {
  const startedAt = new Date();
  const { customers, tickets } = await lockPhoneSenders(
    client,
    items.map(({ event, identity }) => ({ ...identity, channel: event.channel })),
    startedAt,
  );

  // The bot decides message by message, in order, each seeing the state the previous one left.
  const planned: Array<{ plan: MessagePlan; event: InboundMessage; ticket: TicketRow }> = [];
  let clock = startedAt;
  for (const { event, identity } of items) {
    const customer = customers.get(identity.phone)!;
    const ticketKey = openTicketKey(identity.phone, event.channel);
    const now = clock;
    const { ticket, change } = await ticketForMessage(
      client,
      deps.reopenWindowMs,
      customer.id,
      event,
      tickets.get(ticketKey) ?? null,
      now,
    );
    const { plan, nextFree } = planMessage(deps, { event, customer, ticket, change, now });
    planned.push({ plan, event, ticket });
    customers.set(identity.phone, { id: customer.id, created: false, previousInboundAt: now });
    tickets.set(ticketKey, plan.ticket);
    clock = nextFree;
  }

  const finalTickets = new Map<string, { ticket: TicketRow; inboundAt: Date; updatedAt: Date }>();
  for (const { plan } of planned) {
    const previous = finalTickets.get(plan.ticket.id);
    finalTickets.set(plan.ticket.id, {
      ticket: plan.ticket,
      inboundAt: previous && previous.inboundAt > plan.inboundAt ? previous.inboundAt : plan.inboundAt,
      updatedAt: plan.inbound.createdAt,
    });
  }
  const replies = planned.flatMap(({ plan, event }) => plan.replies.map((reply) => ({ reply, plan, event })));
  const events = planned.flatMap(({ plan }) => plan.events.map((entry) => ({ entry, plan })));
  const ticketStates = [...finalTickets.values()];
  const written = await row<{ stored: number }>(
    client,
    `WITH inbound AS (
       INSERT INTO messages (id, ticket_id, channel, direction, author, provider, provider_message_id, type, text,
                             caption, reply_to, delivery_status, error, raw, sent_at, created_at, updated_at)
       SELECT m.id, m.ticket_id, m.channel, 'inbound', 'customer', m.provider, m.provider_message_id, m.type, m.text,
              m.caption, m.reply_to, 'received', m.error, m.raw, m.sent_at, m.created_at, m.created_at
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::text[], $9::text[], $10::jsonb[], $11::timestamptz[], $12::timestamptz[], $33::text[])
              AS m(id, ticket_id, channel, provider, provider_message_id, type, text, caption, reply_to, raw, sent_at,
                   created_at, error)
       ON CONFLICT (provider, provider_message_id) DO NOTHING RETURNING 1),
     replies AS (
       INSERT INTO messages (id, ticket_id, channel, direction, author, provider, type, text, raw,
                             delivery_status, sent_at, created_at, updated_at)
       SELECT r.id, r.ticket_id, r.channel, 'outbound', 'bot', r.provider, r.type, r.text, r.raw, 'queued',
              r.created_at, r.created_at, r.created_at
         FROM unnest($13::uuid[], $14::uuid[], $15::text[], $16::text[], $17::text[], $18::text[], $19::jsonb[],
                     $20::timestamptz[]) AS r(id, ticket_id, channel, provider, type, text, raw, created_at)),
     events AS (
       INSERT INTO ticket_events (ticket_id, type, data, created_at)
       SELECT * FROM unnest($21::uuid[], $22::text[], $23::jsonb[], $24::timestamptz[])),
     ticket AS (
       UPDATE tickets t
          SET last_inbound_at = GREATEST(t.last_inbound_at, u.inbound_at), menu_pending = u.menu_pending,
              menu_attempts = u.menu_attempts, language = u.language, category = u.category,
              after_hours_sent_at = u.after_hours_sent_at, updated_at = u.updated_at
         FROM unnest($25::uuid[], $26::timestamptz[], $27::boolean[], $28::int[], $29::text[], $30::text[],
                     $31::timestamptz[], $32::timestamptz[])
              AS u(id, inbound_at, menu_pending, menu_attempts, language, category, after_hours_sent_at, updated_at)
        WHERE t.id = u.id)
     SELECT count(*)::int AS stored FROM inbound`,
    [
      planned.map(({ plan }) => plan.inbound.id),
      planned.map(({ ticket }) => ticket.id),
      planned.map(({ event }) => event.channel),
      planned.map(({ event }) => event.provider),
      planned.map(({ event }) => event.providerMessageId),
      planned.map(({ plan }) => plan.inbound.type),
      planned.map(({ plan }) => plan.inbound.text),
      planned.map(({ plan }) => plan.inbound.caption),
      planned.map(({ plan }) => plan.inbound.replyTo),
      planned.map(({ plan }) => (plan.inbound.raw === null ? null : JSON.stringify(plan.inbound.raw))),
      planned.map(({ plan }) => plan.inbound.sentAt),
      planned.map(({ plan }) => plan.inbound.createdAt),
      replies.map(({ reply }) => reply.id),
      replies.map(({ plan }) => plan.ticket.id),
      replies.map(({ event }) => event.channel),
      replies.map(({ event }) => event.provider),
      replies.map(({ reply }) => reply.type),
      replies.map(({ reply }) => reply.text),
      replies.map(({ reply }) => JSON.stringify(reply.raw)),
      replies.map(({ reply }) => reply.createdAt),
      events.map(({ plan }) => plan.ticket.id),
      events.map(({ entry }) => entry.type),
      events.map(({ entry }) => (entry.data === null ? null : JSON.stringify(entry.data))),
      events.map(({ plan }) => plan.inbound.createdAt),
      ticketStates.map(({ ticket }) => ticket.id),
      ticketStates.map(({ inboundAt }) => inboundAt),
      ticketStates.map(({ ticket }) => ticket.menuPending),
      ticketStates.map(({ ticket }) => ticket.menuAttempts),
      ticketStates.map(({ ticket }) => ticket.language),
      ticketStates.map(({ ticket }) => ticket.category),
      ticketStates.map(({ ticket }) => ticket.afterHoursSentAt),
      ticketStates.map(({ updatedAt }) => updatedAt),
      // Why a message could not be read in full (inbound-event.ts, `note`).
      planned.map(({ event }) => event.note ?? null),
    ],
    'ingest-batch-write',
  );
  if (written!.stored !== planned.length) throw new BatchHoldsRedelivery();

  return planned.map(({ plan, ticket }) => ({
    duplicate: false,
    messageId: plan.inbound.id,
    ticketId: ticket.id,
    ticketNumber: ticket.number,
    assigneeId: ticket.assigneeId,
    outboundMessageIds: plan.replies.map((reply) => reply.id),
    needsAssignment: ticket.assigneeId === null,
  }));
}
