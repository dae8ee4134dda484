/**
 * The satisfaction survey (CSAT, issue 16): when an agent resolves a ticket the customer is asked
 * to rate the help from 1 (poor) to 5 (excellent), once per ticket; the answer is read from the
 * customer's next message within 24 hours. Pure: no I/O.
 */
import type { BotTexts, Language } from './bot-texts';
import { checkFreeFormReply } from './customer-service-window';
import type { Menu } from './menu';
import { toAsciiDigits } from './menu-choice';

/** The rating list's row ids (Cloud API interactive list), rating 1 to 5 in order. */
export const CSAT_OPTION_IDS = ['csat_1', 'csat_2', 'csat_3', 'csat_4', 'csat_5'] as const;

/** How long after the question a rating is still taken: 24 hours, in milliseconds. */
export const CSAT_ANSWER_WINDOW_MS = 24 * 3_600_000;

/** A rating at or below this is low: team leads (admins) are told (`csat.low`). */
export const CSAT_LOW_SCORE = 2;

/** Longest comment kept, in characters (the rest is cut). */
const COMMENT_MAX_CHARS = 1000;

export interface CsatRating {
  /** 1 (poor) to 5 (excellent). */
  score: number;
  /** The words after the rating, or null. */
  comment: string | null;
}

/** Stars, and the words for them, that may follow or stand for the number. */
const STARS = /^(?:[⭐★☆🌟*]|\uFE0F|stars?|نجوم|نجمات|نجمة|نجمه|من\s*5|\/\s*5|out\s+of\s+5)/iu;

/**
 * Reads a rating from the customer's message.
 * @param reply `menuChoice` (the rating list's row id, `csat_1`…`csat_5`) or `text`: a number 1–5
 *   in ASCII, Arabic-Indic or Persian digits ("4", "٤", "۴"), optionally followed by stars or
 *   punctuation and a comment ("4 ⭐ good service" → 4, "good service"); or one to five stars alone.
 * @returns the score and comment, or null when the message is not a rating (e.g. "45", "thanks",
 *   "0", "6").
 */
export function readCsatRating(reply: {
  menuChoice?: string | null;
  text?: string | null;
}): CsatRating | null {
  if (reply.menuChoice) {
    const index = (CSAT_OPTION_IDS as readonly string[]).indexOf(reply.menuChoice);
    if (index >= 0) return { score: index + 1, comment: null };
  }
  const text = toAsciiDigits(reply.text ?? '').trim();
  if (!text) return null;
  const starsOnly = /^(?:[⭐★🌟]\uFE0F?\s*){1,5}$/u.exec(text);
  if (starsOnly) return { score: [...text.replace(/[\s\uFE0F]/g, '')].length, comment: null };
  const match = /^([1-5])(?![\d.,٫]\d)(?!\d)/u.exec(text);
  if (!match) return null;
  let rest = text.slice(match[0].length);
  // Strip the stars, "/5" and punctuation between the number and the comment.
  for (;;) {
    const trimmed = rest.replace(/^[\s.):\-–—,،؛;!]+/u, '');
    const star = STARS.exec(trimmed);
    if (star) {
      rest = trimmed.slice(star[0].length);
      continue;
    }
    rest = trimmed;
    break;
  }
  const comment = rest.trim().slice(0, COMMENT_MAX_CHARS);
  return { score: Number(match[1]), comment: comment || null };
}

/** The rating question as a list (Cloud API) or numbered text (WPPConnect): domain/menu.ts. */
export function buildCsatSurvey(texts: BotTexts, language: Language): Menu {
  return {
    body: texts.csatQuestion[language],
    buttonText: texts.csatButton[language],
    options: CSAT_OPTION_IDS.map((id, index) => ({ id, title: texts.csatOptions[index]![language] })),
  };
}

/** Why a resolved ticket's customer is not asked for a rating. */
export type CsatSkipReason =
  'disabled' | 'already_requested' | 'not_resolved' | 'outside_customer_service_window';

/**
 * Whether to ask for a rating now that the ticket is resolved.
 * @param input.enabled CSAT_ENABLED or the channel's `overrides.csat`.
 * @param input.provider `cloud` has the 24-hour customer-service window (customer-service-window.ts):
 *   outside it only a template may be sent, so the question is skipped.
 * @param input.lastInboundAt the customer's last message on the ticket, or null.
 * @returns ask, or skip with the reason (recorded on the ticket).
 */
export function decideCsatRequest(input: {
  enabled: boolean;
  status: string;
  csatRequestedAt: Date | null;
  provider: string;
  lastInboundAt: Date | null;
  now: Date;
}): { ask: true } | { ask: false; reason: CsatSkipReason } {
  if (!input.enabled) return { ask: false, reason: 'disabled' };
  if (input.status !== 'resolved') return { ask: false, reason: 'not_resolved' };
  if (input.csatRequestedAt) return { ask: false, reason: 'already_requested' };
  const window = checkFreeFormReply(input);
  if (!window.allowed) return { ask: false, reason: 'outside_customer_service_window' };
  return { ask: true };
}

/**
 * Whether a customer's message may answer the ticket's rating question: the ticket is resolved,
 * was asked, has no answer yet, and the question is at most 24 hours old.
 */
export function awaitsCsatAnswer(
  ticket: {
    status: string;
    csatRequestedAt: Date | null;
    csatAnsweredAt: Date | null;
  },
  now: Date,
): boolean {
  return (
    ticket.status === 'resolved' &&
    ticket.csatRequestedAt !== null &&
    ticket.csatAnsweredAt === null &&
    now.getTime() - ticket.csatRequestedAt.getTime() <= CSAT_ANSWER_WINDOW_MS
  );
}
