/**
 * Finds or creates the customer an inbound message comes from (SPEC section 5, step 2). A customer
 * is keyed by E.164 phone; a WhatsApp lid or a Cloud API business-scoped user id stands in until
 * the phone is known. When one message names identities held by two customers (a lid-only
 * customer whose phone is now known), they are merged into one: the customer aggregate's
 * identities, tags and notes, and its open tickets.
 */
import type { TicketEventType } from '@whatsapp-helpdesk/contract/api';
import { row, rows } from './sql';
import type { DatabaseTransaction } from './inbound-database';

/** The event a merged customer's closed ticket records. */
const MERGED: TicketEventType = 'merged';

export interface CustomerIdentity {
  /** E.164, already validated. */
  phone: string | null;
  lid: string | null;
  userId: string | null;
  name: string | null;
  username: string | null;
}

export interface ResolvedCustomer {
  id: string;
  phone: string | null;
  lid: string | null;
  userId: string | null;
  created: boolean;
  /** The customer's previous inbound message time (before this message), for the bot. */
  previousInboundAt: Date | null;
}

interface CustomerRow {
  id: string;
  phone: string | null;
  lid: string | null;
  userId: string | null;
  tags: string[];
  notes: string | null;
  lastInboundAt: Date | null;
}

const COLUMNS = `id, phone, lid, user_id AS "userId", tags, notes, last_inbound_at AS "lastInboundAt"`;

/**
 * Upserts the customer inside the caller's transaction and records `now` as their last inbound
 * time. The inbound pipelines use it for senders with a lid or user id; a sender known by phone
 * alone takes the one-statement path of customers-by-phone.ts. A concurrent insert of the same
 * lid or user id fails with a unique violation: the caller retries the transaction.
 */
export async function resolveCustomer(
  transaction: DatabaseTransaction,
  identity: CustomerIdentity,
  now: Date,
): Promise<ResolvedCustomer> {
  const matches = await rows<CustomerRow>(
    transaction,
    `SELECT ${COLUMNS} FROM customers
      WHERE phone = $1 OR lid = $2 OR user_id = $3
      ORDER BY created_at FOR UPDATE`,
    [identity.phone, identity.lid, identity.userId],
  );
  if (matches.length === 0) {
    const created = await row<CustomerRow>(
      transaction,
      `INSERT INTO customers (id, phone, lid, user_id, name, username, last_inbound_at, created_at, updated_at)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $6, $6) RETURNING ${COLUMNS}`,
      [identity.phone, identity.lid, identity.userId, identity.name, identity.username, now],
    );
    return { ...pick(created!), created: true, previousInboundAt: null };
  }

  const primary =
    matches.find((customer) => identity.phone && customer.phone === identity.phone) ??
    matches.find((customer) => customer.phone !== null) ??
    matches[0]!;
  const others = matches.filter((customer) => customer.id !== primary.id);
  let previousInboundAt = primary.lastInboundAt;
  const merged = {
    phone: primary.phone,
    lid: primary.lid,
    userId: primary.userId,
    tags: primary.tags,
    notes: primary.notes,
  };
  for (const other of others) {
    if (other.lastInboundAt && (!previousInboundAt || other.lastInboundAt > previousInboundAt)) {
      previousInboundAt = other.lastInboundAt;
    }
    merged.phone ??= other.phone;
    merged.lid ??= other.lid;
    merged.userId ??= other.userId;
    merged.tags = [...new Set([...merged.tags, ...other.tags])];
    merged.notes = [merged.notes, other.notes].filter(Boolean).join('\n') || null;
    await mergeCustomer(transaction, other.id, primary.id, now);
  }
  const updated = await row<CustomerRow>(
    transaction,
    `UPDATE customers
        SET phone = $2, lid = $3, user_id = $4, tags = $5, notes = $6,
            name = COALESCE($7, name), username = COALESCE($8, username),
            last_inbound_at = $9, updated_at = $9
      WHERE id = $1 RETURNING ${COLUMNS}`,
    [
      primary.id,
      merged.phone ?? identity.phone,
      merged.lid ?? identity.lid,
      merged.userId ?? identity.userId,
      merged.tags,
      merged.notes,
      identity.name,
      identity.username,
      now,
    ],
  );
  return { ...pick(updated!), created: false, previousInboundAt };
}

function pick(customer: CustomerRow): Pick<ResolvedCustomer, 'id' | 'phone' | 'lid' | 'userId'> {
  return { id: customer.id, phone: customer.phone, lid: customer.lid, userId: customer.userId };
}

/**
 * Moves everything of `fromId` to `intoId` and deletes `fromId`. When both have an open ticket on
 * one channel, the messages of the merged one move into the kept one and the merged ticket closes.
 */
async function mergeCustomer(
  transaction: DatabaseTransaction,
  fromId: string,
  intoId: string,
  now: Date,
): Promise<void> {
  const pairs = await rows<{ fromTicket: string; keptTicket: string }>(
    transaction,
    `SELECT f.id AS "fromTicket", k.id AS "keptTicket"
       FROM tickets f JOIN tickets k ON k.channel = f.channel AND k.customer_id = $2 AND k.status IN ('open', 'pending')
      WHERE f.customer_id = $1 AND f.status IN ('open', 'pending')`,
    [fromId, intoId],
  );
  for (const pair of pairs) {
    await transaction.query(`UPDATE messages SET ticket_id = $2 WHERE ticket_id = $1`, [
      pair.fromTicket,
      pair.keptTicket,
    ]);
    await transaction.query(
      `UPDATE tickets SET status = 'closed', closed_at = $2, updated_at = $2 WHERE id = $1`,
      [pair.fromTicket, now],
    );
    await transaction.query(
      `INSERT INTO ticket_events (ticket_id, type, data, created_at) VALUES ($1, $2, $3, $4)`,
      [pair.fromTicket, MERGED, { into: pair.keptTicket }, now],
    );
  }
  await transaction.query(`UPDATE tickets SET customer_id = $2 WHERE customer_id = $1`, [fromId, intoId]);
  await transaction.query(`DELETE FROM customers WHERE id = $1`, [fromId]);
}
