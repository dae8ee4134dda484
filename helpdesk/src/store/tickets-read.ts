/**
 * Reading tickets as agents see them: inbox pages (filters, search, keyset pages by ticket
 * number), one ticket with its customer, a thread's messages, and single list items and messages
 * after a change. Returns plain objects.
 */
import type { TicketStatus } from '@whatsapp-helpdesk/contract/api';
import { secondsBetween } from '../domain/ticket-rules';
import { toAsciiDigits } from '../domain/menu-choice';
import type { Database, Prisma } from './database';
import type { CustomerView } from './customers';
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
  lastInboundAt: Date | null;
  updatedAt: Date;
  /** Seconds from opening to the first agent reply, once there is one. */
  firstResponseSeconds: number | null;
  /** Seconds from opening to resolution, once resolved. */
  resolutionSeconds: number | null;
  /** The latest message, for the inbox preview. */
  lastMessage: {
    direction: 'inbound' | 'outbound';
    author: string;
    type: string;
    preview: string | null;
    at: Date;
  } | null;
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
  /** Customer name (substring, any case), phone digits (substring) or ticket number. */
  search?: string;
  /** Only tickets after this number in the page order (the cursor). */
  afterNumber?: number;
  /** newest: highest number first; oldest: lowest first. */
  sort: 'newest' | 'oldest';
  /** How many rows to read. */
  take: number;
}

const listInclude = {
  customer: { select: { id: true, name: true, phone: true, lid: true } },
  assignee: { select: { id: true, name: true } },
  messages: {
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 1,
    select: { direction: true, author: true, type: true, text: true, caption: true, createdAt: true },
  },
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
  if (criteria.search?.trim()) and.push(searchWhere(criteria.search));
  if (criteria.afterNumber !== undefined) {
    and.push({
      number: criteria.sort === 'newest' ? { lt: criteria.afterNumber } : { gt: criteria.afterNumber },
    });
  }
  const found = await db.ticket.findMany({
    where: { AND: and },
    orderBy: { number: criteria.sort === 'newest' ? 'desc' : 'asc' },
    take: criteria.take,
    include: listInclude,
  });
  return found.map(listItem);
}

/** A ticket's list item, or null for an unknown ticket. */
export async function findTicketListItem(db: Database, ticketId: string): Promise<TicketListItem | null> {
  const ticket = await db.ticket.findUnique({ where: { id: ticketId }, include: listInclude });
  return ticket ? listItem(ticket) : null;
}

/** A ticket's list item with its customer (tags and notes included), or null for an unknown ticket. */
export async function findTicketWithCustomer(
  db: Database,
  ticketId: string,
): Promise<{ ticket: TicketListItem; customer: ThreadCustomer } | null> {
  const ticket = await db.ticket.findUnique({
    where: { id: ticketId },
    include: {
      ...listInclude,
      customer: { select: { id: true, name: true, phone: true, lid: true, tags: true, notes: true } },
    },
  });
  return ticket ? { ticket: listItem(ticket), customer: ticket.customer } : null;
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

function listItem(ticket: ListRow): TicketListItem {
  const last = ticket.messages[0];
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
    lastInboundAt: ticket.lastInboundAt,
    updatedAt: ticket.updatedAt,
    firstResponseSeconds: secondsBetween(ticket.openedAt, ticket.firstResponseAt),
    resolutionSeconds: secondsBetween(ticket.openedAt, ticket.resolvedAt),
    lastMessage: last
      ? {
          direction: last.direction,
          author: last.author,
          type: last.type,
          preview: (last.text ?? last.caption)?.slice(0, 140) ?? null,
          at: last.createdAt,
        }
      : null,
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
