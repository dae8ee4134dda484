/**
 * Customers known by phone, as the inbound pipelines meet them: upserted (created, or their name
 * and last inbound time updated) with their open tickets locked, in one statement for any number of
 * senders. Locking the open ticket serialises one customer's messages, so the bot sees each answer
 * in turn; customers are locked in phone order, the same in every transaction, so two transactions
 * with the same customers do not deadlock on each other. Where a sender has no open ticket on the
 * channel, the same statement reads their last resolved or closed one (whether a message reopens it),
 * so a new conversation costs no extra round trip inside the transaction for it.
 */
import { rows } from './sql';
import type { DatabaseTransaction } from './inbound-database';
import type { TicketSummary } from '../domain/ticket-lifecycle';
import { ticketFromJson, TICKET_COLUMNS, type TicketRow } from './inbound-tickets';

/** A message's sender known by phone alone. */
export interface PhoneSender {
  /** E.164. */
  phone: string;
  name: string | null;
  username: string | null;
  /** The channel of the message: the open ticket locked is the one on it. */
  channel: string;
}

/** A customer as the bot needs them. */
export interface SenderCustomer {
  id: string;
  /** Created by this statement. */
  created: boolean;
  /** Their last inbound message time before this statement. */
  previousInboundAt: Date | null;
}

/** The key of an open ticket in `lockPhoneSenders`'s answer. */
export function openTicketKey(phone: string, channel: string): string {
  return `${phone}\n${channel}`;
}

/**
 * Upserts the senders' customers and locks their open tickets, in one statement.
 * @param senders in message order: the last name a sender gave wins, as one message at a time.
 * @param now the last inbound time recorded.
 * @returns customers by phone; open tickets by `openTicketKey(phone, channel)`; for every pair
 *   without an open ticket, the last resolved or closed ticket on that channel, or null, under the
 *   same key (`lastResolved`; a customer created by this statement has none).
 */
export async function lockPhoneSenders(
  transaction: DatabaseTransaction,
  senders: readonly PhoneSender[],
  now: Date,
): Promise<{
  customers: Map<string, SenderCustomer>;
  tickets: Map<string, TicketRow>;
  lastResolved: Map<string, TicketSummary | null>;
}> {
  const byPhone = new Map<string, { name: string | null; username: string | null; channels: Set<string> }>();
  for (const sender of senders) {
    const entry = byPhone.get(sender.phone) ?? { name: null, username: null, channels: new Set() };
    entry.name = sender.name ?? entry.name;
    entry.username = sender.username ?? entry.username;
    entry.channels.add(sender.channel);
    byPhone.set(sender.phone, entry);
  }
  const phones = [...byPhone.keys()].sort();
  const pairs = phones.flatMap((phone) =>
    [...byPhone.get(phone)!.channels].map((channel) => ({ phone, channel })),
  );
  const found = await rows<{
    id: string;
    phone: string;
    created: boolean;
    previousInboundAt: Date | null;
    channel: string;
    ticket: TicketRow | null;
    lastResolved: (Omit<TicketSummary, 'resolvedAt'> & { resolvedAt: string | null }) | null;
  }>(
    transaction,
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS i(phone, name, username, position)),
     previous AS (SELECT c.phone, c.last_inbound_at FROM customers c JOIN input ON input.phone = c.phone),
     customer AS (
       INSERT INTO customers (id, phone, name, username, last_inbound_at, created_at, updated_at)
       SELECT gen_random_uuid(), phone, name, username, $4, $4, $4 FROM input ORDER BY position
       ON CONFLICT (phone) DO UPDATE
          SET name = COALESCE(EXCLUDED.name, customers.name),
              username = COALESCE(EXCLUDED.username, customers.username),
              last_inbound_at = EXCLUDED.last_inbound_at, updated_at = EXCLUDED.updated_at
       RETURNING id, phone, (xmax = 0) AS created)
     SELECT customer.id, customer.phone, customer.created, previous.last_inbound_at AS "previousInboundAt",
            pair.channel, open.ticket,
            CASE WHEN open.ticket IS NULL AND NOT customer.created THEN
              (SELECT to_jsonb(r) FROM (SELECT id, status, resolved_at AS "resolvedAt" FROM tickets
                                         WHERE customer_id = customer.id AND channel = pair.channel
                                           AND status IN ('resolved', 'closed')
                                         ORDER BY resolved_at DESC NULLS LAST LIMIT 1) r)
            END AS "lastResolved"
       FROM customer
       JOIN unnest($5::text[], $6::text[]) AS pair(phone, channel) ON pair.phone = customer.phone
       LEFT JOIN previous ON previous.phone = customer.phone
       CROSS JOIN LATERAL (
         SELECT (SELECT to_jsonb(t) FROM (SELECT ${TICKET_COLUMNS} FROM tickets
                                           WHERE customer_id = customer.id AND channel = pair.channel
                                             AND status IN ('open', 'pending') FOR UPDATE) t) AS ticket) open`,
    [
      phones,
      phones.map((phone) => byPhone.get(phone)!.name),
      phones.map((phone) => byPhone.get(phone)!.username),
      now,
      pairs.map((pair) => pair.phone),
      pairs.map((pair) => pair.channel),
    ],
    'lock-phone-senders',
  );
  const customers = new Map<string, SenderCustomer>();
  const tickets = new Map<string, TicketRow>();
  const lastResolved = new Map<string, TicketSummary | null>();
  for (const entry of found) {
    customers.set(entry.phone, {
      id: entry.id,
      created: entry.created,
      previousInboundAt: entry.previousInboundAt,
    });
    const key = openTicketKey(entry.phone, entry.channel);
    if (entry.ticket) tickets.set(key, ticketFromJson(entry.ticket));
    else {
      const resolved = entry.lastResolved;
      lastResolved.set(
        key,
        resolved && {
          ...resolved,
          resolvedAt: resolved.resolvedAt === null ? null : new Date(resolved.resolvedAt),
        },
      );
    }
  }
  return { customers, tickets, lastResolved };
}
