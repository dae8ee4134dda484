/**
 * The snooze picker's choices as moments in the agent's own time zone (the browser's): later today
 * (three hours on, at the top of the hour), tomorrow at 9:00, and next week (seven days on, 9:00).
 * Pure: `now` is passed in.
 */

/** Hours "later today" adds before rounding up to the hour. */
export const LATER_TODAY_HOURS = 3;
/** The hour of day the "tomorrow" and "next week" choices use (local time). */
export const MORNING_HOUR = 9;

export type SnoozeChoice = 'laterToday' | 'tomorrow' | 'nextWeek';
export const SNOOZE_CHOICES: readonly SnoozeChoice[] = ['laterToday', 'tomorrow', 'nextWeek'];

/** When `choice` ends the snooze, counted from `now`. */
export function snoozeTime(choice: SnoozeChoice, now: Date): Date {
  const at = new Date(now);
  if (choice === 'laterToday') {
    at.setHours(at.getHours() + LATER_TODAY_HOURS + (at.getMinutes() || at.getSeconds() ? 1 : 0), 0, 0, 0);
    return at;
  }
  at.setDate(at.getDate() + (choice === 'tomorrow' ? 1 : 7));
  at.setHours(MORNING_HOUR, 0, 0, 0);
  return at;
}

/** A Date as the value of an `<input type="datetime-local">` (local time, minutes). */
export function toLocalInputValue(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * An `<input type="datetime-local">` value (local time) as an ISO instant; null when empty or not
 * a date. Arabic-Indic digits typed or pasted are read as their Latin equivalents.
 */
export function fromLocalInputValue(value: string): string | null {
  const latin = value.replace(/[\u0660-\u0669]/g, (digit) => String(digit.charCodeAt(0) - 0x0660));
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(latin)) return null;
  const date = new Date(latin);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
