/**
 * Tickets' response-time targets, as the scheduled job sla-check keeps them (plain SQL over active
 * tickets, off the inbound hot path): which active tickets need their due times (re)computed, the
 * guarded write of those due times, and the recording of breaches with their ticket events.
 *
 * A ticket's clock starts at its latest opening: opened_at, or its last `reopened` event (a customer
 * wrote) or status change from resolved or closed back to open or pending (an agent). Its
 * team is its own (a transfer to a team), else the first team (by name) whose categories hold its
 * category, else its channel's team: the order assignment uses.
 */
import type { TicketEventType, TicketStatus } from '@whatsapp-helpdesk/contract/api';
import type pg from 'pg';
import type { TicketSlaColumns } from '../domain/sla';
import { rows, transaction, type Queryable } from './sql';
import { insertTicketEvents } from './ticket-events';

/** The policy's specificity in SQL: category 4, channel 2, team 1 (domain/sla.ts `slaSpecificity`). */
const SLA_SPECIFICITY_SQL = `(CASE WHEN p.category IS NULL THEN 0 ELSE 4 END
  + CASE WHEN p.channel_key IS NULL THEN 0 ELSE 2 END
  + CASE WHEN p.team_id IS NULL THEN 0 ELSE 1 END)`;

/** An active ticket whose due times are missing or out of date, with the policy that applies now. */
export interface TicketNeedingSla {
  id: string;
  provider: string;
  channel: string;
  /** The latest opening: when the clocks start. */
  startedAt: Date;
  /** What the stored due times were computed from (the write is guarded by them). */
  storedPolicyId: string | null;
  storedStartedAt: Date | null;
  /** The policy that applies now, or null (the due times are then cleared). */
  policy: {
    id: string;
    firstResponseMinutes: number;
    resolutionMinutes: number;
    businessHours: boolean;
  } | null;
}

/**
 * The events that may change which policy applies to a ticket or when its clocks start: it
 * opened, reopened (a customer wrote, or an agent changed its status), its category was set (the
 * bot's menu or an agent) or it was transferred to a team.
 */
const SLA_CHANGE_EVENTS = [
  'opened',
  'reopened',
  'classified',
  'status_changed',
  'team_transferred',
] as const satisfies readonly TicketEventType[];

/**
 * Active (open or pending) tickets whose due times must be computed: none yet while a policy
 * applies, another policy applies now (a category, team or policy changed), the ticket reopened
 * since, or no policy applies any more while due times remain.
 * @param limit at most this many (the next run takes the rest).
 * @param options.changedSince only the tickets with an event of `SLA_CHANGE_EVENTS` since then (a
 *   range of the ticket_events (created_at) index: what changed lately, not every active ticket).
 */
export async function findTicketsNeedingSla(
  db: Queryable,
  limit: number,
  options: { changedSince?: Date } = {},
): Promise<TicketNeedingSla[]> {
  // Without OR: as a plain IN the candidates become a semi-join (index range, then the tickets by
  // id), where `$2 IS NULL OR …` left a hashed subplan filtering a scan of every ticket.
  const changed = options.changedSince
    ? `AND t.id IN (SELECT changed.ticket_id FROM ticket_events changed
                     WHERE changed.created_at >= $2 AND changed.type = ANY($3::text[]))`
    : '';
  const found = await rows<{
    id: string;
    provider: string;
    channel: string;
    startedAt: Date;
    storedPolicyId: string | null;
    storedStartedAt: Date | null;
    policyId: string | null;
    firstResponseMinutes: number | null;
    resolutionMinutes: number | null;
    businessHours: boolean | null;
  }>(
    db,
    `WITH active AS (
       SELECT t.id, t.provider, t.channel, t.category, t.sla_policy_id, t.sla_started_at,
              t.first_response_due_at, t.resolution_due_at,
              COALESCE(t.team_id,
                       (SELECT tm.id FROM teams tm
                         WHERE t.category IS NOT NULL AND t.category = ANY(tm.categories)
                         ORDER BY tm.name LIMIT 1),
                       c.team_id) AS team_id,
              GREATEST(t.opened_at,
                       (SELECT max(e.created_at) FROM ticket_events e
                         WHERE e.ticket_id = t.id
                           AND (e.type = 'reopened'
                                OR (e.type = 'status_changed'
                                    AND e.data->>'from' IN ('resolved', 'closed')
                                    AND e.data->>'to' IN ('open', 'pending'))))) AS started_at
         FROM tickets t
         LEFT JOIN channels c ON c.provider = t.provider AND c.key = t.channel
        WHERE t.status IN ('open', 'pending') ${changed}
     )
     SELECT a.id, a.provider, a.channel, a.started_at AS "startedAt",
            a.sla_policy_id AS "storedPolicyId", a.sla_started_at AS "storedStartedAt",
            p.id AS "policyId", p.first_response_minutes AS "firstResponseMinutes",
            p.resolution_minutes AS "resolutionMinutes", p.business_hours AS "businessHours"
       FROM active a
       LEFT JOIN LATERAL (
         SELECT p.* FROM sla_policies p
          WHERE (p.category IS NULL OR p.category = a.category)
            AND (p.channel_key IS NULL OR p.channel_key = a.channel)
            AND (p.team_id IS NULL OR p.team_id = a.team_id)
          ORDER BY ${SLA_SPECIFICITY_SQL} DESC, p.name
          LIMIT 1
       ) p ON true
      WHERE p.id IS DISTINCT FROM a.sla_policy_id
         OR (p.id IS NOT NULL AND a.sla_started_at IS DISTINCT FROM a.started_at)
         OR (p.id IS NULL AND (a.first_response_due_at IS NOT NULL OR a.resolution_due_at IS NOT NULL))
      LIMIT $1`,
    options.changedSince ? [limit, options.changedSince, SLA_CHANGE_EVENTS] : [limit],
  );
  return found.map((ticket) => ({
    id: ticket.id,
    provider: ticket.provider,
    channel: ticket.channel,
    startedAt: ticket.startedAt,
    storedPolicyId: ticket.storedPolicyId,
    storedStartedAt: ticket.storedStartedAt,
    policy:
      ticket.policyId === null
        ? null
        : {
            id: ticket.policyId,
            firstResponseMinutes: ticket.firstResponseMinutes!,
            resolutionMinutes: ticket.resolutionMinutes!,
            businessHours: ticket.businessHours!,
          },
  }));
}

/**
 * Hands the active tickets whose policy counts business hours back to the timing (their channel's
 * hours or time zone changed, or the deployment's, which channels without their own use): clears
 * their sla_policy_id, so the next run finds them as needing due times (`findTicketsNeedingSla`)
 * and writes them from the hours that apply now. Their due times and recorded breaches stay until then.
 * @param channel the channel's provider and key (session name or phone number id); without it,
 *   every channel's.
 * @returns how many tickets were handed back.
 */
export async function releaseBusinessHoursTickets(
  db: Queryable,
  channel?: { provider: string; key: string },
): Promise<number> {
  const released = await rows<{ id: string }>(
    db,
    `UPDATE tickets t SET sla_policy_id = NULL
       FROM sla_policies p
      WHERE p.id = t.sla_policy_id AND p.business_hours AND t.status IN ('open', 'pending')
        ${channel ? 'AND t.provider = $1 AND t.channel = $2' : ''}
      RETURNING t.id`,
    channel ? [channel.provider, channel.key] : [],
  );
  return released.length;
}

/** The due times to write on a ticket (all null: no policy applies). */
export interface TicketSlaWrite {
  ticketId: string;
  /** Guards: the write applies only while the ticket still has these (else the next run redoes it). */
  storedPolicyId: string | null;
  storedStartedAt: Date | null;
  policyId: string | null;
  startedAt: Date | null;
  firstResponseDueAt: Date | null;
  firstResponseAtRiskAt: Date | null;
  resolutionDueAt: Date | null;
  resolutionAtRiskAt: Date | null;
}

/** A ticket as its due times were written: what its consoles are told (domain/sla.ts `ticketSla`). */
export interface TimedTicket extends Omit<TicketSlaColumns, 'status'> {
  ticketId: string;
  ticketNumber: number;
  assigneeId: string | null;
  status: TicketStatus;
}

/**
 * Writes due times in one statement, each guarded by what it was computed from; a ticket whose
 * clock restarted (reopened) loses its recorded breaches, which belonged to the earlier opening.
 * @returns the tickets written, as they are now.
 */
export async function writeTicketSla(
  db: Queryable,
  writes: readonly TicketSlaWrite[],
): Promise<TimedTicket[]> {
  if (writes.length === 0) return [];
  const column = <K extends keyof TicketSlaWrite>(key: K) => writes.map((write) => write[key]);
  return rows<TimedTicket>(
    db,
    `UPDATE tickets t
        SET sla_policy_id = w.policy_id,
            sla_started_at = w.started_at,
            first_response_due_at = w.first_response_due_at,
            first_response_at_risk_at = w.first_response_at_risk_at,
            resolution_due_at = w.resolution_due_at,
            resolution_at_risk_at = w.resolution_at_risk_at,
            first_response_breached_at = CASE WHEN w.started_at IS DISTINCT FROM t.sla_started_at
                                              AND t.sla_started_at IS NOT NULL
                                              THEN NULL ELSE t.first_response_breached_at END,
            resolution_breached_at = CASE WHEN w.started_at IS DISTINCT FROM t.sla_started_at
                                          AND t.sla_started_at IS NOT NULL
                                          THEN NULL ELSE t.resolution_breached_at END
       FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::uuid[], $5::timestamptz[],
                   $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], $9::timestamptz[])
            AS w(ticket_id, stored_policy_id, stored_started_at, policy_id, started_at,
                 first_response_due_at, first_response_at_risk_at, resolution_due_at, resolution_at_risk_at)
      WHERE t.id = w.ticket_id
        AND t.sla_policy_id IS NOT DISTINCT FROM w.stored_policy_id
        AND t.sla_started_at IS NOT DISTINCT FROM w.stored_started_at
        AND t.status IN ('open', 'pending')
      RETURNING t.id AS "ticketId", t.number AS "ticketNumber", t.assignee_id AS "assigneeId", t.status,
                t.first_response_at AS "firstResponseAt", t.first_response_due_at AS "firstResponseDueAt",
                t.first_response_at_risk_at AS "firstResponseAtRiskAt",
                t.first_response_breached_at AS "firstResponseBreachedAt",
                t.resolution_due_at AS "resolutionDueAt", t.resolution_at_risk_at AS "resolutionAtRiskAt",
                t.resolution_breached_at AS "resolutionBreachedAt"`,
    [
      column('ticketId'),
      column('storedPolicyId'),
      column('storedStartedAt'),
      column('policyId'),
      column('startedAt'),
      column('firstResponseDueAt'),
      column('firstResponseAtRiskAt'),
      column('resolutionDueAt'),
      column('resolutionAtRiskAt'),
    ],
  );
}

/** A breach just recorded. */
export interface RecordedSlaBreach {
  ticketId: string;
  kind: 'first_response' | 'resolution';
  dueAt: Date;
  /** The ticket's channel key (a ticket never changes channel). */
  channel: string;
}

/**
 * Records the breaches due by `now`, once each: an active ticket past its first-response due time
 * with no agent reply by then, or past its resolution due time; sets `*_breached_at` to the due time and
 * adds a `sla_breached` event `{ kind, dueAt, channel }` per breach, in one transaction (the
 * events are what `helpdesk_sla_breaches_total` counts: `readSlaBreachCounts`). Two runs at once
 * (two workers, or the sweep beside the timing job) record each breach once: the second waits for
 * the first's row lock, then finds `*_breached_at` set and skips the ticket.
 * @param options.dueAfter only the due times after this (the `sla-timing` job: what fell due since
 *   its last runs, a range of the partial indexes tickets_*_due_unbreached_idx, so its cost follows
 *   the tickets due in that window, not the active tickets); without it every due time up to `now`.
 * @returns the breaches recorded by this call (none twice: a recorded one has its column set).
 */
export async function recordSlaBreaches(
  pool: pg.Pool,
  now: Date,
  options: { dueAfter?: Date } = {},
): Promise<RecordedSlaBreach[]> {
  const after = (column: string) => (options.dueAfter ? `AND ${column} > $2` : '');
  const params = options.dueAfter ? [now, options.dueAfter] : [now];
  return transaction(pool, async (client) => {
    const firstResponse = await rows<{ ticketId: string; dueAt: Date; channel: string }>(
      client,
      `UPDATE tickets SET first_response_breached_at = first_response_due_at
        WHERE status IN ('open', 'pending')
          AND (first_response_at IS NULL OR first_response_at > first_response_due_at)
          AND first_response_breached_at IS NULL AND first_response_due_at <= $1
          ${after('first_response_due_at')}
        RETURNING id AS "ticketId", first_response_due_at AS "dueAt", channel`,
      params,
    );
    const resolution = await rows<{ ticketId: string; dueAt: Date; channel: string }>(
      client,
      `UPDATE tickets SET resolution_breached_at = resolution_due_at
        WHERE status IN ('open', 'pending') AND resolution_breached_at IS NULL AND resolution_due_at <= $1
          ${after('resolution_due_at')}
        RETURNING id AS "ticketId", resolution_due_at AS "dueAt", channel`,
      params,
    );
    const breaches: RecordedSlaBreach[] = [
      ...firstResponse.map((breach) => ({ ...breach, kind: 'first_response' as const })),
      ...resolution.map((breach) => ({ ...breach, kind: 'resolution' as const })),
    ];
    await insertTicketEvents(
      client,
      breaches.map((breach) => ({
        ticketId: breach.ticketId,
        type: 'sla_breached',
        agentId: null,
        data: { kind: breach.kind, dueAt: breach.dueAt.toISOString(), channel: breach.channel },
      })),
    );
    return breaches;
  });
}

/** How many breaches of one kind the tickets of one channel had. */
export interface SlaBreachCount {
  kind: string;
  channel: string;
  breaches: number;
}

/**
 * Every recorded breach, counted by kind and channel from the `sla_breached` events (shared by all
 * processes, kept across restarts). An index-only scan of the partial index
 * ticket_events_sla_breached_idx (migration 20261128211000_sla_breach_metrics), which holds the
 * breach events alone: its cost follows the breaches, not the audit log's size.
 */
export async function readSlaBreachCounts(db: Queryable): Promise<SlaBreachCount[]> {
  // The select list repeats the index's key expressions exactly, so the scan returns them.
  const counted = await rows<{ kind: string; channel: string | null; breaches: number }>(
    db,
    `SELECT data->>'kind' AS kind, data->>'channel' AS channel, count(*)::int AS breaches
       FROM ticket_events
      WHERE type = 'sla_breached'
      GROUP BY data->>'kind', data->>'channel'`,
  );
  return counted.map((count) => ({ ...count, channel: count.channel ?? '' }));
}
