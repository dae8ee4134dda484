/**
 * Jobs stopped by the infrastructure (PostgreSQL or Redis unreachable, a failover, a full disk)
 * wait and retry for as long as that lasts, without using up their attempts: only deterministic
 * failures count against JOB_ATTEMPTS and end in the dead-letter list (the failed set). Without
 * this, an outage longer than the attempts' backoff (10 attempts from 1 s: ~8.5 minutes) parked
 * every event answered 2xx meanwhile.
 *
 * The job is moved back to the delayed set with its lock's token and the processor throws BullMQ's
 * DelayedError, which neither counts an attempt nor fails the job (BullMQ 5, "Process Step Jobs",
 * section "Delaying": https://docs.bullmq.io/patterns/process-step-jobs; `Job.moveToDelayed`).
 */
import { DelayedError, type Job } from 'bullmq';
import { ProviderError } from '../errors';
import type { DatabaseHealth } from '../store/database-health';
import type { Logger } from '../infra/logger';
import { infrastructureRetries } from '../infra/metrics';

/**
 * - `database-unreachable`: the connection failed (refused, reset, cut, timed out, server shutting
 *   down or starting): the webhooks answer 503 until the database answers again;
 * - `database`: it answers but cannot work now (disk full, out of connections or memory, a
 *   read-only standby after a failover, the pool's wait for a connection timed out);
 * - `redis`: a Redis command could not reach the server;
 * - `network`: a connection failed (refused, reset, timed out) to a server not known to be the
 *   database (Redis, most likely): retried the same way, but the webhooks keep accepting.
 */
export type InfrastructureErrorKind = 'database-unreachable' | 'database' | 'redis' | 'network';

/** Node's network error codes that mean "the server could not be reached". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

/** Prisma's codes for an unreachable database (P1001-P1017) and a pool timeout (P2024). */
const PRISMA_UNREACHABLE = new Set(['P1001', 'P1002', 'P1008', 'P1017']);

/** node-postgres's own messages for a lost or failed connection (they carry no code). */
const PG_CONNECTION_MESSAGES =
  /Connection terminated|connection timeout|Client has encountered a connection error|Client was closed and is not queryable|Query read timeout/i;

/** ioredis's messages when a command cannot reach the server. */
const REDIS_MESSAGES =
  /Connection is closed|Reached the max retries per request limit|Stream isn't writeable|enableOfflineQueue options is false|Redis connection lost/i;

function classifyOne(error: Record<string, unknown>, databasePort?: number): InfrastructureErrorKind | null {
  const code = typeof error.code === 'string' ? error.code : '';
  const message = typeof error.message === 'string' ? error.message : '';
  // PostgreSQL SQLSTATE classes (PostgreSQL manual, appendix A "Error Codes"): 08 connection
  // exception; 57P01-57P03 admin/crash shutdown, cannot connect now (starting, in recovery).
  if (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[1-3]$/.test(code)) return 'database-unreachable';
  // 53 insufficient resources (disk full, out of memory, too many connections); 58 system error
  // (I/O); 25006 read-only transaction (a standby not yet promoted); 57P04 database dropped (a
  // restore in progress). All pass once an operator or the failover has done its work.
  if (/^5[38][0-9A-Z]{3}$/.test(code) || code === '25006' || code === '57P04') return 'database';
  if (PRISMA_UNREACHABLE.has(code)) return 'database-unreachable';
  if (code === 'P2024') return 'database';
  // Node's connect errors name the port: only the database's makes the database unreachable (a
  // refused Redis connection must not turn webhooks away).
  if (NETWORK_CODES.has(code)) {
    return databasePort !== undefined && error.port === databasePort ? 'database-unreachable' : 'network';
  }
  if (error.name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.test(message)) return 'redis';
  if (PG_CONNECTION_MESSAGES.test(message)) return 'database-unreachable';
  if (/timeout exceeded when trying to connect/i.test(message)) return 'database';
  return null;
}

/**
 * Tells whether an error comes from the infrastructure rather than from the job itself.
 * Looks through `cause`, `AggregateError.errors` (Node's "happy eyeballs" connects) and Prisma's
 * wrapped driver errors; never into a ProviderError (a provider's failure keeps its own handling)
 * or a failed fetch (the sidecar or Meta down is not our database down).
 * @param databasePort the database server's port: a connection error naming it is `database-unreachable`.
 * @returns the kind, or null for any other error (it uses an attempt).
 */
export function infrastructureErrorKind(
  error: unknown,
  databasePort?: number,
  depth = 0,
): InfrastructureErrorKind | null {
  if (typeof error !== 'object' || error === null || depth > 5) return null;
  if (error instanceof ProviderError || error instanceof DelayedError) return null;
  if (error instanceof TypeError && error.message === 'fetch failed') return null;
  const record = error as Record<string, unknown>;
  const own = classifyOne(record, databasePort);
  // A connect error without the port (Node's AggregateError of "happy eyeballs") may hold ones with it.
  if (own && own !== 'network') return own;
  const meta = record.meta as Record<string, unknown> | undefined;
  const nested = [
    record.cause,
    meta?.driverAdapterError,
    ...(Array.isArray(record.errors) ? record.errors : []),
  ];
  let network = own === 'network';
  for (const inner of nested) {
    const kind = infrastructureErrorKind(inner, databasePort, depth + 1);
    if (kind && kind !== 'network') return kind;
    network ||= kind === 'network';
  }
  if (network) return 'network';
  // Prisma's driver adapter errors describe the failure by kind (and originalCode).
  const kind = (record.kind ?? (record.cause as Record<string, unknown> | undefined)?.kind) as unknown;
  if (kind === 'DatabaseNotReachable' || kind === 'SocketTimeout' || kind === 'ConnectionClosed') {
    return 'database-unreachable';
  }
  if (kind === 'TooManyConnections') return 'database';
  return null;
}

export interface InfrastructureRetrySettings {
  queue: string;
  /** The first wait, ms (JOB_BACKOFF_MS); it doubles with each infrastructure retry of the job. */
  baseMs: number;
  /** The longest wait, ms (JOB_INFRASTRUCTURE_RETRY_MAX_MS). */
  maxMs: number;
  /** Told of the database's reachability: 503 on the webhooks while unreachable. */
  databaseHealth?: DatabaseHealth;
  log: Logger;
}

/**
 * The wait before a job's next infrastructure retry: `baseMs * 2^n` capped at `maxMs`, where n
 * counts the job's runs that did not use an attempt (infrastructure retries, and stalls).
 * @returns ms.
 */
export function infrastructureRetryDelay(
  job: Pick<Job, 'attemptsStarted' | 'attemptsMade'>,
  baseMs: number,
  maxMs: number,
): number {
  const retries = Math.max(0, (job.attemptsStarted ?? 1) - 1 - (job.attemptsMade ?? 0));
  return Math.min(maxMs, baseMs * 2 ** Math.min(retries, 30));
}

/**
 * Runs a job's work; when it fails for an infrastructure reason, puts the job back to wait
 * (see `infrastructureRetryDelay`) and throws DelayedError, so BullMQ neither counts an attempt
 * nor fails it. Any other error is rethrown as it is (it uses an attempt).
 * @param token the job's lock token: the processor's second argument.
 */
export async function withInfrastructureRetry<T>(
  job: Job,
  token: string | undefined,
  settings: InfrastructureRetrySettings,
  work: () => Promise<T>,
): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (error) {
    const kind = infrastructureErrorKind(error, settings.databaseHealth?.port);
    if (!kind || !token) throw error;
    if (kind === 'database-unreachable') settings.databaseHealth?.markUnreachable(error);
    const delayMs = infrastructureRetryDelay(job, settings.baseMs, settings.maxMs);
    await job.moveToDelayed(Date.now() + delayMs, token);
    infrastructureRetries.inc({ queue: settings.queue, kind });
    settings.log.warn(
      { queue: settings.queue, jobId: job.id, kind, delayMs, err: error },
      'job waits for the infrastructure (no attempt used)',
    );
    throw new DelayedError();
  }
  // The job used the database: it answers.
  settings.databaseHealth?.markReachable();
  return result;
}
