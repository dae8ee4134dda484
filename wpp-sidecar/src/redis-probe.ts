/**
 * Whether the Redis the outbox writes to answers, for `GET /health`: a connection of its own (so a probe
 * never waits behind the outbox's commands, which ioredis holds while Redis is away) that answers at once
 * when Redis is unreachable (no offline queue) and reconnects by itself.
 */
import { Redis } from 'ioredis';

/** What `/health` shows of Redis: `detail` says what is wrong (never the URL: it may hold a password). */
export interface RedisHealth {
  ok: boolean;
  detail: string | null;
}

/** Pings Redis on demand, with a bound on the answer's time. */
export class RedisProbe {
  private readonly redis: Redis;
  private lastError: string | null = null;

  /**
   * @param url - REDIS_URL.
   * @param timeoutMs - how long a ping may take before Redis counts as not answering.
   */
  constructor(
    url: string,
    private readonly timeoutMs = 1500,
  ) {
    this.redis = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: timeoutMs,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    this.redis.on('error', (error: Error) => {
      this.lastError = error.message;
    });
    this.redis.on('ready', () => {
      this.lastError = null;
    });
    this.redis.connect().catch(() => undefined);
  }

  /** @returns `{ ok: true }` when Redis answered PING in time, else why not. Never throws. */
  async check(): Promise<RedisHealth> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = await Promise.race([
        this.redis.ping(),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${this.timeoutMs} ms`)),
            this.timeoutMs,
          );
        }),
      ]);
      return answer === 'PONG'
        ? { ok: true, detail: null }
        : { ok: false, detail: `PING answered ${answer}` };
    } catch (error) {
      const reason = this.lastError ?? (error instanceof Error ? error.message : String(error));
      return {
        ok: false,
        detail: `Redis (REDIS_URL) does not answer: ${reason}; events from WhatsApp wait in memory until it is back`,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the connection. */
  close(): void {
    this.redis.disconnect();
  }
}
