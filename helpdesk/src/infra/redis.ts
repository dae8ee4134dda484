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
