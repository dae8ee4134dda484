/**
 * What one inbound message changes besides the customer and the ticket it goes to: the plan of
 * its writes — the ticket's new bot state, its events and the bot's replies (SPEC section 5,
 * steps 5 and 6). Pure: the bot's rules are domain/bot.ts; nothing is read or written here.
 */
import { randomUUID } from 'node:crypto';
import type { TicketEventType } from '@whatsapp-helpdesk/contract/api';
import { matchAutoReply, type AutoReplyRule } from '../../domain/auto-reply';
import { decideBotReplies, type BotDecision, type BotReply, type BotSettings } from '../../domain/bot';
import { isOpenAt, type WeeklySchedule } from '../../domain/business-hours';
import { CSAT_LOW_SCORE, type CsatRating } from '../../domain/csat';
import { renderMenuAsText } from '../../domain/menu';
import { DEFAULT_OPT_OUT, optOutConfirmation, optOutRequest, type OptOutWords } from '../../domain/opt-out';
import type { TicketRow } from '../../store/inbound-tickets';
import type { InboundMessage } from '../../whatsapp/inbound-event';
/** The settings the bot's decision needs: the deployment's, and where each channel's differ. */
export interface PlanSettings {
  bot: BotSettings;
  businessHours: WeeklySchedule | null;
  businessTimeZone: string;
  /**
   * Each channel's own settings (its overrides on top of the deployment's): whatsapp/channel-directory.ts
   * `ChannelDirectory`. Absent: every channel uses the ones above.
   */
  channels?: ChannelBotSettingsSource;
  /** The opt-out and opt-in words (OPT_OUT_WORDS, OPT_IN_WORDS); absent: the defaults. */
  optOut?: OptOutWords;
  /** The auto-reply rules in memory (whatsapp/auto-reply-directory.ts); absent: none. */
  autoReplies?: { rules(): readonly AutoReplyRule[] };
}

/** Where a message's channel finds its bot settings. */
export interface ChannelBotSettingsSource {
  /** The settings for messages on the channel `key` of `provider` (the deployment's for an unknown one). */
  effectiveBot(
    provider: InboundMessage['provider'],
    key: string,
  ): Pick<PlanSettings, 'bot' | 'businessHours' | 'businessTimeZone'>;
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
  inbound: PlannedMessage & {
    caption: string | null;
    replyTo: string | null;
    sentAt: Date;
    /** The quoted message as the provider described it (store/inbound-messages.ts), or null. */
    quoted: InboundMessage['quoted'] | null;
    contacts: InboundMessage['contacts'];
    location: InboundMessage['location'] | null;
    details: InboundMessage['details'];
  };
  replies: PlannedMessage[];
  /** The ticket's events, in order. */
  events: Array<{ type: TicketEventType; data: unknown }>;
  /** The ticket's bot state after the message (what a later message of the same batch starts from). */
  ticket: TicketRow;
  /** The customer's own time of the message (not ours: the queue may lag), bounded by `now`. */
  inboundAt: Date;
  /** The message is an opt-out (`out`) or opt-in (`in`) word: the customer's opt-out changes. */
  optOut: 'out' | 'in' | null;
  /** The message rates the resolved ticket (choose-ticket.ts): recorded, thanked, not reopened. */
  csat: CsatRating | null;
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
    /** `optedOut`: the customer is opted out (an opt-in word only counts then). */
    customer: { created: boolean; previousInboundAt: Date | null; optedOut?: boolean };
    ticket: TicketRow;
    change: 'opened' | 'reopened' | null;
    now: Date;
    /** The message rates the resolved ticket: thanks instead of the bot's rules. */
    csat?: CsatRating | null;
  },
): { plan: MessagePlan; nextFree: Date } {
  const { event, customer, ticket, change, now } = input;
  const csat = input.csat ?? null;
  // The channel's business hours, time zone, language and texts where it has its own.
  const channelSettings = settings.channels?.effectiveBot(event.provider, event.channel) ?? settings;
  // An opt-out or opt-in word is answered with its confirmation alone (domain/opt-out.ts).
  const request =
    event.type === 'text' ? optOutRequest(event.text, settings.optOut ?? DEFAULT_OPT_OUT) : null;
  // "START" or "اشتراك" from a customer who never opted out is an ordinary message.
  const optOut = request === 'in' && !customer.optedOut ? null : request;
  const botDecision = decideBotReplies(
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
      businessOpen: isOpenAt(channelSettings.businessHours, now, channelSettings.businessTimeZone),
    },
    channelSettings.bot,
  );
  // The bot's state stays as it was (no menu asked, no category), in the language it speaks.
  const decision: { ticket: BotDecision['ticket']; replies: ReturnType<typeof outboundContent>[] } = optOut
    ? {
        ticket: {
          menuPending: ticket.menuPending,
          menuAttempts: ticket.menuAttempts,
          language: botDecision.ticket.language,
        },
        replies: [
          {
            type: 'text',
            text: optOutConfirmation(optOut, botDecision.ticket.language === 'en' ? 'en' : 'ar'),
            raw: { kind: optOut === 'out' ? 'opt_out' : 'opt_in' },
          },
        ],
      }
    : csat
      ? csatDecision(channelSettings.bot, ticket, csat)
      : { ticket: botDecision.ticket, replies: botDecision.replies.map(outboundContent) };
  // An auto-reply answers a keyword before a human takes the ticket (not while the menu waits for
  // a choice, nor to an opt-out or a rating), after the welcome, before the menu.
  const autoReply =
    !optOut && !csat && ticket.assigneeId === null && !ticket.menuPending
      ? matchAutoReply(settings.autoReplies?.rules() ?? [], event.channel, event.text)
      : null;
  if (autoReply) {
    const at = decision.replies.findIndex((reply) => reply.raw.kind !== 'welcome');
    decision.replies.splice(at === -1 ? decision.replies.length : at, 0, {
      type: 'text',
      text: autoReply.reply[decision.ticket.language],
      raw: { kind: 'auto_reply', ruleId: autoReply.id },
    });
  }
  const events: MessagePlan['events'] = change ? [{ type: change, data: null }] : [];
  if (csat && !optOut) {
    events.push({ type: 'csat_answered', data: { score: csat.score, comment: csat.comment } });
  }
  if (decision.ticket.category)
    events.push({ type: 'classified', data: { category: decision.ticket.category, by: 'bot' } });
  // Distinct, ordered times keep the thread in sending order.
  const replies = decision.replies.map((reply, index) => ({
    id: randomUUID(),
    ...reply,
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
        replyTo: event.replyTo ?? event.quoted?.providerMessageId ?? null,
        quoted: quotedOf(event),
        contacts: event.contacts ?? null,
        location: event.location ?? null,
        details: event.details ?? null,
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
      optOut,
      csat: optOut ? null : csat,
    },
    nextFree: new Date(now.getTime() + replies.length + 1),
  };
}

/**
 * The bot's answer to a rating: thanks, and for a low one (≤ CSAT_LOW_SCORE) the follow-up, in the
 * ticket's language; the ticket's bot state stays as it was.
 */
function csatDecision(
  bot: BotSettings,
  ticket: TicketRow,
  csat: CsatRating,
): { ticket: BotDecision['ticket']; replies: ReturnType<typeof outboundContent>[] } {
  const language =
    ticket.language === 'ar' || ticket.language === 'en'
      ? ticket.language
      : bot.language === 'auto'
        ? 'ar'
        : bot.language;
  const replies: BotReply[] = [{ kind: 'csat_thanks', text: bot.texts.csatThanks[language] }];
  if (csat.score <= CSAT_LOW_SCORE) {
    replies.push({ kind: 'csat_low_follow_up', text: bot.texts.csatLowFollowUp[language] });
  }
  return {
    ticket: { menuPending: ticket.menuPending, menuAttempts: ticket.menuAttempts, language },
    replies: replies.map(outboundContent),
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

/**
 * The quoted message: as the provider described it, else (the Cloud API gives only `context.id`)
 * its id alone, the rest read from our copy when the thread is shown (store/tickets-read.ts).
 */
function quotedOf(event: InboundMessage): MessagePlan['inbound']['quoted'] {
  if (event.quoted) return event.quoted;
  if (!event.replyTo) return null;
  return { providerMessageId: event.replyTo, participant: null, fromMe: null, type: null, text: null };
}
