/**
 * Time counted in business hours: how many seconds of a weekly schedule (business-hours.ts) lie
 * between two instants, read in the business's time zone so that daylight-saving changes move the
 * opening hours with the clocks (a day of 23 or 25 hours keeps its 09:00–17:00).
 */
import type { WeeklySchedule } from './business-hours';

interface CivilDate {
  year: number;
  month: number;
  day: number;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    partsFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock fields of an instant in a time zone. */
function wallClock(
  instant: number,
  timeZone: string,
): CivilDate & { hour: number; minute: number; second: number } {
  const parts: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** Milliseconds the zone's clock is ahead of UTC at an instant. */
function offsetAt(instant: number, timeZone: string): number {
  const clock = wallClock(instant, timeZone);
  const asUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time happens in a zone. A time repeated by a fall-back change is its
 * first occurrence; a time skipped by a spring-forward change is moved forward by the gap (02:30
 * on a day that jumps 02:00 → 03:00 is 03:30), as RFC 5545 and Temporal's "compatible" do.
 * @param minutes minutes since the civil date's midnight (may exceed 1440: the next day).
 */
function instantOf(date: CivilDate, minutes: number, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minutes * 60_000;
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  if (second === first) return first;
  // Two offsets disagree: either an ambiguous hour (take the earlier instant that shows this
  // wall time) or a gap (no instant shows it: the later guess, read with the offset before the jump).
  const candidates = [first, second].filter((instant) => instant + offsetAt(instant, timeZone) === wall);
  return candidates.length ? Math.min(...candidates) : Math.max(first, second);
}

function addDays(date: CivilDate, days: number): CivilDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

const dayCache = new WeakMap<WeeklySchedule, Map<string, Array<[number, number]>>>();

/** The open intervals (UTC milliseconds) of the schedule that start on one civil date. */
function openIntervalsOf(
  date: CivilDate,
  schedule: WeeklySchedule,
  timeZone: string,
): Array<[number, number]> {
  let cache = dayCache.get(schedule);
  if (!cache) {
    cache = new Map();
    dayCache.set(schedule, cache);
  }
  const key = `${timeZone}|${date.year}-${date.month}-${date.day}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  const intervals = (schedule[weekday] ?? []).map((range): [number, number] => [
    instantOf(date, range.start, timeZone),
    instantOf(date, range.end, timeZone),
  ]);
  if (cache.size > 5000) cache.clear();
  cache.set(key, intervals);
  return intervals;
}

/**
 * Seconds between two instants that fall inside business hours.
 * @param from the start instant; to the end instant (before `from` gives 0).
 * @param schedule from `parseBusinessHours`; null (always open) counts wall-clock seconds.
 * @param timeZone IANA name the schedule is read in, e.g. Africa/Cairo.
 * @returns seconds (a whole number when the instants are whole seconds), overlapping parts of the
 *   schedule counted once.
 */
export function businessSecondsBetween(
  from: Date,
  to: Date,
  schedule: WeeklySchedule | null,
  timeZone: string,
): number {
  const start = from.getTime();
  const end = to.getTime();
  if (!(end > start)) return 0;
  if (!schedule) return (end - start) / 1000;
  // Intervals that may reach into [start, end): those of the local day before `from` (past
  // midnight) through the local day of `to`.
  const first = addDays(wallClock(start, timeZone), -1);
  const last = wallClock(end, timeZone);
  const lastKey = Date.UTC(last.year, last.month - 1, last.day);
  const clipped: Array<[number, number]> = [];
  for (let date = first; Date.UTC(date.year, date.month - 1, date.day) <= lastKey; date = addDays(date, 1)) {
    for (const [open, close] of openIntervalsOf(date, schedule, timeZone)) {
      const low = Math.max(open, start);
      const high = Math.min(close, end);
      if (high > low) clipped.push([low, high]);
    }
  }
  clipped.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let reach = -Infinity;
  for (const [low, high] of clipped) {
    if (high <= reach) continue;
    total += high - Math.max(low, reach);
    reach = high;
  }
  return total / 1000;
}
