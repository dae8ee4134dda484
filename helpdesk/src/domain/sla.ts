/**
 * Response-time targets (SLA): which policy applies to a ticket, when its targets fall due
 * (counted in business hours when the policy says so), and how a ticket stands against the next
 * one. Pure: time zones come from Intl, nothing else is read.
 *
 * The most specific matching policy applies. A policy matches when each of its match fields is
 * null (any) or equal to the ticket's; its specificity is category 4 + channel 2 + team 1, so
 * category + channel > category + team > category > channel + team > channel > team > none.
 * store/sla-tickets.ts ranks the same way in SQL (`SLA_SPECIFICITY_SQL`).
 */
import { SLA_AT_RISK_SHARE, type SlaState, type SlaTargetKind } from '@whatsapp-helpdesk/contract/api';
import type { WeeklySchedule } from './business-hours';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** What a policy matches on (null: any). */
export interface SlaMatch {
  category: string | null;
  channelKey: string | null;
  teamId: string | null;
}

/** How specific a policy is: the higher, the earlier it is chosen (see the module comment). */
export function slaSpecificity(match: SlaMatch): number {
  return (
    (match.category !== null ? 4 : 0) + (match.channelKey !== null ? 2 : 0) + (match.teamId !== null ? 1 : 0)
  );
}

/**
 * The policy that applies to a ticket: the most specific one that matches, ties by name.
 * @param ticket the ticket's category, channel key and team (null: none).
 * @returns the policy, or null when none matches.
 */
export function chooseSlaPolicy<P extends SlaMatch & { name: string }>(
  policies: readonly P[],
  ticket: { category: string | null; channelKey: string; teamId: string | null },
): P | null {
  const matching = policies.filter(
    (policy) =>
      (policy.category === null || policy.category === ticket.category) &&
      (policy.channelKey === null || policy.channelKey === ticket.channelKey) &&
      (policy.teamId === null || policy.teamId === ticket.teamId),
  );
  matching.sort(
    (a, b) => slaSpecificity(b) - slaSpecificity(a) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  return matching[0] ?? null;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in ms (e.g. +2 h for Africa/Cairo in winter). */
function zoneOffsetMs(instant: number, timeZone: string): number {
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    offsetFormatters.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a local wall time names. A time skipped by a spring-forward change lands after the
 * gap; a repeated time (fall back) is its first occurrence.
 * @param localDay midnight of the local date as a UTC timestamp (Date.UTC(y, m, d)).
 * @param minute minutes after that midnight (may exceed 1440: the next day).
 */
function wallTimeToInstant(localDay: number, minute: number, timeZone: string): number {
  const wall = localDay + minute * MINUTE_MS;
  const first = wall - zoneOffsetMs(wall, timeZone);
  const second = wall - zoneOffsetMs(first, timeZone);
  if (first === second) return first;
  // Offsets differ around a change: prefer the reading whose wall time round-trips.
  if (second + zoneOffsetMs(second, timeZone) === wall) return Math.min(first, second);
  return Math.max(first, second);
}

/**
 * The instant `minutes` business minutes after `start`: the clock runs only inside the
 * schedule's open intervals, read in `timeZone` (so daylight-saving changes move the intervals,
 * not the count).
 * @param start when the clock starts (may be outside business hours: it waits for the opening).
 * @param minutes how many minutes to count; fractions allowed; 0 gives `start`, or the next
 *   opening when `start` is outside business hours.
 * @param schedule from parseBusinessHours; null, or no interval at all, counts every minute.
 * @param timeZone IANA name, e.g. Africa/Cairo.
 */
export function addBusinessMinutes(
  start: Date,
  minutes: number,
  schedule: WeeklySchedule | null,
  timeZone: string,
): Date {
  const startMs = start.getTime();
  if (!schedule || schedule.every((day) => day.length === 0)) return new Date(startMs + minutes * MINUTE_MS);
  let remaining = Math.max(0, minutes) * MINUTE_MS;
  const local = startMs + zoneOffsetMs(startMs, timeZone);
  // From the day before: an interval of yesterday may run past midnight.
  let day = Math.floor(local / DAY_MS) * DAY_MS - DAY_MS;
  let cursor = startMs;
  for (;;) {
    const weekday = new Date(day).getUTCDay();
    const ranges = [...schedule[weekday]!].sort((a, b) => a.start - b.start);
    for (const range of ranges) {
      const open = wallTimeToInstant(day, range.start, timeZone);
      const close = wallTimeToInstant(day, range.end, timeZone);
      const from = Math.max(open, cursor);
      if (close <= from) continue;
      if (remaining <= close - from) return new Date(from + remaining);
      remaining -= close - from;
      cursor = close;
    }
    day += DAY_MS;
  }
}

/** A policy's targets, minutes from the opening. */
export interface SlaTargets {
  firstResponseMinutes: number;
  resolutionMinutes: number;
  businessHours: boolean;
}

/** When a ticket's targets fall due and when 80 % of their time is used. */
export interface SlaDueTimes {
  firstResponseDueAt: Date;
  firstResponseAtRiskAt: Date;
  resolutionDueAt: Date;
  resolutionAtRiskAt: Date;
}

/**
 * The due times of a policy's targets for a ticket opened (or reopened) at `start`.
 * @param hours the ticket's channel's business hours and time zone (used when the policy counts
 *   business hours only).
 */
export function slaDueTimes(
  start: Date,
  targets: SlaTargets,
  hours: { schedule: WeeklySchedule | null; timeZone: string },
): SlaDueTimes {
  const schedule = targets.businessHours ? hours.schedule : null;
  const after = (minutes: number) => addBusinessMinutes(start, minutes, schedule, hours.timeZone);
  return {
    firstResponseDueAt: after(targets.firstResponseMinutes),
    firstResponseAtRiskAt: after(targets.firstResponseMinutes * SLA_AT_RISK_SHARE),
    resolutionDueAt: after(targets.resolutionMinutes),
    resolutionAtRiskAt: after(targets.resolutionMinutes * SLA_AT_RISK_SHARE),
  };
}

/** A ticket's SLA columns as stored. */
export interface TicketSlaColumns {
  status: string;
  firstResponseAt: Date | null;
  firstResponseDueAt: Date | null;
  firstResponseAtRiskAt: Date | null;
  firstResponseBreachedAt: Date | null;
  resolutionDueAt: Date | null;
  resolutionAtRiskAt: Date | null;
  resolutionBreachedAt: Date | null;
}

/** How a ticket stands against its next target. */
export interface TicketSlaView {
  kind: SlaTargetKind;
  dueAt: Date;
  state: SlaState;
}

/**
 * The next target that applies to a ticket: the first response until the first human reply, then
 * the resolution. breached once due (or once the breach was recorded), at_risk from 80 % of its
 * time, else ok.
 * @returns null for a resolved or closed ticket, or one without due times (no policy applies).
 */
export function ticketSla(ticket: TicketSlaColumns, now: Date): TicketSlaView | null {
  if (ticket.status !== 'open' && ticket.status !== 'pending') return null;
  const target: [SlaTargetKind, Date | null, Date | null, Date | null] =
    ticket.firstResponseAt === null && ticket.firstResponseDueAt !== null
      ? [
          'first_response',
          ticket.firstResponseDueAt,
          ticket.firstResponseAtRiskAt,
          ticket.firstResponseBreachedAt,
        ]
      : ['resolution', ticket.resolutionDueAt, ticket.resolutionAtRiskAt, ticket.resolutionBreachedAt];
  const [kind, dueAt, atRiskAt, breachedAt] = target;
  if (!dueAt) return null;
  const state: SlaState =
    breachedAt !== null || now >= dueAt
      ? 'breached'
      : atRiskAt !== null && now >= atRiskAt
        ? 'at_risk'
        : 'ok';
  return { kind, dueAt, state };
}
