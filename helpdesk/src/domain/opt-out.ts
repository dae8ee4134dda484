/**
 * Opt-out and opt-in words (issue 17, "Broadcasts"): a customer message that is exactly one of the
 * opt-out words (OPT_OUT_WORDS, default `STOP,إلغاء,الغاء,الغاء الاشتراك`) marks the customer opted
 * out of reminders and broadcasts; exactly one of the opt-in words (OPT_IN_WORDS, default
 * `START,اشتراك`) clears it. Words and messages are compared folded alike: Arabic normalisation
 * (contract/src/normalise/search-text.ts: alef forms, taa marbuta, harakat, tatweel), case-folding,
 * surrounding whitespace and punctuation ignored, inner whitespace collapsed. Pure: no I/O.
 */
import { normaliseSearchText } from '@whatsapp-helpdesk/contract/normalise';

export const DEFAULT_OPT_OUT_WORDS = 'STOP,إلغاء,الغاء,الغاء الاشتراك';
export const DEFAULT_OPT_IN_WORDS = 'START,اشتراك';

/** The words, folded (see `foldOptWord`). */
export interface OptOutWords {
  out: ReadonlySet<string>;
  in: ReadonlySet<string>;
}

/** Longest message looked at: an opt-out word is short. */
const LONGEST_WORD = 60;

/** A word or message as compared: normalised, case-folded, trimmed of whitespace and punctuation. */
export function foldOptWord(text: string): string {
  return normaliseSearchText(text.normalize('NFC'))
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '')
    .replace(/\s+/g, ' ');
}

/**
 * The opt-out and opt-in words from their comma-separated settings.
 * @param outWords e.g. OPT_OUT_WORDS; empty entries are ignored.
 */
export function parseOptOutWords(
  outWords: string = DEFAULT_OPT_OUT_WORDS,
  inWords: string = DEFAULT_OPT_IN_WORDS,
): OptOutWords {
  const parse = (list: string) =>
    new Set(
      list
        .split(',')
        .map(foldOptWord)
        .filter((word) => word.length > 0),
    );
  return { out: parse(outWords), in: parse(inWords) };
}

/** The default words (OPT_OUT_WORDS and OPT_IN_WORDS unset). */
export const DEFAULT_OPT_OUT = parseOptOutWords();

/**
 * What a customer's message asks: `out` (opt out), `in` (opt in again) or null (neither: any other
 * message, or a message merely containing a word).
 */
export function optOutRequest(text: string | null | undefined, words: OptOutWords): 'out' | 'in' | null {
  if (!text || text.length > LONGEST_WORD) return null;
  const folded = foldOptWord(text);
  if (words.out.has(folded)) return 'out';
  if (words.in.has(folded)) return 'in';
  return null;
}

/** The bot's confirmation of an opt-out or opt-in, in the customer's language (Arabic by default). */
export function optOutConfirmation(change: 'out' | 'in', language: 'ar' | 'en' | null): string {
  const texts = {
    out: {
      ar: 'تم إلغاء اشتراكك: لن تصلك منا تذكيرات ولا رسائل جماعية بعد الآن. للاشتراك مرة أخرى أرسل "اشتراك". ما زال بإمكانك مراسلتنا في أي وقت.',
      en: 'You are unsubscribed: you will no longer receive reminders or broadcast messages from us. Send START to subscribe again. You can still write to us at any time.',
    },
    in: {
      ar: 'تم تفعيل اشتراكك مرة أخرى: ستصلك تذكيراتنا ورسائلنا. لإلغاء الاشتراك أرسل "إلغاء".',
      en: 'You are subscribed again: you will receive our reminders and messages. Send STOP to unsubscribe.',
    },
  } as const;
  return texts[change][language === 'en' ? 'en' : 'ar'];
}
