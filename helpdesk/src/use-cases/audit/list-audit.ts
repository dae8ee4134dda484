/**
 * The audit log an admin reads (`GET /api/audit`): audit events (sign-ins, passwords, agent,
 * channel and team changes) merged with the ticket events an admin audits (assignment, transfer,
 * status, category), newest first, filtered by actor, action and period, in keyset pages.
 * The cursor is base64url of `<created at, ms since 1970>:<source 0|1>:<id>` of a page's last entry.
 */
import { AUDITED_TICKET_EVENT_TYPES, type AuditAction } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { listAuditEntries, type AuditPosition } from '../../store/audit-events';

/** 9999-12-31: PostgreSQL compares any time up to then. */
const MAX_TIME_MS = 253_402_300_799_999;

/** One entry as the API answers it (dates as Dates). */
export interface AuditEntryView {
  id: string;
  at: Date;
  action: string;
  actor: { id: string; name: string | null } | null;
  subject: { type: string; id: string | null; name: string | null; number: number | null };
  data: Record<string, unknown>;
}

/**
 * A page of the audit log.
 * @param query.actor agent id; query.action actions; query.from inclusive, query.to exclusive
 *   (ISO 8601); query.cursor from the previous page; query.limit 1–200.
 * @returns entries newest first and the cursor of the next page (null: the last).
 * @throws AppError validation_failed naming `cursor` for a cursor this API did not make.
 */
export async function listAudit(
  deps: Pick<Deps, 'pool'>,
  query: {
    actor?: string;
    action?: readonly AuditAction[];
    from?: string;
    to?: string;
    cursor?: string;
    limit: number;
  },
): Promise<{ items: AuditEntryView[]; nextCursor: string | null }> {
  const found = await listAuditEntries(
    deps.pool,
    {
      actorAgentId: query.actor,
      actions: query.action && query.action.length > 0 ? query.action : undefined,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      after: query.cursor ? decodeAuditCursor(query.cursor) : undefined,
      limit: query.limit + 1,
    },
    AUDITED_TICKET_EVENT_TYPES,
  );
  const page = found.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((entry) => ({
      id: `${entry.source === 1 ? 'a' : 't'}${entry.id}`,
      at: entry.createdAt,
      action: entry.action,
      actor: entry.actorId ? { id: entry.actorId, name: entry.actorName } : null,
      subject: {
        type: entry.subjectType,
        id: entry.subjectId,
        name: entry.subjectName,
        number: entry.ticketNumber,
      },
      data: entry.data ?? {},
    })),
    nextCursor:
      found.length > query.limit && last
        ? Buffer.from(`${last.createdAt.getTime()}:${last.source}:${last.id}`).toString('base64url')
        : null,
  };
}

/** @throws AppError validation_failed naming `cursor`. */
function decodeAuditCursor(cursor: string): AuditPosition {
  const match = /^(\d{1,15}):([01]):(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || Number(match[1]) > MAX_TIME_MS || BigInt(match[3]!) > 9_223_372_036_854_775_807n) {
    throw new AppError('validation_failed', 'cursor: is not a cursor this API returned');
  }
  return { createdAt: new Date(Number(match[1])), source: match[2] === '1' ? 1 : 0, id: match[3]! };
}
