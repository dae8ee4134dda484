/**
 * The admin CLI's dead-letter commands (registered in src/cli.ts). Jobs that failed for good (out
 * of attempts on deterministic failures; infrastructure errors never use attempts) stay in BullMQ's
 * failed set, never deleted by age, until an operator looks at them and re-drives them:
 *   jobs:failed [--json] [--queue inbound|outbound|scheduled]
 *   jobs:retry ID... | --all [--queue inbound|outbound|scheduled] [--json]
 * They read REDIS_URL and QUEUE_PREFIX as the helpdesk does (defaults redis://127.0.0.1:6379 and
 * helpdesk); nothing else of the configuration is needed.
 */
import { parseArgs } from 'node:util';
import type { Job } from 'bullmq';
import { AppError } from '../errors';
import { createRedis } from '../infra/redis';
import { createQueues, INBOUND_QUEUE, OUTBOUND_QUEUE, type Queues } from './queues';
import { BROADCAST_QUEUE } from './broadcast-queue';
import { SCHEDULED_QUEUE } from './scheduled-queue';

export const JOBS_COMMANDS: readonly string[] = ['jobs:failed', 'jobs:retry'];

type QueueName =
  typeof INBOUND_QUEUE | typeof OUTBOUND_QUEUE | typeof SCHEDULED_QUEUE | typeof BROADCAST_QUEUE;
const QUEUE_NAMES: readonly QueueName[] = [INBOUND_QUEUE, OUTBOUND_QUEUE, SCHEDULED_QUEUE, BROADCAST_QUEUE];

/** A job in the dead-letter list, as `jobs:failed --json` prints it. */
export interface DeadLetter {
  id: string;
  queue: QueueName;
  /** The job's name: `message` or `status` (inbound), `send` (outbound), `end-snooze` (scheduled). */
  name: string;
  /** The provider's event id (inbound jobs), else null. */
  eventId: string | null;
  /** The messages the job sends (outbound jobs), else null. */
  messageIds: string[] | null;
  /** The last error's message. */
  failedReason: string;
  /** Attempts used (deterministic failures only). */
  attemptsMade: number;
  /** When the job was queued (ISO 8601). */
  timestamp: string;
  /** When it failed for good (ISO 8601), or null. */
  failedAt: string | null;
}

function toDeadLetter(queue: QueueName, job: Job): DeadLetter {
  const data = (job.data ?? {}) as { eventId?: unknown; messageIds?: unknown };
  return {
    id: job.id!,
    queue,
    name: job.name,
    eventId: typeof data.eventId === 'string' ? data.eventId : null,
    messageIds: Array.isArray(data.messageIds) ? (data.messageIds as string[]) : null,
    failedReason: job.failedReason ?? '',
    attemptsMade: job.attemptsMade,
    timestamp: new Date(job.timestamp).toISOString(),
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}

/** What the dead-letter commands read of a queue: its failed jobs, and a job by id. */
interface DeadLetterSource {
  getFailed(start: number, end: number): Promise<Job[]>;
  getJob(id: string): Promise<Job | undefined>;
}

function queueOf(queues: Queues, name: QueueName): DeadLetterSource {
  if (name === SCHEDULED_QUEUE) return queues.scheduled;
  if (name === BROADCAST_QUEUE) return queues.broadcast;
  return name === INBOUND_QUEUE ? queues.inbound : queues.outbound;
}

/**
 * The dead-letter list: every failed job of the given queues, newest failure first.
 * @throws whatever Redis throws when it cannot be reached.
 */
export async function listDeadLetters(queues: Queues, names: readonly QueueName[]): Promise<DeadLetter[]> {
  const letters: DeadLetter[] = [];
  for (const name of names) {
    const jobs = (await queueOf(queues, name).getFailed(0, -1)) as Job[];
    for (const job of jobs) if (job?.id) letters.push(toDeadLetter(name, job));
  }
  return letters.sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? ''));
}

/**
 * Re-drives dead letters: each goes back to wait with its attempts reset (a full new budget).
 * Every id is checked before any is re-driven, so a typo changes nothing.
 * @param ids job ids, or `all` for every failed job of the queues.
 * @returns the jobs re-driven.
 * @throws AppError not_found naming the ids that are no failed job of the queues.
 */
export async function retryDeadLetters(
  queues: Queues,
  names: readonly QueueName[],
  ids: readonly string[] | 'all',
): Promise<Array<{ queue: QueueName; id: string }>> {
  const chosen: Array<{ queue: QueueName; job: Job }> = [];
  if (ids === 'all') {
    // A snapshot first: a job that fails again at once must not be re-driven twice.
    for (const name of names) {
      for (const job of (await queueOf(queues, name).getFailed(0, -1)) as Job[]) {
        if (job?.id) chosen.push({ queue: name, job });
      }
    }
  } else {
    const unknown: string[] = [];
    for (const id of new Set(ids)) {
      let found: { queue: QueueName; job: Job } | null = null;
      for (const name of names) {
        const job = (await queueOf(queues, name).getJob(id)) as Job | undefined;
        if (job && (await job.isFailed())) found = { queue: name, job };
      }
      if (found) chosen.push(found);
      else unknown.push(id);
    }
    if (unknown.length) {
      throw new AppError(
        'not_found',
        `no failed job ${unknown.map((id) => `"${id}"`).join(', ')} in the ${names.join(' or ')} queue (see jobs:failed); nothing re-driven`,
      );
    }
  }
  const done: Array<{ queue: QueueName; id: string }> = [];
  for (const { queue, job } of chosen) {
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    done.push({ queue, id: job.id! });
  }
  return done;
}

function queueNames(option: string | undefined): QueueName[] {
  if (option === undefined) return [...QUEUE_NAMES];
  if (!QUEUE_NAMES.includes(option as QueueName)) {
    throw new AppError('bad_request', `--queue must be one of ${QUEUE_NAMES.join(', ')}, not "${option}"`);
  }
  return [option as QueueName];
}

/**
 * The queues of this helpdesk from REDIS_URL and QUEUE_PREFIX (validated as config.ts does), for
 * the CLI's commands; `close()` ends the connection.
 * @throws AppError bad_request for a REDIS_URL or QUEUE_PREFIX that cannot be used.
 */
export function openQueues(env: NodeJS.ProcessEnv): Queues {
  const redisUrl = env.REDIS_URL || 'redis://127.0.0.1:6379';
  const prefix = env.QUEUE_PREFIX || 'helpdesk';
  if (!/^rediss?:\/\//.test(redisUrl)) throw new AppError('bad_request', 'REDIS_URL must be a redis:// URL');
  if (!/^[A-Za-z0-9_-]+$/.test(prefix)) {
    throw new AppError('bad_request', 'QUEUE_PREFIX: letters, digits, _ and - only');
  }
  const redis = createRedis(redisUrl, 'producer');
  const queues = createQueues(redis, { prefix, attempts: 1, backoffMs: 1000 });
  return {
    ...queues,
    async close() {
      await queues.close().catch(() => {});
      redis.disconnect();
    },
  };
}

/**
 * Runs `jobs:failed` or `jobs:retry`.
 * @param args the arguments after the command.
 * @returns what to print: JSON with --json, else one line per job (tab-separated) or a sentence.
 * @throws AppError (bad_request, not_found) with a message for the operator; ERR_PARSE_ARGS errors
 *   for unknown options; Redis errors when it cannot be reached.
 */
export async function runJobsCommand(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  if (command === 'jobs:failed') {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, queue: { type: 'string' } } });
    const names = queueNames(values.queue);
    const queues = openQueues(env);
    try {
      const letters = await listDeadLetters(queues, names);
      if (values.json) return JSON.stringify(letters, null, 2);
      if (letters.length === 0) return `no failed jobs in the ${names.join(' or ')} queue`;
      return letters
        .map((l) =>
          [
            l.queue,
            l.id,
            l.name,
            `attempts ${l.attemptsMade}`,
            l.failedAt ?? '-',
            l.eventId ?? l.messageIds?.join(',') ?? '-',
            l.failedReason.split('\n')[0]!.slice(0, 200),
          ].join('\t'),
        )
        .join('\n');
    } finally {
      await queues.close();
    }
  }
  if (command === 'jobs:retry') {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { all: { type: 'boolean' }, json: { type: 'boolean' }, queue: { type: 'string' } },
    });
    if (values.all && positionals.length)
      throw new AppError('bad_request', 'jobs:retry takes ids or --all, not both');
    if (!values.all && positionals.length === 0) {
      throw new AppError('bad_request', 'jobs:retry needs job ids (see jobs:failed) or --all');
    }
    const names = queueNames(values.queue);
    const queues = openQueues(env);
    try {
      const retried = await retryDeadLetters(queues, names, values.all ? 'all' : positionals);
      if (values.json) return JSON.stringify({ retried }, null, 2);
      if (retried.length === 0) return `no failed jobs in the ${names.join(' or ')} queue`;
      return `re-driven ${retried.length} job${retried.length === 1 ? '' : 's'}: ${retried
        .map((r) => `${r.queue} ${r.id}`)
        .join(', ')}`;
    } finally {
      await queues.close();
    }
  }
  throw new AppError('bad_request', `unknown command "${command}"`);
}
