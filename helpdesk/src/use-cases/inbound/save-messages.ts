/**
 * The inbound transaction's body, shared by the one-message and the batch paths (a single message
 * is a batch of one): lock the senders and their open tickets, open the new customers' tickets in
 * one statement (choose-ticket.ts, `openTicketsAhead`), choose each message's ticket (a
 * snoozed one returns to open: domain/ticket-lifecycle.ts, `customerMessageEndsSnooze`), let the
 * bot decide message by message in order, then write everything in one statement
 * (store/inbound-messages.ts).
 */
import type { CsatRating } from '../../domain/csat';
import { DEFAULT_OPT_OUT, optOutRequest } from '../../domain/opt-out';
import { customerMessageEndsSnooze, type TicketSummary } from '../../domain/ticket-lifecycle';
import type { StoredMedia } from '../../infra/storage';
import { resolveCustomer } from '../../store/customers-by-identity';
import { lockPhoneSenders, openTicketKey, type SenderCustomer } from '../../store/customers-by-phone';
import type { DatabaseTransaction } from '../../store/inbound-database';
import { writeInboundMessages, type TicketStateRow } from '../../store/inbound-messages';
import { lockOpenTicket, type TicketRow } from '../../store/inbound-tickets';
import { isCustomerOptedOut, setCustomersOptOut } from '../../store/scheduled-messages';
import type { InboundMessage } from '../../whatsapp/inbound-event';
import { openTicketsAhead, ticketForMessage } from './choose-ticket';
import type { SenderIdentity } from './identify-sender';
import { planMessage, type MessagePlan, type PlanSettings } from './plan-message';

export interface IngestResult {
  /** The message had been stored before (a redelivery). */
  duplicate: boolean;
  messageId: string;
  ticketId: string;
  ticketNumber: number;
  /** The ticket's assignee when the message was stored (null while it waits). */
  assigneeId: string | null;
  /** Bot replies waiting to be sent, in order (on a redelivery: those still queued). */
  outboundMessageIds: string[];
  /** The ticket has no assignee yet. */
  needsAssignment: boolean;
  /**
   * This message ended the ticket's snooze (pending → open, recorded as a `status_changed` event
   * with reason `customer_replied`): the caller announces it once stored. Never on a redelivery.
   */
  endedSnooze: boolean;
  /**
   * The message rated the resolved ticket (CSAT): stored, thanked, the ticket left resolved; the
   * caller announces it (a low rating to admins: `csat.low`). Absent or null otherwise and on a
   * redelivery.
   */
  csat?: CsatRating | null;
}

/** What the transaction needs besides the messages: the bot's settings and the reopen window. */
export interface SaveSettings extends PlanSettings {
  /** A ticket resolved this long ago (ms) or less is reopened by a new message. */
  reopenWindowMs: number;
}

/** One message to save: the event, its identified sender and its stored media, if any. */
export interface MessageToSave {
  event: InboundMessage;
  identity: SenderIdentity;
  /** The file already saved to storage, or null (no media, or it could not be fetched). */
  media: StoredMedia | null;
  /** Why the media is missing, kept in the message's `error`; null otherwise. */
  mediaError: string | null;
}

/** A message of the write was stored before (a redelivery): the caller rolls the transaction back. */
export class MessageStoredBefore extends Error {}

/**
 * Saves inbound messages inside the caller's transaction. A sender known by phone alone takes one
 * statement for all of them (customers upserted, open tickets locked, in phone order so concurrent
 * transactions do not deadlock); others are resolved one by one (store/customers-by-identity.ts).
 * One sender's messages keep their order: each sees the ticket state the previous one left.
 * @returns each message's result, in the messages' order.
 * @throws MessageStoredBefore (or a database error) to roll the whole transaction back.
 */
export async function saveInboundMessages(
  settings: SaveSettings,
  transaction: DatabaseTransaction,
  messages: readonly MessageToSave[],
): Promise<IngestResult[]> {
  const startedAt = new Date();
  const senders = await lockSenders(transaction, messages, startedAt);
  // New customers' tickets in one statement, as the loop below would open them one by one.
  const openedAhead = await openTicketsAhead(
    transaction,
    settings.reopenWindowMs,
    firstWithoutOpenTicket(messages, senders).map(({ message, sender }) => ({
      customerId: sender.id,
      event: message.event,
      now: stampAfter(startedAt, undefined, sender.previousInboundAt),
      knownLastResolved: senders.lastResolved.get(customerChannelKey(sender.id, message.event.channel)),
    })),
  );

  // The bot decides message by message, in order, each seeing the state the previous one left.
  const customers = new Map<string, SenderCustomer>();
  const openTickets = new Map<string, TicketRow>(senders.openTickets);
  const planned: Array<{
    plan: MessagePlan;
    ticket: TicketRow;
    message: MessageToSave;
    /** This message ended the ticket's snooze. */
    endedSnooze: boolean;
    customerId: string;
  }> = [];
  /** Each ticket's next free time in this batch (its message and replies take 1 ms each). */
  const ticketClocks = new Map<string, Date>();
  /** Opt-outs changed by earlier messages of this batch (customer id → opted out). */
  const optOutStates = new Map<string, boolean>();
  for (const [index, message] of messages.entries()) {
    const sender = senders.customers[index]!;
    const customer = customers.get(sender.id) ?? sender;
    const ticketKey = customerChannelKey(sender.id, message.event.channel);
    const now = stampAfter(startedAt, ticketClocks.get(ticketKey), sender.previousInboundAt);
    const ahead = openedAhead.get(message.event);
    const chosen = ahead
      ? { ticket: ahead, change: 'opened' as const, csat: undefined }
      : await ticketForMessage(
          transaction,
          settings.reopenWindowMs,
          customer.id,
          message.event,
          openTickets.get(ticketKey) ?? null,
          now,
          senders.lastResolved.get(ticketKey),
        );
    const { change, csat } = chosen;
    let { ticket } = chosen;
    // The first message to a snoozed ticket ends the snooze; the next ones see it open.
    const endedSnooze = customerMessageEndsSnooze(ticket);
    if (endedSnooze) ticket = { ...ticket, status: 'open', snoozedUntil: null };
    // Whether an opt-in word counts: only from an opted-out customer (read only for such a message).
    const optedOut =
      optOutRequest(message.event.text, settings.optOut ?? DEFAULT_OPT_OUT) === 'in' &&
      (optOutStates.get(customer.id) ?? (await isCustomerOptedOut(transaction, customer.id)));
    const { plan, nextFree } = planMessage(settings, {
      event: message.event,
      customer: { ...customer, optedOut },
      ticket,
      change,
      now,
      csat: csat ?? null,
    });
    planned.push({ plan, ticket, message, endedSnooze, customerId: sender.id });
    if (plan.optOut) optOutStates.set(customer.id, plan.optOut === 'out');
    customers.set(sender.id, { id: sender.id, created: false, previousInboundAt: now });
    // A rating leaves the ticket resolved: the next message looks for the open ticket again.
    if (!csat) openTickets.set(ticketKey, plan.ticket);
    ticketClocks.set(ticketKey, nextFree);
  }

  const ticketStates = new Map<string, TicketStateRow>();
  for (const { plan, endedSnooze } of planned) {
    const previous = ticketStates.get(plan.ticket.id);
    ticketStates.set(plan.ticket.id, {
      id: plan.ticket.id,
      inboundAt: previous && previous.inboundAt > plan.inboundAt ? previous.inboundAt : plan.inboundAt,
      menuPending: plan.ticket.menuPending,
      menuAttempts: plan.ticket.menuAttempts,
      language: plan.ticket.language,
      category: plan.ticket.category,
      afterHoursSentAt: plan.ticket.afterHoursSentAt,
      endSnooze: (previous?.endSnooze ?? false) || endedSnooze,
      updatedAt: plan.inbound.createdAt,
      csat: plan.csat ? { ...plan.csat, answeredAt: plan.inbound.createdAt } : (previous?.csat ?? null),
    });
  }
  const stored = await writeInboundMessages(transaction, {
    messages: planned.map(({ plan, message: { event, mediaError } }) => ({
      id: plan.inbound.id,
      ticketId: plan.ticket.id,
      channel: event.channel,
      provider: event.provider,
      providerMessageId: event.providerMessageId,
      type: plan.inbound.type,
      text: plan.inbound.text,
      caption: plan.inbound.caption,
      replyTo: plan.inbound.replyTo,
      quoted: plan.inbound.quoted,
      contacts: plan.inbound.contacts,
      location: plan.inbound.location,
      details: plan.inbound.details,
      // Why a message could not be read in full (inbound-event.ts, `note`) or its media is missing.
      error: [event.note, mediaError].filter(Boolean).join('; ') || null,
      raw: plan.inbound.raw,
      sentAt: plan.inbound.sentAt,
      createdAt: plan.inbound.createdAt,
    })),
    attachments: planned.flatMap(({ plan, message: { event, media } }) =>
      media
        ? [
            {
              messageId: plan.inbound.id,
              storageKey: media.storageKey,
              mimeType: media.mimeType,
              size: media.size,
              sha256: media.sha256,
              originalFilename: event.media?.filename ?? null,
              createdAt: plan.inbound.createdAt,
            },
          ]
        : [],
    ),
    replies: planned.flatMap(({ plan, message: { event } }) =>
      plan.replies.map((reply) => ({
        ...reply,
        ticketId: plan.ticket.id,
        channel: event.channel,
        provider: event.provider,
      })),
    ),
    events: planned.flatMap(({ plan, endedSnooze }) =>
      [...(endedSnooze ? [SNOOZE_ENDED_BY_CUSTOMER] : []), ...plan.events].map((entry) => ({
        ...entry,
        ticketId: plan.ticket.id,
        createdAt: plan.inbound.createdAt,
      })),
    ),
    tickets: [...ticketStates.values()],
  });
  if (stored !== planned.length) throw new MessageStoredBefore();
  // An opt-out or opt-in word changes the customer's opt-out (domain/opt-out.ts).
  await setCustomersOptOut(
    transaction,
    planned.flatMap(({ plan, customerId }) =>
      plan.optOut ? [{ customerId, change: plan.optOut, at: plan.inbound.createdAt }] : [],
    ),
  );

  return planned.map(({ plan, ticket, endedSnooze }) => ({
    duplicate: false,
    messageId: plan.inbound.id,
    ticketId: ticket.id,
    ticketNumber: ticket.number,
    assigneeId: ticket.assigneeId,
    outboundMessageIds: plan.replies.map((reply) => reply.id),
    // A rated ticket stays resolved: nothing to assign.
    needsAssignment: ticket.assigneeId === null && !plan.csat,
    endedSnooze,
    csat: plan.csat,
  }));
}

/**
 * The ticket event of a snooze a customer's message ended: like the snooze's own end
 * (use-cases/tickets/end-snooze.ts), by no agent, with reason `customer_replied`. Without the
 * snooze time: the console shows a `snoozedUntil` as a snooze being set.
 */
const SNOOZE_ENDED_BY_CUSTOMER: MessagePlan['events'][number] = {
  type: 'status_changed',
  data: { from: 'pending', to: 'open', reason: 'customer_replied' },
};

/**
 * How far after a customer's last inbound time (ms) their next message is stamped at the least:
 * past the bot's replies to that message, stamped 1 ms apart after it (plan-message.ts; at most a
 * welcome, a menu and an after-hours note).
 */
const AFTER_PREVIOUS_MESSAGE_MS = 10;

/**
 * A message's time (its `created_at`, the thread's order): the transaction's start, unless its
 * ticket's earlier messages in this batch, or the customer's last inbound time (`last_inbound_at`,
 * the start of the transaction that stored their last message), call for later. Each ticket keeps
 * its own clock, so a batch of many tickets does not run ahead of the real time: with one clock
 * for the whole batch, 1,600 messages ran seconds ahead, and the customer's next message, stored
 * in the next transaction, sorted before them and was answered as if sent before the menu.
 */
function stampAfter(startedAt: Date, ticketClock: Date | undefined, previousInboundAt: Date | null): Date {
  let time = startedAt.getTime();
  if (ticketClock) time = Math.max(time, ticketClock.getTime());
  if (previousInboundAt) time = Math.max(time, previousInboundAt.getTime() + AFTER_PREVIOUS_MESSAGE_MS);
  return new Date(time);
}

/**
 * Each message's customer, and the open tickets locked, keyed by `customerChannelKey`. Senders
 * known by phone alone: one statement for all (store/customers-by-phone.ts).
 * Others (a lid or user id, perhaps merging two customers): one by one.
 */
async function lockSenders(
  transaction: DatabaseTransaction,
  messages: readonly MessageToSave[],
  now: Date,
): Promise<{
  customers: SenderCustomer[];
  openTickets: Map<string, TicketRow>;
  /** For senders known by phone without an open ticket: their last resolved one, or null. */
  lastResolved: Map<string, TicketSummary | null>;
}> {
  const customers = new Array<SenderCustomer>(messages.length);
  const openTickets = new Map<string, TicketRow>();
  const lastResolved = new Map<string, TicketSummary | null>();
  const byPhone = messages.flatMap(({ event, identity }, index) =>
    identity.phone !== null && !identity.lid && !identity.userId
      ? [{ index, sender: { ...identity, phone: identity.phone, channel: event.channel } }]
      : [],
  );
  if (byPhone.length > 0) {
    const locked = await lockPhoneSenders(
      transaction,
      byPhone.map(({ sender }) => sender),
      now,
    );
    for (const { index, sender } of byPhone) {
      const customer = locked.customers.get(sender.phone)!;
      customers[index] = customer;
      const key = openTicketKey(sender.phone, sender.channel);
      const ticket = locked.tickets.get(key);
      if (ticket) openTickets.set(customerChannelKey(customer.id, sender.channel), ticket);
      else if (locked.lastResolved.has(key)) {
        lastResolved.set(customerChannelKey(customer.id, sender.channel), locked.lastResolved.get(key)!);
      }
    }
  }
  for (const [index, { event, identity }] of messages.entries()) {
    if (customers[index]) continue;
    const customer = await resolveCustomer(transaction, identity, now);
    customers[index] = customer;
    const key = customerChannelKey(customer.id, event.channel);
    if (!openTickets.has(key)) {
      const ticket = await lockOpenTicket(transaction, customer.id, event.channel);
      if (ticket) openTickets.set(key, ticket);
    }
  }
  return { customers, openTickets, lastResolved };
}

/**
 * The first message of each customer and channel that has no open ticket (the messages whose
 * ticket `ticketForMessage` chooses), with its sender.
 */
function firstWithoutOpenTicket(
  messages: readonly MessageToSave[],
  senders: { customers: SenderCustomer[]; openTickets: Map<string, TicketRow> },
): Array<{ message: MessageToSave; sender: SenderCustomer }> {
  const seen = new Set<string>();
  return messages.flatMap((message, index) => {
    const sender = senders.customers[index]!;
    const key = customerChannelKey(sender.id, message.event.channel);
    if (seen.has(key) || senders.openTickets.has(key)) return [];
    seen.add(key);
    return [{ message, sender }];
  });
}

/** The key of a customer's open ticket on a channel. */
function customerChannelKey(customerId: string, channel: string): string {
  return `${customerId}\n${channel}`;
}
