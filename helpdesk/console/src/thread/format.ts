/**
 * Numbers, durations and dates of the thread in the console's language: Arabic-Indic digits in
 * Arabic (ar-EG), Latin digits in English. Phone numbers are not formatted here: they stay as sent,
 * left to right, so they can be copied and dialled.
 */
import type { Language } from '../i18n';

const LOCALE: Record<Language, string> = { ar: 'ar-EG', en: 'en-GB' };

/** A whole or decimal number, without grouping (ticket numbers, speeds). */
export function formatNumber(language: Language, value: number): string {
  return new Intl.NumberFormat(LOCALE[language], { useGrouping: false, maximumFractionDigits: 2 }).format(
    value,
  );
}

/** A duration in seconds as m:ss (h:mm:ss past an hour); null when unknown or not finite. */
export function formatDuration(language: Language, seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  const whole = Math.round(seconds);
  const two = new Intl.NumberFormat(LOCALE[language], { minimumIntegerDigits: 2, useGrouping: false });
  const one = new Intl.NumberFormat(LOCALE[language], { useGrouping: false });
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = two.format(whole % 60);
  return hours > 0 ? `${one.format(hours)}:${two.format(minutes)}:${rest}` : `${one.format(minutes)}:${rest}`;
}

/** A moment with the weekday, for "snoozed until …". */
export function formatMoment(language: Language, iso: string): string {
  return new Intl.DateTimeFormat(LOCALE[language], {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** A file size in KB or MB, one decimal at most. @param bytes size in bytes. */
export function formatSize(language: Language, bytes: number): string {
  const megabytes = bytes / (1024 * 1024);
  const unit = language === 'ar' ? (megabytes >= 1 ? 'م.ب' : 'ك.ب') : megabytes >= 1 ? 'MB' : 'KB';
  const value = megabytes >= 1 ? megabytes : Math.max(1, Math.ceil(bytes / 1024));
  return `${new Intl.NumberFormat(LOCALE[language], { maximumFractionDigits: 1 }).format(value)} ${unit}`;
}

/** A latitude or longitude with up to 6 decimals (about 10 cm) in the language's digits. */
export function formatCoordinate(language: Language, value: number): string {
  return new Intl.NumberFormat(LOCALE[language], { useGrouping: false, maximumFractionDigits: 6 }).format(
    value,
  );
}
