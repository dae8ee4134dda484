/**
 * Redis connections for BullMQ (ioredis).
 */
import { Redis } from 'ioredis';

/**
 * @param url redis:// URL.
 * @param role `producer` fails fast when Redis is down (the webhook then answers 503 instead of
 *   hanging); `worker` waits and reconnects for ever, as BullMQ workers require.
 */
export function createRedis(url: string, role: 'producer' | 'worker'): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  // Connection errors surface on the commands that fail and ioredis reconnects by itself; without
  // a listener the event would be reported as unhandled. Callers add their own to log them.
  redis.on('error', () => {});
  return redis;
}

/**
 * Asks Redis once whether it answers (connect and PING, no retries), for a start-up check: a
 * process that starts without Redis would otherwise report itself started and then log the
 * reconnections for ever.
 * @returns null when Redis answers, else the reason (the connection error's message).
 */
export async function redisUnreachable(url: string, timeoutMs = 3000): Promise<string | null> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  // connect() itself only rejects with "Connection is closed."; the cause (ECONNREFUSED, a DNS
  // failure, NOAUTH) arrives as an error event.
  let cause: Error | null = null;
  redis.on('error', (error: Error) => (cause ??= error));
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    const reason = cause ?? (error as Error);
    return reason.message || String(reason);
  } finally {
    redis.disconnect();
  }
}
