/**
 * Reading tickets for agents: the inbox list (filters, search, cursor pagination) and one ticket's
 * whole thread (messages with attachments, internal notes, events), with the access rules of
 * domain/ticket-rules.ts applied.
 */
import type { CustomerView } from './customer-directory';
import {
  ACTIVE_STATUSES,
  canReadTicket,
  secondsBetween,
  type Actor,
  type TicketStatus,
} from '../domain/ticket-rules';
import { toAsciiDigits } from '../domain/menu-choice';
import { AppError } from '../errors';
import type { Database, Prisma } from '../infra/db';

export const TICKET_VIEWS = ['mine', 'unassigned', 'all'] as const;
export type TicketView = (typeof TICKET_VIEWS)[number];

export interface TicketFilters {
  /** mine: assigned to the actor; unassigned: the waiting queue; all: every ticket (admins only). */
  view: TicketView;
  /** Statuses to include (default: open and pending). */
  statuses?: TicketStatus[];
  category?: string;
  /** Customer name (substring, any case), phone digits (substring) or ticket number. */
  search?: string;
  /** Only tickets of this assignee (admins only). */
  assigneeId?: string;
  /** newest: highest ticket number first (default); oldest: lowest first. */
  sort?: 'newest' | 'oldest';
  /** `nextCursor` of the previous page. */
  cursor?: string;
  /** Page size, 1–100 (default 25). */
  limit?: number;
}

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

export interface TicketPage {
  items: TicketListItem[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
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
  deliveryStatus: string;
  error: string | null;
  sentAt: Date;
  createdAt: Date;
  attachments: AttachmentView[];
}

export interface NoteView {
  id: string;
  body: string;
  agent: PersonRef | null;
  createdAt: Date;
}

export interface EventView {
  id: string;
  type: string;
  agent: PersonRef | null;
  data: unknown;
  createdAt: Date;
}

export interface TicketThread {
  ticket: TicketListItem;
  customer: Pick<CustomerView, 'id' | 'name' | 'phone' | 'lid' | 'tags' | 'notes'>;
  messages: MessageView[];
  notes: NoteView[];
  events: EventView[];
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

/**
 * One page of tickets the actor may list.
 * @throws AppError forbidden when an agent asks for view=all or another agent's tickets;
 *   validation_failed for a cursor this API did not make.
 */
export async function listTickets(db: Database, actor: Actor, filters: TicketFilters): Promise<TicketPage> {
  if (actor.role !== 'admin' && filters.view === 'all') {
    throw new AppError('forbidden', 'view: "all" is for admins; agents see "mine" and "unassigned"');
  }
  if (actor.role !== 'admin' && filters.assigneeId && filters.assigneeId !== actor.id) {
    throw new AppError('forbidden', "assigneeId: agents cannot list another agent's tickets");
  }
  const limit = Math.min(Math.max(filters.limit ?? 25, 1), 100);
  const sort = filters.sort ?? 'newest';
  const and: Prisma.TicketWhereInput[] = [
    { status: { in: filters.statuses?.length ? filters.statuses : [...ACTIVE_STATUSES] } },
  ];
  if (filters.view === 'mine') and.push({ assigneeId: actor.id });
  if (filters.view === 'unassigned') and.push({ assigneeId: null });
  if (filters.assigneeId) and.push({ assigneeId: filters.assigneeId });
  if (filters.category) and.push({ category: filters.category });
  if (filters.search?.trim()) and.push(searchWhere(filters.search));
  if (filters.cursor) {
    const after = decodeCursor(filters.cursor);
    and.push({ number: sort === 'newest' ? { lt: after } : { gt: after } });
  }
  const rows = await db.ticket.findMany({
    where: { AND: and },
    orderBy: { number: sort === 'newest' ? 'desc' : 'asc' },
    take: limit + 1,
    include: listInclude,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(listItem),
    nextCursor: rows.length > limit && last ? encodeCursor(last.number) : null,
  };
}

/**
 * One ticket with everything agents see of it.
 * @throws AppError not_found for an unknown ticket; forbidden when the actor may not read it.
 */
export async function getTicketThread(db: Database, actor: Actor, ticketId: string): Promise<TicketThread> {
  const ticket = await db.ticket.findUnique({
    where: { id: ticketId },
    include: {
      ...listInclude,
      customer: { select: { id: true, name: true, phone: true, lid: true, tags: true, notes: true } },
    },
  });
  if (!ticket) throw new AppError('not_found', `ticket: no ticket ${ticketId}`);
  if (!canReadTicket(actor, ticket)) {
    throw new AppError('forbidden', `ticket: #${ticket.number} is assigned to another agent`);
  }
  const [messages, notes, events] = await Promise.all([
    db.message.findMany({
      where: { ticketId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      include: {
        agent: { select: { id: true, name: true } },
        attachments: { orderBy: { createdAt: 'asc' } },
      },
    }),
    db.ticketNote.findMany({
      where: { ticketId },
      orderBy: { createdAt: 'asc' },
      include: { agent: { select: { id: true, name: true } } },
    }),
    db.ticketEvent.findMany({
      where: { ticketId },
      orderBy: { id: 'asc' },
      include: { agent: { select: { id: true, name: true } } },
    }),
  ]);
  return {
    ticket: listItem(ticket),
    customer: ticket.customer,
    messages: messages.map(messageView),
    notes: notes.map((note) => ({
      id: note.id,
      body: note.body,
      agent: note.agent,
      createdAt: note.createdAt,
    })),
    events: events.map((event) => ({
      id: String(event.id),
      type: event.type,
      agent: event.agent,
      data: event.data,
      createdAt: event.createdAt,
    })),
  };
}

/** A stored message as agents see it. */
export function messageView(
  message: Prisma.MessageGetPayload<{
    include: { agent: { select: { id: true; name: true } }; attachments: true };
  }>,
): MessageView {
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

/** Reads a ticket's list item by id (after a change). @throws AppError not_found. */
export async function getTicketListItem(db: Database, ticketId: string): Promise<TicketListItem> {
  const ticket = await db.ticket.findUnique({ where: { id: ticketId }, include: listInclude });
  if (!ticket) throw new AppError('not_found', `ticket: no ticket ${ticketId}`);
  return listItem(ticket);
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

function encodeCursor(number: number): string {
  return Buffer.from(`n:${number}`).toString('base64url');
}

/** Ticket numbers are PostgreSQL integers: a larger one in a crafted cursor would fail the query. */
const MAX_TICKET_NUMBER = 2_147_483_647;

function decodeCursor(cursor: string): number {
  const match = /^n:(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const number = match ? Number(match[1]) : NaN;
  if (!(number <= MAX_TICKET_NUMBER)) {
    throw new AppError('validation_failed', 'cursor: is not a cursor this API returned');
  }
  return number;
}
