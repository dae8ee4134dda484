/**
 * The bot's rules (SPEC section 5, step 6): welcome and menu for a new customer or a new ticket
 * after a long silence, classification by menu choice, a bounded number of repeated menus, and
 * the after-hours reply. Pure: it reads the situation and returns what to send and what to change.
 */
import { readMenuChoice } from './menu-choice';
import { buildMenu, type Menu } from './menu';
import { menuOptionIds, type BotTexts, type Language } from './bot-texts';

export interface BotSituation {
  /** The customer was created by this message. */
  isNewCustomer: boolean;
  /** This message opened a new ticket (not a reuse, not a reopen). */
  isNewTicket: boolean;
  /** The customer's previous inbound message, before this one; null if none. */
  previousInboundAt: Date | null;
  ticket: {
    category: string | null;
    menuPending: boolean;
    menuAttempts: number;
    afterHoursSentAt: Date | null;
    /** The language of earlier replies on this ticket, if any. */
    language: Language | null;
  };
  message: { text?: string | null; menuChoice?: string | null };
  now: Date;
  businessOpen: boolean;
}

export interface BotSettings {
  texts: BotTexts;
  /** `auto` answers in Arabic when the customer writes Arabic script, English otherwise. */
  language: Language | 'auto';
  menuMaxAttempts: number;
  welcomeAfterSilenceMs: number;
  /**
   * Ask for a satisfaction rating (CSAT) when an agent resolves a ticket: CSAT_ENABLED, or the
   * channel's `overrides.csat`. Absent: asked.
   */
  csat?: boolean;
}

export type BotReply =
  | {
      kind: 'welcome' | 'confirmation' | 'after_hours' | 'csat_thanks' | 'csat_low_follow_up';
      text: string;
    }
  | { kind: 'menu'; menu: Menu };

export interface BotDecision {
  replies: BotReply[];
  ticket: {
    category?: string;
    menuPending: boolean;
    menuAttempts: number;
    afterHoursSentAt?: Date;
    language: Language;
  };
}

/** An after-hours reply is sent at most once in this period per ticket. */
const AFTER_HOURS_REPEAT_MS = 12 * 3_600_000;

/** Arabic script answers in Arabic, Latin letters in English; digits alone keep the ticket's language. */
function chooseLanguage(
  setting: BotSettings['language'],
  text: string | null | undefined,
  previous: Language | null,
): Language {
  if (setting !== 'auto') return setting;
  if (text && /[\u0600-\u06ff]/.test(text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, ''))) return 'ar';
  if (text && /[A-Za-z]/.test(text)) return 'en';
  return previous ?? 'ar';
}

/**
 * Decides the bot's replies to one inbound message.
 * @returns replies in sending order, and the ticket's new bot state (category when chosen).
 */
export function decideBotReplies(situation: BotSituation, settings: BotSettings): BotDecision {
  const { texts } = settings;
  const language = chooseLanguage(settings.language, situation.message.text, situation.ticket.language);
  const replies: BotReply[] = [];
  const ticket: BotDecision['ticket'] = {
    menuPending: situation.ticket.menuPending,
    menuAttempts: situation.ticket.menuAttempts,
    language,
  };

  const longSilence =
    situation.previousInboundAt !== null &&
    situation.now.getTime() - situation.previousInboundAt.getTime() >= settings.welcomeAfterSilenceMs;
  const greet = situation.isNewCustomer || (situation.isNewTicket && longSilence);

  if (greet || (situation.isNewTicket && situation.ticket.category === null)) {
    // A new conversation needs a category: offer the menu (with the welcome when due).
    if (greet) replies.push({ kind: 'welcome', text: texts.welcome[language] });
    replies.push({ kind: 'menu', menu: buildMenu(texts, language) });
    ticket.menuPending = true;
    ticket.menuAttempts = 0;
  } else if (situation.ticket.menuPending) {
    const choice = readMenuChoice(menuOptionIds(texts), situation.message);
    if (choice) {
      const option = texts.menu.find((entry) => entry.id === choice)!;
      ticket.category = choice;
      ticket.menuPending = false;
      replies.push({
        kind: 'confirmation',
        text: texts.confirmation[language].replace('{option}', () => option.title[language]),
      });
    } else {
      ticket.menuAttempts = situation.ticket.menuAttempts + 1;
      if (ticket.menuAttempts < settings.menuMaxAttempts) {
        replies.push({ kind: 'menu', menu: buildMenu(texts, language, texts.invalidChoice[language]) });
      } else {
        // Stop asking: the customer wants a person, and an agent will classify the ticket.
        ticket.menuPending = false;
      }
    }
  }

  if (!situation.businessOpen) {
    const last = situation.ticket.afterHoursSentAt;
    if (!last || situation.now.getTime() - last.getTime() >= AFTER_HOURS_REPEAT_MS) {
      replies.push({ kind: 'after_hours', text: texts.afterHours[language] });
      ticket.afterHoursSentAt = situation.now;
    }
  }
  return { replies, ticket };
}
