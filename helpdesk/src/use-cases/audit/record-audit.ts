/**
 * Records an audit event (issue 16, "Audit log") for an action that has just happened: who did
 * it, to what, with which details. Best effort by design: the action has already succeeded, so a
 * failed write is logged and never thrown into it.
 *
 * The acting agent comes from the request: the agents' API runs each handler inside
 * `runAsAuditActor` (http/routes/api/api-route.ts), so a use case records with one line and no
 * actor parameter; one that knows its actor (a sign-in) passes it. Outside a request (the command
 * line) the actor is null.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuditEventAction, AuditSubjectType } from '@whatsapp-helpdesk/contract/api';
import { createLogger, type Logger } from '../../infra/logger';
import { insertAuditEvent } from '../../store/audit-events';
import type { Database, Pool } from '../../store/database';
export { auditChanges, auditUrl } from '../../domain/audit-changes';

/** Who is acting in the current request, and where its failures are logged. */
interface AuditScope {
  actorAgentId: string | null;
  log: Pick<Logger, 'error'>;
}

const scope = new AsyncLocalStorage<AuditScope>();
let fallbackLog: Pick<Logger, 'error'> | undefined;

/**
 * Runs `work` with `actorAgentId` as the actor of every audit event it records.
 * @param log where a failed audit write is logged (the request's logger).
 */
export function runAsAuditActor<T>(
  actorAgentId: string | null,
  log: Pick<Logger, 'error'>,
  work: () => T,
): T {
  return scope.run({ actorAgentId, log }, work);
}

/** One audit event as a use case gives it. */
export interface AuditRecord {
  action: AuditEventAction;
  subjectType: AuditSubjectType;
  subjectId?: string | null;
  /** Details (JSON): never a password or a secret. Default `{}`. */
  data?: Record<string, unknown>;
  /** The acting agent; default: the request's (null outside a request). */
  actorAgentId?: string | null;
}

/**
 * Records an audit event. Never throws: a failure is logged (`audit: could not record`).
 * @param db the Prisma client or the pool (whichever the use case holds).
 */
export async function recordAudit(db: Database | Pool, record: AuditRecord): Promise<void> {
  const current = scope.getStore();
  try {
    await insertAuditEvent(db, {
      actorAgentId: record.actorAgentId !== undefined ? record.actorAgentId : (current?.actorAgentId ?? null),
      action: record.action,
      subjectType: record.subjectType,
      subjectId: record.subjectId ?? null,
      data: record.data ?? {},
    });
  } catch (error) {
    const log = current?.log ?? (fallbackLog ??= createLogger(process.env.LOG_LEVEL || 'info'));
    log.error({ err: error, action: record.action, subjectId: record.subjectId }, 'audit: could not record');
  }
}
