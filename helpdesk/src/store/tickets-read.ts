/**
 * Reading tickets as agents see them: inbox pages (filters, search, keyset pages by latest
 * customer activity or ticket number), one ticket with its customer, a thread's messages, and
 * single list items and messages after a change; each ticket with the requesting agent's unread
 * count (store/ticket-reads.ts). Returns plain objects.
 */
import type { TicketStatus } from '@whatsapp-helpdesk/contract/api';
import { secondsBetween } from '../domain/ticket-rules';
import { toAsciiDigits } from '../domain/menu-choice';
import { ticketSla, type TicketSlaView } from '../domain/sla';
import type { Database, Prisma } from './database';
import type { CustomerView } from './customers';
import { findTicketActivity, type LastMessage, type TicketActivity } from './ticket-reads';
import { sortByName, type LabelView } from './labels';
import type {
  DeliveryStatus,
  MessageDetails,
  MessageLocation,
  SharedContact,
} from '@whatsapp-helpdesk/contract/api';
import { visibleReactions, type MessageVersion, type StoredReaction } from '../domain/message-changes';

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
  /** The team the ticket was transferred to (only its members may take it); null: none. */
  teamId: string | null;
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
  /** The next response-time target and how the ticket stands against it now (domain/sla.ts); null: none. */
  sla: TicketSlaView | null;
  /** The customer's satisfaction rating (CSAT, 1..5) after resolution; null: not rated. */
  csat: { score: number; comment: string | null; answeredAt: Date } | null;
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
  /** The message it replies to, linked to our copy when stored. */
  quoted: QuotedView | null;
  /** When the customer last edited it; null: never. */
  editedAt: Date | null;
  /** Earlier versions, oldest first (`at` ISO 8601); `text` (or `caption`) is the current one. */
  edits: MessageVersion[];
  /** When the customer deleted it for everyone (text and media kept). */
  deletedAt: Date | null;
  /** The customer's reactions, oldest first (`at` ISO 8601). */
  reactions: Array<{ emoji: string; by: 'customer'; at: string }>;
  contacts: SharedContact[] | null;
  location: MessageLocation | null;
  details: MessageDetails | null;
}

/**
 * A quoted message: `messageId` our copy (null when never stored), `direction` whose it is (null
 * when unknown), type and text from our copy, else as the quoting message described it.
 */
export interface QuotedView {
  messageId: string | null;
  providerMessageId: string;
  direction: 'inbound' | 'outbound' | null;
  type: string | null;
  text: string | null;
}

/** The quoted message as stored beside the quoting one (messages.quoted). */
interface QuotedSnapshot {
  providerMessageId: string;
  participant?: string | null;
  fromMe?: boolean | null;
  type?: string | null;
  text?: string | null;
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
  /** Only tickets of this channel (its key). */
  channel?: string;
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
  if (criteria.channel) and.push({ channel: criteria.channel });
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

/** A ticket's messages with their attachments and quoted messages, oldest first. */
export async function listTicketMessages(db: Database, ticketId: string): Promise<MessageView[]> {
  const messages = await db.message.findMany({
    where: { ticketId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    include: messageInclude,
  });
  const quoted = await findQuotedMessages(db, messages);
  return messages.map((message) => messageView(message, quoted));
}

/** One message as agents see it, or null for an unknown message. */
export async function findMessageView(db: Database, messageId: string): Promise<MessageView | null> {
  const message = await db.message.findUnique({ where: { id: messageId }, include: messageInclude });
  if (!message) return null;
  return messageView(message, await findQuotedMessages(db, [message]));
}

type MessageRow = Prisma.MessageGetPayload<{ include: typeof messageInclude }>;

/** What a quote shows of our copy of the quoted message. */
type QuotedRow = Pick<
  MessageRow,
  'id' | 'provider' | 'providerMessageId' | 'direction' | 'type' | 'text' | 'caption'
>;

/** The provider's id a message quotes: its quoted snapshot's, else its `replyTo`. */
function quotedProviderId(message: MessageRow): string | null {
  const snapshot = message.quoted as QuotedSnapshot | null;
  return snapshot?.providerMessageId ?? message.replyTo;
}

/**
 * Our copies of the messages `messages` quote, in one query: by the stored link
 * (`quoted_message_id`), else by the provider's id (a quoted message stored in the same batch as the
 * quoting one, or after it). Quoted messages among `messages` themselves are found without a query.
 * @returns keyed by our id and by `<provider>\n<provider message id>`.
 */
async function findQuotedMessages(
  db: Database,
  messages: readonly MessageRow[],
): Promise<Map<string, QuotedRow>> {
  const found = new Map<string, QuotedRow>();
  const add = (row: QuotedRow) => {
    found.set(row.id, row);
    if (row.providerMessageId) found.set(`${row.provider}\n${row.providerMessageId}`, row);
  };
  for (const message of messages) add(message);
  const ids = new Set<string>();
  const byProvider: Prisma.MessageWhereInput[] = [];
  for (const message of messages) {
    const providerId = quotedProviderId(message);
    if (message.quotedMessageId && !found.has(message.quotedMessageId)) ids.add(message.quotedMessageId);
    else if (!message.quotedMessageId && providerId && !found.has(`${message.provider}\n${providerId}`))
      byProvider.push({ provider: message.provider, providerMessageId: providerId });
  }
  if (ids.size === 0 && byProvider.length === 0) return found;
  const rows = await db.message.findMany({
    where: { OR: [...(ids.size ? [{ id: { in: [...ids] } }] : []), ...byProvider] },
    select: {
      id: true,
      provider: true,
      providerMessageId: true,
      direction: true,
      type: true,
      text: true,
      caption: true,
    },
  });
  for (const row of rows) add(row);
  return found;
}

/** The quote of a message, or null when it quotes nothing. */
function quotedView(message: MessageRow, quoted: ReadonlyMap<string, QuotedRow>): QuotedView | null {
  const providerMessageId = quotedProviderId(message);
  if (!providerMessageId) return null;
  const snapshot = message.quoted as QuotedSnapshot | null;
  const copy =
    (message.quotedMessageId ? quoted.get(message.quotedMessageId) : undefined) ??
    quoted.get(`${message.provider}\n${providerMessageId}`);
  if (copy) {
    return {
      messageId: copy.id,
      providerMessageId,
      direction: copy.direction,
      type: copy.type,
      text: copy.text ?? copy.caption,
    };
  }
  // Whose it was, as the provider said: `fromMe`, else a named author other than us.
  const fromMe = snapshot?.fromMe ?? (snapshot?.participant ? false : null);
  return {
    messageId: null,
    providerMessageId,
    direction: fromMe === true ? 'outbound' : fromMe === false ? 'inbound' : null,
    type: snapshot?.type ?? null,
    text: snapshot?.text ?? null,
  };
}

function messageView(message: MessageRow, quoted: ReadonlyMap<string, QuotedRow>): MessageView {
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
    quoted: quotedView(message, quoted),
    editedAt: message.editedAt,
    edits: (message.edits ?? []) as unknown as MessageVersion[],
    deletedAt: message.deletedAt,
    reactions: visibleReactions((message.reactions ?? []) as unknown as StoredReaction[]),
    contacts: message.contacts as SharedContact[] | null,
    location: message.location as MessageLocation | null,
    details: message.details as MessageDetails | null,
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
    teamId: ticket.teamId,
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
    sla: ticketSla(ticket, new Date()),
    csat:
      ticket.csatScore !== null && ticket.csatAnsweredAt !== null
        ? { score: ticket.csatScore, comment: ticket.csatComment, answeredAt: ticket.csatAnsweredAt }
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
