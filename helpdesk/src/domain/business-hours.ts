/**
 * Business hours: a weekly schedule such as `sat-thu 09:00-23:00, fri 14:00-23:00` in the
 * business's time zone. An empty schedule means always open.
 */

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Minutes since midnight, open intervals per weekday (0 = Sunday). End may exceed 1440 (past midnight). */
export type WeeklySchedule = Array<Array<{ start: number; end: number }>>;

function parseTime(text: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) throw new Error(`has a bad time "${text}": use HH:MM`);
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 24 || minutes > 59 || (hours === 24 && minutes > 0))
    throw new Error(`has a bad time "${text}"`);
  return hours * 60 + minutes;
}

function parseDays(text: string): number[] {
  const names = text.split('-');
  if (names.length > 2) throw new Error(`has a bad day range "${text}": use one day or two joined by "-"`);
  const [from, to = from] = names;
  const start = DAYS.indexOf(from as (typeof DAYS)[number]);
  const end = DAYS.indexOf(to as (typeof DAYS)[number]);
  if (start < 0 || end < 0)
    throw new Error(`has a bad day range "${text}": use sun, mon, tue, wed, thu, fri, sat`);
  const days: number[] = [];
  for (let day = start; ; day = (day + 1) % 7) {
    days.push(day);
    if (day === end) break;
  }
  return days;
}

/**
 * Parses a schedule string.
 * @param text comma-separated `DAYS HH:MM-HH:MM` parts; days a name or a wrapping range (`sat-thu`).
 *   An end at or before the start runs past midnight.
 * @returns the schedule, or null for an empty string (always open).
 * @throws Error naming the part that could not be read.
 */
export function parseBusinessHours(text: string): WeeklySchedule | null {
  if (!text.trim()) return null;
  const schedule: WeeklySchedule = DAYS.map(() => []);
  for (const part of text.toLowerCase().split(',')) {
    const match = /^\s*([a-z-]+)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$/.exec(part);
    if (!match) throw new Error(`has a part "${part.trim()}" that is not "DAYS HH:MM-HH:MM"`);
    const start = parseTime(match[2]!);
    let end = parseTime(match[3]!);
    if (end <= start) end += 24 * 60;
    for (const day of parseDays(match[1]!)) schedule[day]!.push({ start, end });
  }
  return schedule;
}

const formatterCache = new Map<string, Intl.DateTimeFormat>();

function localWeekdayAndMinute(instant: Date, timeZone: string): { day: number; minute: number } {
  let formatter = formatterCache.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatterCache.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(instant).map((part) => [part.type, part.value]));
  const day = DAYS.indexOf(String(parts.weekday).toLowerCase().slice(0, 3) as (typeof DAYS)[number]);
  return { day, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

/**
 * Whether the business is open at an instant.
 * @param schedule from `parseBusinessHours`; null is always open.
 * @param instant the moment to test.
 * @param timeZone IANA name, e.g. Africa/Cairo.
 */
export function isOpenAt(schedule: WeeklySchedule | null, instant: Date, timeZone: string): boolean {
  if (!schedule) return true;
  const { day, minute } = localWeekdayAndMinute(instant, timeZone);
  if (schedule[day]!.some((range) => minute >= range.start && minute < range.end)) return true;
  // An interval of yesterday that runs past midnight.
  const yesterday = schedule[(day + 6) % 7]!;
  return yesterday.some((range) => range.end > 1440 && minute + 1440 < range.end);
}

/** Whether a name is an IANA time zone (the contract's check, shared with the channels API). */
export { isTimeZone } from '@whatsapp-helpdesk/contract/api';
