/**
 * The customer directory's rows: a page of customers matching a search (plain SQL, matched through
 * customer_search), an edit of what agents keep about a customer, one customer and their
 * tickets for the customer panel (plain SQL). Returns plain objects.
 */
import type { TicketStatus } from '@whatsapp-helpdesk/contract/api';
import { likeContaining, row, rows, type Queryable } from './sql';

/** A customer as agents see them. */
export interface CustomerView {
  id: string;
  name: string | null;
  /** E.164, or null for a customer known only by lid or user id. */
  phone: string | null;
  lid: string | null;
  tags: string[];
  notes: string | null;
  lastInboundAt: Date | null;
  /** When the customer opted out of reminders and broadcasts (an opt-out word), or null. */
  optedOutAt: Date | null;
  createdAt: Date;
  /** Open or pending tickets. */
  openTickets: number;
}

/** One of a customer's tickets, as their history lists it. */
export interface CustomerTicket {
  id: string;
  number: number;
  status: TicketStatus;
  category: string | null;
  channel: string;
  assignee: { id: string; name: string } | null;
  openedAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
}

/** What a directory search matches, already normalised by the caller. */
export interface CustomerSearch {
  /** A tag (exact), or with `folded` a name; null: no text filter. */
  text: string | null;
  /** `text` folded as customer_search keeps names (contract normaliseSearchText): a name substring. */
  folded: string | null;
  /** Phone substrings to match (the digits as typed, and without a national leading 0). */
  phoneDigits: string[];
  /** Only customers strictly after this one in the order (newest first). */
  after: { createdAt: Date; id: string } | null;
  /** Page size. */
  limit: number;
}

/** The columns of a CustomerView from `customers c`. */
const CUSTOMER_COLUMNS = `c.id, c.name, c.phone, c.lid, c.tags, c.notes, c.last_inbound_at AS "lastInboundAt",
       c.opted_out_at AS "optedOutAt", c.created_at AS "createdAt",
       (SELECT count(*)::int FROM tickets t
         WHERE t.customer_id = c.id AND t.status IN ('open', 'pending')) AS "openTickets"`;

/**
 * Customers matching `search`, most recently created first (ties by id, descending). The matches
 * come from customer_search (folded names, phones, tags: trigram and GIN indexes), so a search that
 * matches few customers never tests every customer's name.
 * @returns at most `search.limit` + 1 customers: one more than the page tells there is a next.
 */
export async function findCustomers(db: Queryable, search: CustomerSearch): Promise<CustomerView[]> {
  const values: unknown[] = [];
  const param = (value: unknown) => `$${values.push(value)}`;
  const conditions: string[] = [];
  if (search.text) {
    const matches = [
      ...(search.folded ? [`s.name LIKE ${param(likeContaining(search.folded))}`] : []),
      `s.tags @> ARRAY[${param(search.text)}]::text[]`,
      ...search.phoneDigits.map((digits) => `s.phone LIKE ${param(likeContaining(digits))}`),
    ];
    conditions.push(`c.id IN (SELECT s.customer_id FROM customer_search s WHERE ${matches.join(' OR ')})`);
  }
  if (search.after) {
    conditions.push(
      `(c.created_at, c.id) < (${param(search.after.createdAt)}::timestamptz, ${param(search.after.id)}::uuid)`,
    );
  }
  return rows<CustomerView>(
    db,
    `SELECT ${CUSTOMER_COLUMNS}
       FROM customers c
      ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
      ORDER BY c.created_at DESC, c.id DESC
      LIMIT ${param(search.limit + 1)}`,
    values,
  );
}

/** One customer, or null (plain SQL: the customer panel opens with every ticket). */
export async function findCustomer(db: Queryable, customerId: string): Promise<CustomerView | null> {
  return row<CustomerView>(
    db,
    `SELECT ${CUSTOMER_COLUMNS} FROM customers c WHERE c.id = $1::uuid`,
    [customerId],
    'customer-by-id',
  );
}

/** True when a customer has this id. */
export async function customerExists(db: Queryable, customerId: string): Promise<boolean> {
  return (
    (await row(db, `SELECT 1 FROM customers WHERE id = $1::uuid`, [customerId], 'customer-exists')) !== null
  );
}

/** Every ticket of the customer, newest first, with its assignee. */
export async function findCustomerTickets(db: Queryable, customerId: string): Promise<CustomerTicket[]> {
  return rows<CustomerTicket>(
    db,
    `SELECT t.id, t.number, t.status::text AS status, t.category, t.channel,
            CASE WHEN a.id IS NULL THEN NULL ELSE json_build_object('id', a.id, 'name', a.name) END AS assignee,
            t.opened_at AS "openedAt", t.resolved_at AS "resolvedAt", t.closed_at AS "closedAt"
       FROM tickets t LEFT JOIN agents a ON a.id = t.assignee_id
      WHERE t.customer_id = $1::uuid
      ORDER BY t.number DESC`,
    [customerId],
    'customer-tickets',
  );
}

/**
 * Sets the given fields of a customer (fields left out stay as they are; values as given), in one
 * statement that returns the customer as `findCustomer` reads it (one column list for every view).
 * @returns the customer after the change, or null when there is no such customer.
 */
export async function updateCustomerFields(
  db: Queryable,
  customerId: string,
  fields: { name?: string | null; tags?: string[]; notes?: string | null },
): Promise<CustomerView | null> {
  return row<CustomerView>(
    db,
    `UPDATE customers c
        SET name = CASE WHEN $2 THEN $3 ELSE c.name END,
            tags = CASE WHEN $4 THEN $5::text[] ELSE c.tags END,
            notes = CASE WHEN $6 THEN $7 ELSE c.notes END,
            updated_at = now()
      WHERE c.id = $1::uuid
  RETURNING ${CUSTOMER_COLUMNS}`,
    [
      customerId,
      fields.name !== undefined,
      fields.name ?? null,
      fields.tags !== undefined,
      fields.tags ?? null,
      fields.notes !== undefined,
      fields.notes ?? null,
    ],
    'customer-update',
  );
}
