/**
 * Reading tickets as agents see them: inbox pages (filters, search, keyset pages by latest
 * customer activity or ticket number), one ticket with its customer, a thread's messages, and
 * single list items and messages after a change; each ticket with the requesting agent's unread
 * count (store/ticket-reads.ts). Returns plain objects.
 */
import type { TicketStatus } from '@whatsapp-helpdesk/contract/api';
import { secondsBetween } from '../domain/ticket-rules';
import { toAsciiDigits } from '../domain/menu-choice';
import { ticketSla, type TicketSlaColumns, type TicketSlaView } from '../domain/sla';
import { likeContaining, row, rows, type Queryable } from './sql';
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

/** The columns of a ticket's list item (`t` tickets, `c` its customer, `a` its assignee). */
const LIST_COLUMNS = `t.id, t.number, t.status::text AS status, t.category, t.channel, t.language,
       c.id AS "customerId", c.name AS "customerName", c.phone AS "customerPhone", c.lid AS "customerLid",
       a.id AS "assigneeId", a.name AS "assigneeName", t.team_id AS "teamId",
       t.opened_at AS "openedAt", t.assigned_at AS "assignedAt", t.first_response_at AS "firstResponseAt",
       t.resolved_at AS "resolvedAt", t.closed_at AS "closedAt", t.snoozed_until AS "snoozedUntil",
       t.last_inbound_at AS "lastInboundAt", t.updated_at AS "updatedAt",
       t.first_response_due_at AS "firstResponseDueAt", t.first_response_at_risk_at AS "firstResponseAtRiskAt",
       t.first_response_breached_at AS "firstResponseBreachedAt", t.resolution_due_at AS "resolutionDueAt",
       t.resolution_at_risk_at AS "resolutionAtRiskAt", t.resolution_breached_at AS "resolutionBreachedAt",
       t.csat_score AS "csatScore", t.csat_comment AS "csatComment", t.csat_answered_at AS "csatAnsweredAt",
       COALESCE((SELECT json_agg(json_build_object('id', l.id, 'name', l.name, 'color', l.color))
                   FROM ticket_labels tl JOIN labels l ON l.id = tl.label_id
                  WHERE tl.ticket_id = t.id), '[]'::json) AS labels`;

/** A row of LIST_COLUMNS (store/search.ts reads some of the same columns). */
export interface ListRow extends TicketSlaColumns {
  id: string;
  number: number;
  status: TicketStatus;
  category: string | null;
  channel: string;
  language: string | null;
  customerId: string;
  customerName: string | null;
  customerPhone: string | null;
  customerLid: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  teamId: string | null;
  openedAt: Date;
  assignedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  snoozedUntil: Date | null;
  lastInboundAt: Date | null;
  updatedAt: Date;
  csatScore: number | null;
  csatComment: string | null;
  csatAnsweredAt: Date | null;
  labels: LabelView[];
}

/** The ORDER BY of each page order (`t` tickets). */
const PAGE_ORDER: Record<TicketCriteria['sort'], string> = {
  activity: 't.last_inbound_at DESC NULLS LAST, t.number DESC',
  newest: 't.number DESC',
  oldest: 't.number ASC',
};

/** Adds a statement parameter and returns its placeholder (`$1`, `$2`, …). */
type Parameter = (value: unknown) => string;

/** The conditions on `t` (tickets) and `c` (customers) of the criteria, but for the cursor. */
function criteriaConditions(criteria: TicketCriteria, param: Parameter): string[] {
  const conditions = [`t.status = ANY(${param([...criteria.statuses])}::"TicketStatus"[])`];
  for (const assigneeId of criteria.assigneeIs)
    conditions.push(
      assigneeId === null ? 't.assignee_id IS NULL' : `t.assignee_id = ${param(assigneeId)}::uuid`,
    );
  if (criteria.category) conditions.push(`t.category = ${param(criteria.category)}`);
  if (criteria.labelId) {
    conditions.push(`EXISTS (SELECT 1 FROM ticket_labels tl
                              WHERE tl.ticket_id = t.id AND tl.label_id = ${param(criteria.labelId)}::uuid)`);
  }
  if (criteria.channel) conditions.push(`t.channel = ${param(criteria.channel)}`);
  if (criteria.search?.trim()) conditions.push(searchCondition(criteria.search, param));
  return conditions;
}

/**
 * Up to `criteria.take` tickets matching the criteria, in page order: one statement for the page
 * (plain SQL: each Prisma query costs about a millisecond of CPU in its compiler, and an inbox
 * page was seven of them) and one for the page's messages (`findTicketActivity`).
 */
export async function findTicketListItems(
  db: Queryable,
  criteria: TicketCriteria,
): Promise<TicketListItem[]> {
  /** One page read: the criteria's conditions and `after`'s, each read with its own parameters. */
  const read = async (after: (param: Parameter) => string[], take: number) => {
    const values: unknown[] = [];
    const param: Parameter = (value) => `$${values.push(value)}`;
    const conditions = [...criteriaConditions(criteria, param), ...after(param)];
    return rows<ListRow>(
      db,
      `SELECT ${LIST_COLUMNS}
         FROM tickets t
         JOIN customers c ON c.id = t.customer_id
         LEFT JOIN agents a ON a.id = t.assignee_id
        WHERE ${conditions.join(' AND ')}
        ORDER BY ${PAGE_ORDER[criteria.sort]}
        LIMIT ${take}`,
      values,
    );
  };
  const { after } = criteria;
  const found = await read(
    (param) => (after ? afterConditions(criteria.sort, after, param) : []),
    criteria.take,
  );
  if (criteria.sort === 'activity' && after?.lastInboundAt && found.length < criteria.take) {
    // The page reaches past the last ticket with customer activity: those without any follow.
    found.push(...(await read(() => ['t.last_inbound_at IS NULL'], criteria.take - found.length)));
  }
  const activity = await findTicketActivity(
    db,
    found.map((ticket) => ticket.id),
    criteria.viewerId,
  );
  return found.map((ticket) => listItem(ticket, activity.get(ticket.id)));
}

/**
 * The tickets after `after` in the page order of `sort` (keyset pagination), as conditions an
 * index range scan can start from. In the activity order, after a ticket with customer activity
 * come those with earlier activity (this condition) and then every ticket without any, which the
 * caller reads separately: one OR of both would make PostgreSQL filter the index from its start.
 */
function afterConditions(
  sort: TicketCriteria['sort'],
  after: NonNullable<TicketCriteria['after']>,
  param: Parameter,
): string[] {
  const number = param(after.number);
  if (sort === 'newest') return [`t.number < ${number}`];
  if (sort === 'oldest') return [`t.number > ${number}`];
  // Without customer activity the ticket is among the last ones, ordered by number alone.
  if (after.lastInboundAt === null) return ['t.last_inbound_at IS NULL', `t.number < ${number}`];
  const at = param(after.lastInboundAt);
  return [`t.last_inbound_at <= ${at}`, `NOT (t.last_inbound_at = ${at} AND t.number >= ${number})`];
}

/**
 * A ticket's list item as `viewerId` sees it (their unread count), or null for an unknown ticket.
 */
export async function findTicketListItem(
  db: Queryable,
  ticketId: string,
  viewerId: string,
): Promise<TicketListItem | null> {
  return (await findTicketWithCustomer(db, ticketId, viewerId))?.ticket ?? null;
}

/**
 * A ticket's list item (as `viewerId` sees it) with its customer (tags and notes included), or
 * null for an unknown ticket.
 */
export async function findTicketWithCustomer(
  db: Queryable,
  ticketId: string,
  viewerId: string,
): Promise<{ ticket: TicketListItem; customer: ThreadCustomer } | null> {
  const ticket = await row<ListRow & { customerTags: string[]; customerNotes: string | null }>(
    db,
    `SELECT ${LIST_COLUMNS}, c.tags AS "customerTags", c.notes AS "customerNotes"
       FROM tickets t
       JOIN customers c ON c.id = t.customer_id
       LEFT JOIN agents a ON a.id = t.assignee_id
      WHERE t.id = $1::uuid`,
    [ticketId],
    'ticket-with-customer',
  );
  if (!ticket) return null;
  const activity = await findTicketActivity(db, [ticket.id], viewerId);
  return {
    ticket: listItem(ticket, activity.get(ticket.id)),
    customer: {
      id: ticket.customerId,
      name: ticket.customerName,
      phone: ticket.customerPhone,
      lid: ticket.customerLid,
      tags: ticket.customerTags,
      notes: ticket.customerNotes,
    },
  };
}

/** The columns of a message as agents see it (`m` messages), with its agent and attachments. */
const MESSAGE_COLUMNS = `m.id, m.provider, m.provider_message_id AS "providerMessageId",
       m.direction::text AS direction, m.author::text AS author,
       CASE WHEN ag.id IS NULL THEN NULL ELSE json_build_object('id', ag.id, 'name', ag.name) END AS agent,
       m.type, m.text, m.caption, m.delivery_status::text AS "deliveryStatus", m.error,
       m.sent_at AS "sentAt", m.created_at AS "createdAt", m.reply_to AS "replyTo", m.quoted,
       m.quoted_message_id AS "quotedMessageId", m.edited_at AS "editedAt", m.edits,
       m.deleted_at AS "deletedAt", m.reactions, m.contacts, m.location, m.details,
       COALESCE((SELECT json_agg(json_build_object('id', x.id, 'mimeType', x.mime_type, 'size', x.size,
                                                   'filename', x.original_filename) ORDER BY x.created_at, x.id)
                   FROM attachments x WHERE x.message_id = m.id), '[]'::json) AS attachments`;

/**
 * A row of MESSAGE_COLUMNS: the view's fields, the provider's ids a quote is found by, and the
 * JSON columns still unread.
 */
type MessageRow = Omit<
  MessageView,
  'quoted' | 'edits' | 'reactions' | 'contacts' | 'location' | 'details'
> & {
  provider: string;
  providerMessageId: string | null;
  replyTo: string | null;
  quoted: unknown;
  quotedMessageId: string | null;
  edits: unknown;
  reactions: unknown;
  contacts: unknown;
  location: unknown;
  details: unknown;
};

/** A ticket's messages with their attachments and quoted messages, oldest first. */
export async function listTicketMessages(db: Queryable, ticketId: string): Promise<MessageView[]> {
  const messages = await rows<MessageRow>(
    db,
    `SELECT ${MESSAGE_COLUMNS}
       FROM messages m LEFT JOIN agents ag ON ag.id = m.agent_id
      WHERE m.ticket_id = $1::uuid
      ORDER BY m.created_at, m.id`,
    [ticketId],
    'ticket-messages',
  );
  const quoted = await findQuotedMessages(db, messages);
  return messages.map((message) => messageView(message, quoted));
}

/** One message as agents see it, or null for an unknown message. */
export async function findMessageView(db: Queryable, messageId: string): Promise<MessageView | null> {
  const message = await row<MessageRow>(
    db,
    `SELECT ${MESSAGE_COLUMNS}
       FROM messages m LEFT JOIN agents ag ON ag.id = m.agent_id
      WHERE m.id = $1::uuid`,
    [messageId],
    'message-view',
  );
  if (!message) return null;
  return messageView(message, await findQuotedMessages(db, [message]));
}

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
  db: Queryable,
  messages: readonly MessageRow[],
): Promise<Map<string, QuotedRow>> {
  const found = new Map<string, QuotedRow>();
  const add = (quoted: QuotedRow) => {
    found.set(quoted.id, quoted);
    if (quoted.providerMessageId) found.set(`${quoted.provider}\n${quoted.providerMessageId}`, quoted);
  };
  for (const message of messages) add(message);
  const ids = new Set<string>();
  const providers: string[] = [];
  const providerIds: string[] = [];
  for (const message of messages) {
    const providerId = quotedProviderId(message);
    if (message.quotedMessageId && !found.has(message.quotedMessageId)) ids.add(message.quotedMessageId);
    else if (!message.quotedMessageId && providerId && !found.has(`${message.provider}\n${providerId}`)) {
      providers.push(message.provider);
      providerIds.push(providerId);
    }
  }
  if (ids.size === 0 && providerIds.length === 0) return found;
  const copies = await rows<QuotedRow>(
    db,
    `SELECT m.id, m.provider, m.provider_message_id AS "providerMessageId", m.direction::text AS direction,
            m.type, m.text, m.caption
       FROM messages m
      WHERE m.id = ANY($1::uuid[])
         OR (m.provider, m.provider_message_id) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
    [[...ids], providers, providerIds],
    'quoted-messages',
  );
  for (const copy of copies) add(copy);
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
  // What finds the quote stays here; the rest is shown as read.
  const {
    provider: _provider,
    providerMessageId: _providerMessageId,
    replyTo: _replyTo,
    quotedMessageId: _quotedMessageId,
    ...shown
  } = message;
  return {
    ...shown,
    quoted: quotedView(message, quoted),
    edits: (message.edits ?? []) as MessageVersion[],
    reactions: visibleReactions((message.reactions ?? []) as StoredReaction[]),
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
      id: ticket.customerId,
      name: ticket.customerName,
      phone: ticket.customerPhone,
      lid: ticket.customerLid,
    },
    assignee: ticket.assigneeId ? { id: ticket.assigneeId, name: ticket.assigneeName ?? '' } : null,
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
    labels: sortByName(ticket.labels),
    sla: ticketSla(ticket, new Date()),
    csat:
      ticket.csatScore !== null && ticket.csatAnsweredAt !== null
        ? { score: ticket.csatScore, comment: ticket.csatComment, answeredAt: ticket.csatAnsweredAt }
        : null,
  };
}

/**
 * The inbox search box's condition: the customer's name contains the text (any letter case), their
 * phone contains its digits (three or more; a national number's also without its trunk 0:
 * 01001234567 finds +201001234567), or the ticket has that number (`#123` or `123`).
 */
function searchCondition(search: string, param: Parameter): string {
  const text = toAsciiDigits(search.trim());
  const digits = text.replace(/\D/g, '');
  const or = [`c.name ILIKE ${param(likeContaining(text))}`];
  if (digits.length >= 3) {
    or.push(`c.phone LIKE ${param(likeContaining(digits))}`);
    if (digits.startsWith('0') && digits.length > 4)
      or.push(`c.phone LIKE ${param(likeContaining(digits.slice(1)))}`);
  }
  if (/^#?\d{1,9}$/.test(text)) or.push(`t.number = ${param(Number(text.replace('#', '')))}`);
  return `(${or.join(' OR ')})`;
}
