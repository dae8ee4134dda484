/**
 * Finds or creates the customer an inbound message comes from (SPEC section 5, step 2). A customer
 * is keyed by E.164 phone; a WhatsApp lid or a Cloud API business-scoped user id stands in until
 * the phone is known. When one message names identities held by two customers (a lid-only
 * customer whose phone is now known), they are merged into one.
 */
import type { Prisma } from '../infra/db';

type Transaction = Prisma.TransactionClient;

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

/**
 * Upserts the customer inside the caller's transaction and records `now` as their last inbound time.
 * A concurrent insert of the same identity fails with a unique violation: the caller retries.
 */
export async function resolveCustomer(
  tx: Transaction,
  identity: CustomerIdentity,
  now: Date,
): Promise<ResolvedCustomer> {
  const or: Prisma.CustomerWhereInput[] = [];
  if (identity.phone) or.push({ phone: identity.phone });
  if (identity.lid) or.push({ lid: identity.lid });
  if (identity.userId) or.push({ userId: identity.userId });
  const matches = or.length
    ? await tx.customer.findMany({ where: { OR: or }, orderBy: { createdAt: 'asc' } })
    : [];

  if (matches.length === 0) {
    const created = await tx.customer.create({
      data: {
        phone: identity.phone,
        lid: identity.lid,
        userId: identity.userId,
        name: identity.name,
        username: identity.username,
        lastInboundAt: now,
      },
    });
    return { ...pick(created), created: true, previousInboundAt: null };
  }

  const primary =
    matches.find((customer) => identity.phone && customer.phone === identity.phone) ??
    matches.find((customer) => customer.phone !== null) ??
    matches[0]!;
  const others = matches.filter((customer) => customer.id !== primary.id);
  let previousInboundAt = primary.lastInboundAt;
  for (const other of others) {
    if (other.lastInboundAt && (!previousInboundAt || other.lastInboundAt > previousInboundAt)) {
      previousInboundAt = other.lastInboundAt;
    }
    await mergeCustomer(tx, other.id, primary.id);
  }
  const merged = others.reduce(
    (fields, other) => ({
      phone: fields.phone ?? other.phone,
      lid: fields.lid ?? other.lid,
      userId: fields.userId ?? other.userId,
      tags: [...new Set([...fields.tags, ...other.tags])],
      notes: [fields.notes, other.notes].filter(Boolean).join('\n') || null,
    }),
    {
      phone: primary.phone,
      lid: primary.lid,
      userId: primary.userId,
      tags: primary.tags,
      notes: primary.notes,
    },
  );
  const updated = await tx.customer.update({
    where: { id: primary.id },
    data: {
      phone: merged.phone ?? identity.phone,
      lid: merged.lid ?? identity.lid,
      userId: merged.userId ?? identity.userId,
      tags: merged.tags,
      notes: merged.notes,
      ...(identity.name ? { name: identity.name } : {}),
      ...(identity.username ? { username: identity.username } : {}),
      lastInboundAt: now,
    },
  });
  return { ...pick(updated), created: false, previousInboundAt };
}

function pick(customer: { id: string; phone: string | null; lid: string | null; userId: string | null }) {
  return { id: customer.id, phone: customer.phone, lid: customer.lid, userId: customer.userId };
}

/**
 * Moves everything of `fromId` to `intoId` and deletes `fromId`. When both have an open ticket on
 * one channel, the messages of the merged one move into the kept one and the merged ticket closes.
 */
async function mergeCustomer(tx: Transaction, fromId: string, intoId: string): Promise<void> {
  const openStatuses = ['open', 'pending'] as const;
  const fromOpen = await tx.ticket.findMany({
    where: { customerId: fromId, status: { in: [...openStatuses] } },
  });
  for (const ticket of fromOpen) {
    const kept = await tx.ticket.findFirst({
      where: { customerId: intoId, channel: ticket.channel, status: { in: [...openStatuses] } },
    });
    if (!kept) continue;
    await tx.message.updateMany({ where: { ticketId: ticket.id }, data: { ticketId: kept.id } });
    await tx.ticket.update({ where: { id: ticket.id }, data: { status: 'closed', closedAt: new Date() } });
    await tx.ticketEvent.create({ data: { ticketId: ticket.id, type: 'merged', data: { into: kept.id } } });
  }
  await tx.ticket.updateMany({ where: { customerId: fromId }, data: { customerId: intoId } });
  await tx.customer.delete({ where: { id: fromId } });
}
