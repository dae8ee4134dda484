/**
 * What one inbound message changes besides the customer and the ticket it goes to: the plan of
 * its writes — the ticket's new bot state, its events and the bot's replies (SPEC section 5,
 * steps 5 and 6). Pure: the bot's rules are domain/bot.ts; nothing is read or written here.
 */
import { randomUUID } from 'node:crypto';
import type { TicketEventType } from '@whatsapp-helpdesk/contract/api';
import { decideBotReplies, type BotReply, type BotSettings } from '../../domain/bot';
import { isOpenAt, type WeeklySchedule } from '../../domain/business-hours';
import { renderMenuAsText } from '../../domain/menu';
import type { TicketRow } from '../../store/inbound-tickets';
import type { InboundMessage } from '../../whatsapp/inbound-event';
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
  events: Array<{ type: TicketEventType; data: unknown }>;
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
