/**
 * Numbers and durations of the inbox in the console's language: Intl gives Arabic-Indic digits and
 * Arabic unit words in Arabic ("٥ د", "٣ س", "يومان"), and "5 mins" in English.
 */

/** The console's languages (i18n.ts's Language; spelled out so this file needs no DOM types). */
type Language = 'ar' | 'en';

const LOCALE: Record<Language, string> = { ar: 'ar-EG', en: 'en-GB' };

const counts = new Map<Language, Intl.NumberFormat>();
const units = new Map<string, Intl.NumberFormat>();

/** A count such as an unread badge, in the language's digits. */
export function formatCount(value: number, language: Language): string {
  let format = counts.get(language);
  if (!format) {
    format = new Intl.NumberFormat(LOCALE[language]);
    counts.set(language, format);
  }
  return format.format(value);
}

function unit(language: Language, name: 'minute' | 'hour' | 'day'): Intl.NumberFormat {
  const key = `${language}:${name}`;
  let format = units.get(key);
  if (!format) {
    format = new Intl.NumberFormat(LOCALE[language], { style: 'unit', unit: name, unitDisplay: 'short' });
    units.set(key, format);
  }
  return format;
}

/**
 * How long since `sinceIso`: minutes under an hour, hours under two days, then days (rounded
 * down). @returns null under a minute (the caller says "under a minute").
 */
export function formatWaited(sinceIso: string, nowMs: number, language: Language): string | null {
  const minutes = Math.floor((nowMs - Date.parse(sinceIso)) / 60_000);
  if (!Number.isFinite(minutes) || minutes < 1) return null;
  if (minutes < 60) return unit(language, 'minute').format(minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return unit(language, 'hour').format(hours);
  return unit(language, 'day').format(Math.floor(hours / 24));
}

/** Black or white text, whichever reads better on the `#rrggbb` background (WCAG luminance). */
export function textColorOn(background: string): '#000000' | '#ffffff' {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(background);
  if (!match) return '#000000';
  const [r, g, b] = [match[1], match[2], match[3]].map((hex) => {
    const channel = parseInt(hex!, 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  // Contrast with white is (1.05)/(L+0.05), with black (L+0.05)/0.05: pick the larger.
  return (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) ? '#000000' : '#ffffff';
}
