/**
 * What one inbound message changes, shared by the one-message and the batch pipelines: the ticket
 * it goes to (opened or reopened when needed, SPEC section 5 step 3), and the plan of its writes —
 * the ticket's new bot state, its events and the bot's replies (steps 5 and 6).
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { decideBotReplies, type BotReply, type BotSettings } from '../domain/bot';
import { isOpenAt, type WeeklySchedule } from '../domain/business-hours';
import { renderMenuAsText } from '../domain/menu';
import { chooseTicket, type TicketSummary } from '../domain/ticket-lifecycle';
import { row } from '../infra/sql';
import type { InboundMessage } from '../whatsapp/inbound-event';

/** A ticket as the pipeline reads it (locked). */
export interface TicketRow {
  id: string;
  number: number;
  status: 'open' | 'pending' | 'resolved' | 'closed';
  resolvedAt: Date | null;
  category: string | null;
  assigneeId: string | null;
  menuPending: boolean;
  menuAttempts: number;
  afterHoursSentAt: Date | null;
  language: string | null;
}

/** The SELECT list of a TicketRow. */
export const TICKET_COLUMNS = `id, number, status, resolved_at AS "resolvedAt", category, assignee_id AS "assigneeId",
  menu_pending AS "menuPending", menu_attempts AS "menuAttempts",
  after_hours_sent_at AS "afterHoursSentAt", language`;

/** A ticket row read back from JSON (`to_jsonb`): its times become Dates again. */
export function ticketFromJson(ticket: TicketRow): TicketRow {
  const toDate = (value: Date | string | null) => (value === null ? null : new Date(value));
  return {
    ...ticket,
    resolvedAt: toDate(ticket.resolvedAt),
    afterHoursSentAt: toDate(ticket.afterHoursSentAt),
  };
}

/**
 * The ticket a message goes to: the customer's open ticket, else their last one reopened when it
 * was resolved within `reopenWindowMs`, else a new one (one or two statements then).
 * @param openTicket the customer's open or pending ticket on the channel, locked, or null.
 */
export async function ticketForMessage(
  client: pg.PoolClient,
  reopenWindowMs: number,
  customerId: string,
  event: InboundMessage,
  openTicket: TicketRow | null,
  now: Date,
): Promise<{ ticket: TicketRow; change: 'opened' | 'reopened' | null }> {
  if (openTicket) return { ticket: openTicket, change: null };
  const lastResolved = await row<TicketSummary>(
    client,
    `SELECT id, status, resolved_at AS "resolvedAt" FROM tickets
      WHERE customer_id = $1 AND channel = $2 AND status IN ('resolved', 'closed')
      ORDER BY resolved_at DESC NULLS LAST LIMIT 1`,
    [customerId, event.channel],
  );
  const choice = chooseTicket(null, lastResolved, now, reopenWindowMs);
  if (choice.action === 'reopen') {
    // The previous agent's capacity was freed at resolution: the ticket queues for assignment again.
    const reopened = await row<TicketRow>(
      client,
      `UPDATE tickets SET status = 'open', resolved_at = NULL, assignee_id = NULL, assigned_at = NULL, updated_at = $2
        WHERE id = $1 RETURNING ${TICKET_COLUMNS}`,
      [choice.ticketId, now],
    );
    return { ticket: reopened!, change: 'reopened' };
  }
  const opened = await row<TicketRow>(
    client,
    `INSERT INTO tickets (id, customer_id, channel, provider, opened_at, updated_at)
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $4) RETURNING ${TICKET_COLUMNS}`,
    [customerId, event.channel, event.provider, now],
  );
  return { ticket: opened!, change: 'opened' };
}

/** The settings the bot's decision needs. */
export interface PlanSettings {
  bot: BotSettings;
  businessHours: WeeklySchedule | null;
  businessTimeZone: string;
}

/** A row to write: the inbound message, or one of the bot's replies (ids made here, times in order). */
export interface PlannedMessage {
  id: string;
  type: string;
  text: string | null;
  raw: unknown;
  createdAt: Date;
}

/** Everything one message writes besides the customer. */
export interface MessagePlan {
  inbound: PlannedMessage & { caption: string | null; replyTo: string | null; sentAt: Date };
  replies: PlannedMessage[];
  /** The ticket's events, in order. */
  events: Array<{ type: string; data: unknown }>;
  /** The ticket's bot state after the message (what a later message of the same batch starts from). */
  ticket: TicketRow;
  /** The customer's own time of the message (not ours: the queue may lag), bounded by `now`. */
  inboundAt: Date;
}

/**
 * Plans one message's writes with the bot's decision (SPEC section 5, steps 5 and 6).
 * @param now the message's processing time; its replies are stamped `now` + 1, 2, … ms, so a
 *   caller writing several messages of one ticket starts the next at the returned `nextFree`.
 */
export function planMessage(
  settings: PlanSettings,
  input: {
    event: InboundMessage;
    customer: { created: boolean; previousInboundAt: Date | null };
    ticket: TicketRow;
    change: 'opened' | 'reopened' | null;
    now: Date;
  },
): { plan: MessagePlan; nextFree: Date } {
  const { event, customer, ticket, change, now } = input;
  const decision = decideBotReplies(
    {
      isNewCustomer: customer.created,
      isNewTicket: change === 'opened',
      previousInboundAt: customer.previousInboundAt,
      ticket: {
        category: ticket.category,
        menuPending: ticket.menuPending,
        menuAttempts: ticket.menuAttempts,
        afterHoursSentAt: ticket.afterHoursSentAt,
        language: ticket.language === 'en' || ticket.language === 'ar' ? ticket.language : null,
      },
      message: { text: event.text ?? null, menuChoice: event.menuChoice ?? null },
      now,
      businessOpen: isOpenAt(settings.businessHours, now, settings.businessTimeZone),
    },
    settings.bot,
  );
  const events: MessagePlan['events'] = change ? [{ type: change, data: null }] : [];
  if (decision.ticket.category)
    events.push({ type: 'classified', data: { category: decision.ticket.category, by: 'bot' } });
  // Distinct, ordered times keep the thread in sending order.
  const replies = decision.replies.map((reply, index) => ({
    id: randomUUID(),
    ...outboundContent(reply),
    createdAt: new Date(now.getTime() + index + 1),
  }));
  const sentAt = new Date(event.timestamp);
  return {
    plan: {
      inbound: {
        id: randomUUID(),
        type: event.type,
        text: event.text ?? (event.location ? describeLocation(event.location) : null),
        caption: event.caption ?? null,
        replyTo: event.replyTo ?? null,
        raw: event.raw === undefined ? null : event.raw,
        createdAt: now,
        sentAt,
      },
      replies,
      events,
      ticket: {
        ...ticket,
        menuPending: decision.ticket.menuPending,
        menuAttempts: decision.ticket.menuAttempts,
        language: decision.ticket.language,
        category: decision.ticket.category ?? ticket.category,
        afterHoursSentAt: decision.ticket.afterHoursSentAt ?? ticket.afterHoursSentAt,
      },
      inboundAt: new Date(Math.min(sentAt.getTime(), now.getTime())),
    },
    nextFree: new Date(now.getTime() + replies.length + 1),
  };
}

function outboundContent(reply: BotReply): { type: string; text: string; raw: Record<string, unknown> } {
  if (reply.kind === 'menu') {
    return {
      type: 'interactive',
      text: renderMenuAsText(reply.menu),
      raw: { kind: 'menu', menu: reply.menu },
    };
  }
  return { type: 'text', text: reply.text, raw: { kind: reply.kind } };
}

function describeLocation(location: NonNullable<InboundMessage['location']>): string {
  const place = [location.name, location.address].filter(Boolean).join(', ');
  return `${place ? `${place} ` : ''}(${location.latitude}, ${location.longitude})`;
}
