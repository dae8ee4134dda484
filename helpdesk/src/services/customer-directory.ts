/**
 * The customer directory agents use: search by name or phone, one customer's ticket history, and
 * edits of what agents keep about a customer (display name, tags, notes). Every signed-in agent
 * may use it (customers are shared); ticket threads keep their own access rules.
 */
import { AppError } from '../errors';
import type { Database, Prisma } from '../infra/db';
import { toAsciiDigits } from '../domain/menu-choice';
import type { PersonRef } from './ticket-queries';

export interface CustomerView {
  id: string;
  name: string | null;
  /** E.164, or null for a customer known only by lid or user id. */
  phone: string | null;
  lid: string | null;
  tags: string[];
  notes: string | null;
  lastInboundAt: Date | null;
  createdAt: Date;
  /** Open or pending tickets. */
  openTickets: number;
}

export interface CustomerHistory extends CustomerView {
  /** Every ticket, newest first. */
  tickets: Array<{
    id: string;
    number: number;
    status: string;
    category: string | null;
    channel: string;
    assignee: PersonRef | null;
    openedAt: Date;
    resolvedAt: Date | null;
    closedAt: Date | null;
  }>;
}

export interface CustomerChanges {
  name?: string | null;
  /** Replaces the tags; trimmed, duplicates dropped. */
  tags?: string[];
  notes?: string | null;
}

const customerInclude = {
  _count: { select: { tickets: { where: { status: { in: ['open', 'pending'] } } } } },
} satisfies Prisma.CustomerInclude;

type CustomerRow = Prisma.CustomerGetPayload<{ include: typeof customerInclude }>;

function view(customer: CustomerRow): CustomerView {
  return {
    id: customer.id,
    name: customer.name,
    phone: customer.phone,
    lid: customer.lid,
    tags: customer.tags,
    notes: customer.notes,
    lastInboundAt: customer.lastInboundAt,
    createdAt: customer.createdAt,
    openTickets: customer._count.tickets,
  };
}

/**
 * Customers matching a search, most recently created first.
 * @param query.search name (substring, any case), phone digits (substring, national form too) or a
 *   tag (exact); empty lists everyone.
 * @param query.limit 1–100 (default 25).
 * @returns the page and the cursor of the next one (null on the last page).
 * @throws AppError validation_failed for a cursor this API did not make.
 */
export async function searchCustomers(
  db: Database,
  query: { search?: string; cursor?: string; limit?: number },
): Promise<{ items: CustomerView[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(query.limit ?? 25, 1), 100);
  const and: Prisma.CustomerWhereInput[] = [];
  const text = toAsciiDigits(query.search?.trim() ?? '');
  if (text) {
    const digits = text.replace(/\D/g, '');
    const or: Prisma.CustomerWhereInput[] = [
      { name: { contains: text, mode: 'insensitive' } },
      { tags: { has: text } },
    ];
    if (digits.length >= 3) {
      or.push({ phone: { contains: digits } });
      if (digits.startsWith('0') && digits.length > 4) or.push({ phone: { contains: digits.slice(1) } });
    }
    and.push({ OR: or });
  }
  if (query.cursor) {
    const { createdAt, id } = decodeCursor(query.cursor);
    and.push({ OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] });
  }
  const rows = await db.customer.findMany({
    where: { AND: and },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    include: customerInclude,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(view),
    nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}

/** One customer with their ticket history. @throws AppError not_found. */
export async function getCustomerHistory(db: Database, customerId: string): Promise<CustomerHistory> {
  const customer = await db.customer.findUnique({ where: { id: customerId }, include: customerInclude });
  if (!customer) throw new AppError('not_found', `customer: no customer ${customerId}`);
  const tickets = await db.ticket.findMany({
    where: { customerId },
    orderBy: { number: 'desc' },
    include: { assignee: { select: { id: true, name: true } } },
  });
  return {
    ...view(customer),
    tickets: tickets.map((ticket) => ({
      id: ticket.id,
      number: ticket.number,
      status: ticket.status,
      category: ticket.category,
      channel: ticket.channel,
      assignee: ticket.assignee,
      openedAt: ticket.openedAt,
      resolvedAt: ticket.resolvedAt,
      closedAt: ticket.closedAt,
    })),
  };
}

/**
 * Edits a customer's name, tags or notes (fields left out stay as they are; null clears).
 * @returns the customer after the change. @throws AppError not_found.
 */
export async function updateCustomer(
  db: Database,
  customerId: string,
  changes: CustomerChanges,
): Promise<CustomerView> {
  const exists = await db.customer.findUnique({ where: { id: customerId }, select: { id: true } });
  if (!exists) throw new AppError('not_found', `customer: no customer ${customerId}`);
  const updated = await db.customer.update({
    where: { id: customerId },
    data: {
      ...(changes.name !== undefined ? { name: changes.name?.trim() || null } : {}),
      ...(changes.notes !== undefined ? { notes: changes.notes?.trim() ? changes.notes : null } : {}),
      ...(changes.tags !== undefined
        ? { tags: [...new Set(changes.tags.map((tag) => tag.trim()).filter(Boolean))] }
        : {}),
    },
    include: customerInclude,
  });
  return view(updated);
}

function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  // Only what encodeCursor makes: a UUID, and an ISO date PostgreSQL can compare (a crafted
  // year-275760 date or a 36-dash "id" would fail the query with a 500).
  const year = createdAt.getUTCFullYear();
  if (
    !id ||
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id) ||
    Number.isNaN(createdAt.getTime()) ||
    year < 1970 ||
    year > 9999
  ) {
    throw new AppError('validation_failed', 'cursor: is not a cursor this API returned');
  }
  return { createdAt, id };
}
