/**
 * Which machine and versions a benchmark ran on, and how busy the machine was: printed with the
 * figures so that runs on different hosts, or on a shared host under other load, are not compared
 * as if alike.
 */
import { readFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, totalmem, type } from 'node:os';
import { Redis } from 'ioredis';
import { sql } from './database';

/** The load average over the last 1, 5 and 15 minutes, e.g. `3.10 / 2.50 / 1.20`. */
export function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');
}

/**
 * Linux's scheduler autogroups (`/proc/sys/kernel/sched_autogroup_enabled`): when on, CPU is shared
 * first between sessions and a nice level counts only within its own, so the workers' WORKER_NICE
 * yields to the API they were started with but not to PostgreSQL or Redis (BENCHMARKS.md,
 * "2026-11-30, late afternoon").
 * @returns `on`, `off`, or `not known` (not Linux, or the file unreadable).
 */
export function schedulerAutogroups(): string {
  try {
    return readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1' ? 'on' : 'off';
  } catch {
    return 'not known';
  }
}

/**
 * @param databaseUrl any database on the PostgreSQL server measured.
 * @param redisUrl the Redis server measured.
 * @returns lines: CPU model and cores, memory, OS and its scheduler's autogroups, Node.js,
 *   PostgreSQL and Redis versions, load.
 */
export async function describeMachine(databaseUrl: string, redisUrl: string): Promise<string[]> {
  const processors = cpus();
  const [postgres] = await sql<{ version: string }>(
    databaseUrl,
    `SELECT current_setting('server_version') AS version`,
  );
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let redisVersion = 'unknown';
  try {
    await redis.connect();
    redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
  } finally {
    redis.disconnect();
  }
  const gigabytes = (bytes: number) => (bytes / 1024 ** 3).toFixed(1);
  return [
    `machine: ${processors.length} × ${processors[0]?.model.trim() ?? 'unknown CPU'}, ${gigabytes(totalmem())} GB memory (${gigabytes(freemem())} GB free), ${type()} ${release()}, scheduler autogroups ${schedulerAutogroups()}`,
    `versions: Node.js ${process.version}, PostgreSQL ${postgres!.version}, Redis ${redisVersion}; PostgreSQL and Redis on loopback`,
    `load average (1 / 5 / 15 min) at start: ${loadAverage()}`,
  ];
}
