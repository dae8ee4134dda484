/**
 * Reading tickets as agents see them: inbox pages (filters, search, keyset pages by latest
 * customer activity or ticket number), one ticket with its customer, a thread's messages, and
 * single list items and messages after a change; each ticket with the requesting agent's unread
 * count (store/ticket-reads.ts). Returns plain objects.
 */
import type { TicketStatus } from '@whatsapp-helpdesk/contract/api';
import { secondsBetween } from '../domain/ticket-rules';
import { toAsciiDigits } from '../domain/menu-choice';
import type { Database, Prisma } from './database';
import type { CustomerView } from './customers';
import { findTicketActivity, type LastMessage, type TicketActivity } from './ticket-reads';
import { sortByName, type LabelView } from './labels';
import type { DeliveryStatus } from '@whatsapp-helpdesk/contract/api';

export interface PersonRef {
  id: string;
  name: string;
}

export interface TicketListItem {
  id: string;
  number: number;
  status: TicketStatus;
  category: string | null;
  channel: string;
  language: string | null;
  customer: { id: string; name: string | null; phone: string | null; lid: string | null };
  assignee: PersonRef | null;
  openedAt: Date;
  assignedAt: Date | null;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  /** Pending until this time, then open again by itself; null: not snoozed. */
  snoozedUntil: Date | null;
  lastInboundAt: Date | null;
  updatedAt: Date;
  /** Seconds from opening to the first agent reply, once there is one. */
  firstResponseSeconds: number | null;
  /** Seconds from opening to resolution, once resolved. */
  resolutionSeconds: number | null;
  /** The latest message, for the inbox preview. */
  lastMessage: LastMessage | null;
  /** Customer messages the requesting agent has not read (all of them if they never opened it). */
  unreadCount: number;
  /** Since when the customer waits for an agent's answer (bot and system messages are none); null: answered. */
  waitingSince: Date | null;
  /** The ticket's labels, by name. */
  labels: LabelView[];
}

export interface AttachmentView {
  id: string;
  mimeType: string;
  /** Bytes. */
  size: number;
  filename: string | null;
}

export interface MessageView {
  id: string;
  direction: 'inbound' | 'outbound';
  author: 'customer' | 'agent' | 'bot' | 'system';
  agent: PersonRef | null;
  type: string;
  text: string | null;
  caption: string | null;
  deliveryStatus: DeliveryStatus;
  error: string | null;
  sentAt: Date;
  createdAt: Date;
  attachments: AttachmentView[];
}

/** The customer as a ticket's thread shows them. */
export type ThreadCustomer = Pick<CustomerView, 'id' | 'name' | 'phone' | 'lid' | 'tags' | 'notes'>;

/** Which tickets an inbox page holds. */
export interface TicketCriteria {
  statuses: readonly TicketStatus[];
  /** Each entry must hold: the ticket's assignee is that agent (null: no assignee). */
  assigneeIs: ReadonlyArray<string | null>;
  category?: string;
  /** Only tickets with this label. */
  labelId?: string;
  /** Customer name (substring, any case), phone digits (substring) or ticket number. */
  search?: string;
  /** Only tickets after this one in the page order (the cursor); `lastInboundAt` is for sort activity. */
  after?: { number: number; lastInboundAt: Date | null };
  /**
   * activity: latest customer message (last_inbound_at) first, tickets without one last, ties by
   * highest number; newest: highest number first; oldest: lowest first.
   */
  sort: 'activity' | 'newest' | 'oldest';
  /** The requesting agent: unread counts are theirs. */
  viewerId: string;
  /** How many rows to read. */
  take: number;
}

const listInclude = {
  customer: { select: { id: true, name: true, phone: true, lid: true } },
  assignee: { select: { id: true, name: true } },
  labels: { select: { label: { select: { id: true, name: true, color: true } } } },
} satisfies Prisma.TicketInclude;

type ListRow = Prisma.TicketGetPayload<{ include: typeof listInclude }>;

const messageInclude = {
  agent: { select: { id: true, name: true } },
  attachments: { orderBy: { createdAt: 'asc' } },
} satisfies Prisma.MessageInclude;

/** Up to `criteria.take` tickets matching the criteria, in page order. */
export async function findTicketListItems(db: Database, criteria: TicketCriteria): Promise<TicketListItem[]> {
  const and: Prisma.TicketWhereInput[] = [{ status: { in: [...criteria.statuses] } }];
  for (const assigneeId of criteria.assigneeIs) and.push({ assigneeId });
  if (criteria.category) and.push({ category: criteria.category });
  if (criteria.labelId) and.push({ labels: { some: { labelId: criteria.labelId } } });
  if (criteria.search?.trim()) and.push(searchWhere(criteria.search));
  const read = (after: Prisma.TicketWhereInput[], take: number) =>
    db.ticket.findMany({
      where: { AND: [...and, ...after] },
      orderBy: PAGE_ORDER[criteria.sort],
      take,
      include: listInclude,
    });
  const found = await read(criteria.after ? afterWhere(criteria.sort, criteria.after) : [], criteria.take);
  if (criteria.sort === 'activity' && criteria.after?.lastInboundAt && found.length < criteria.take) {
    // The page reaches past the last ticket with customer activity: those without any follow.
    found.push(...(await read([{ lastInboundAt: null }], criteria.take - found.length)));
  }
  // The last message, unread count and waiting time: one query for the page (Prisma's nested
  // `take: 1` would read every message of every ticket on it).
  const activity = await findTicketActivity(
    db,
    found.map((ticket) => ticket.id),
    criteria.viewerId,
  );
  return found.map((ticket) => listItem(ticket, activity.get(ticket.id)));
}

const PAGE_ORDER = {
  activity: [{ lastInboundAt: { sort: 'desc', nulls: 'last' } }, { number: 'desc' }],
  newest: [{ number: 'desc' }],
  oldest: [{ number: 'asc' }],
} satisfies Record<TicketCriteria['sort'], Prisma.TicketOrderByWithRelationInput[]>;

/**
 * The tickets after `after` in the page order of `sort` (keyset pagination), as conditions an
 * index range scan can start from. In the activity order, after a ticket with customer activity
 * come those with earlier activity (this condition) and then every ticket without any, which the
 * caller reads separately: one OR of both would make PostgreSQL filter the index from its start.
 */
function afterWhere(
  sort: TicketCriteria['sort'],
  after: NonNullable<TicketCriteria['after']>,
): Prisma.TicketWhereInput[] {
  if (sort === 'newest') return [{ number: { lt: after.number } }];
  if (sort === 'oldest') return [{ number: { gt: after.number } }];
  // Without customer activity the ticket is among the last ones, ordered by number alone.
  if (after.lastInboundAt === null) return [{ lastInboundAt: null, number: { lt: after.number } }];
  return [
    { lastInboundAt: { lte: after.lastInboundAt } },
    { NOT: { lastInboundAt: after.lastInboundAt, number: { gte: after.number } } },
  ];
}

/**
 * A ticket's list item as `viewerId` sees it (their unread count), or null for an unknown ticket.
 */
export async function findTicketListItem(
  db: Database,
  ticketId: string,
  viewerId: string,
): Promise<TicketListItem | null> {
  const ticket = await db.ticket.findUnique({ where: { id: ticketId }, include: listInclude });
  if (!ticket) return null;
  const activity = await findTicketActivity(db, [ticket.id], viewerId);
  return listItem(ticket, activity.get(ticket.id));
}

/**
 * A ticket's list item (as `viewerId` sees it) with its customer (tags and notes included), or
 * null for an unknown ticket.
 */
export async function findTicketWithCustomer(
  db: Database,
  ticketId: string,
  viewerId: string,
): Promise<{ ticket: TicketListItem; customer: ThreadCustomer } | null> {
  const ticket = await db.ticket.findUnique({
    where: { id: ticketId },
    include: {
      ...listInclude,
      customer: { select: { id: true, name: true, phone: true, lid: true, tags: true, notes: true } },
    },
  });
  if (!ticket) return null;
  const activity = await findTicketActivity(db, [ticket.id], viewerId);
  return { ticket: listItem(ticket, activity.get(ticket.id)), customer: ticket.customer };
}

/** A ticket's messages with their attachments, oldest first. */
export async function listTicketMessages(db: Database, ticketId: string): Promise<MessageView[]> {
  const messages = await db.message.findMany({
    where: { ticketId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    include: messageInclude,
  });
  return messages.map(messageView);
}

/** One message as agents see it, or null for an unknown message. */
export async function findMessageView(db: Database, messageId: string): Promise<MessageView | null> {
  const message = await db.message.findUnique({ where: { id: messageId }, include: messageInclude });
  return message ? messageView(message) : null;
}

function messageView(message: Prisma.MessageGetPayload<{ include: typeof messageInclude }>): MessageView {
  return {
    id: message.id,
    direction: message.direction,
    author: message.author,
    agent: message.agent,
    type: message.type,
    text: message.text,
    caption: message.caption,
    deliveryStatus: message.deliveryStatus,
    error: message.error,
    sentAt: message.sentAt,
    createdAt: message.createdAt,
    attachments: message.attachments.map((attachment) => ({
      id: attachment.id,
      mimeType: attachment.mimeType,
      size: attachment.size,
      filename: attachment.originalFilename,
    })),
  };
}

/** @param activity its messages as the requesting agent sees them (absent: no messages). */
function listItem(ticket: ListRow, activity: TicketActivity | undefined): TicketListItem {
  return {
    id: ticket.id,
    number: ticket.number,
    status: ticket.status,
    category: ticket.category,
    channel: ticket.channel,
    language: ticket.language,
    customer: {
      id: ticket.customer.id,
      name: ticket.customer.name,
      phone: ticket.customer.phone,
      lid: ticket.customer.lid,
    },
    assignee: ticket.assignee,
    openedAt: ticket.openedAt,
    assignedAt: ticket.assignedAt,
    firstResponseAt: ticket.firstResponseAt,
    resolvedAt: ticket.resolvedAt,
    closedAt: ticket.closedAt,
    // Only a pending ticket is snoozed (a merge closes tickets without touching the column).
    snoozedUntil: ticket.status === 'pending' ? ticket.snoozedUntil : null,
    lastInboundAt: ticket.lastInboundAt,
    updatedAt: ticket.updatedAt,
    firstResponseSeconds: secondsBetween(ticket.openedAt, ticket.firstResponseAt),
    resolutionSeconds: secondsBetween(ticket.openedAt, ticket.resolvedAt),
    lastMessage: activity?.lastMessage ?? null,
    unreadCount: activity?.unreadCount ?? 0,
    waitingSince: activity?.waitingSince ?? null,
    labels: sortByName(ticket.labels.map((entry) => entry.label)),
  };
}

function searchWhere(search: string): Prisma.TicketWhereInput {
  const text = toAsciiDigits(search.trim());
  const digits = text.replace(/\D/g, '');
  const or: Prisma.TicketWhereInput[] = [{ customer: { name: { contains: text, mode: 'insensitive' } } }];
  if (digits.length >= 3) {
    or.push({ customer: { phone: { contains: digits } } });
    // A national number (01001234567) matches the E.164 one (+201001234567) without its trunk 0.
    if (digits.startsWith('0') && digits.length > 4)
      or.push({ customer: { phone: { contains: digits.slice(1) } } });
  }
  if (/^#?\d{1,9}$/.test(text)) or.push({ number: Number(text.replace('#', '')) });
  return { OR: or };
}
