/**
 * The realtime hub of one API process: a single blocking reader of the Redis stream (XREAD) that
 * hands each event to the process's open agent streams, plus the catch-up read for a reconnecting
 * stream (XRANGE after its `Last-Event-ID`).
 *
 * Ordering guarantee used by the SSE route: after `start()` resolves, every event appended later is
 * dispatched to subscribers in stream order, so "subscribe, then read the backlog, then drop
 * dispatched events already in the backlog" misses nothing and repeats nothing.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logger';
import { compareEventIds, type LoggedEvent, type RealtimeEvent } from './events';

export type RealtimeListener = (entry: LoggedEvent) => void;

/** What a reconnecting stream missed. */
export interface Backlog {
  events: LoggedEvent[];
  /**
   * True when events after the given id may have been dropped (trimmed, or Redis restarted): the
   * console should reload what it shows instead of relying on the backlog alone.
   */
  gap: boolean;
}

const BLOCK_MS = 5000;
const BATCH = 500;
/**
 * After a read that brought events, the next waits this long (ms): events that follow within it go
 * to each console in one write instead of one each. Under load the API's CPU went mostly to those
 * writes (a system call per stream and read); an event after a quiet spell still goes out at once.
 */
const COALESCE_MS = 20;

/** One API process's reader of the realtime stream and fan-out to its open agent streams. */
export class RealtimeHub {
  private readonly listeners = new Set<RealtimeListener>();
  private lastId = '0-0';
  private starting: Promise<void> | null = null;
  private closed = false;
  private blocking: Redis | null = null;

  /**
   * @param redis a connection for non-blocking reads (XRANGE, XREVRANGE).
   * @param connect opens the dedicated connection the blocking XREAD loop uses (closed by `close`).
   * @param streamKey the stream (see realtime/publish.ts).
   */
  constructor(
    private readonly redis: Redis,
    private readonly connect: () => Redis,
    readonly streamKey: string,
    private readonly log: Logger,
  ) {}

  /** Starts the reader once; later calls wait for the same start. @throws when Redis cannot be read. */
  start(): Promise<void> {
    if (!this.starting) {
      this.starting = (async () => {
        const [latest] = await this.redis.xrevrange(this.streamKey, '+', '-', 'COUNT', 1);
        this.lastId = latest?.[0] ?? '0-0';
        this.blocking = this.connect();
        this.blocking.on('error', (error) => this.log.debug({ err: error }, 'redis (realtime) error'));
        void this.loop();
      })().catch((error: unknown) => {
        this.starting = null;
        throw error;
      });
    }
    return this.starting;
  }

  /** Adds a listener for events appended from now on. @returns a function that removes it. */
  subscribe(listener: RealtimeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Number of open subscriptions (streams) in this process. */
  get subscribers(): number {
    return this.listeners.size;
  }

  /**
   * Events after `afterId`, oldest first, at most `limit`.
   * @param afterId a stream id the client has seen.
   */
  async readAfter(afterId: string, limit = 10_000): Promise<Backlog> {
    const [first] = await this.redis.xrange(this.streamKey, '-', '+', 'COUNT', 1);
    const gap = !first || compareEventIds(afterId, first[0]) < 0;
    const events: LoggedEvent[] = [];
    let cursor = afterId;
    while (events.length < limit) {
      const page = await this.redis.xrange(this.streamKey, `(${cursor}`, '+', 'COUNT', BATCH);
      for (const [id, fields] of page) {
        const entry = parseEntry(id, fields);
        if (entry) events.push(entry);
        cursor = id;
      }
      if (page.length < BATCH) break;
    }
    return { events, gap: gap && afterId !== '0-0' };
  }

  /** Stops the reader and forgets every listener. */
  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.blocking?.disconnect();
  }

  private async loop(): Promise<void> {
    while (!this.closed && this.blocking) {
      try {
        const result = (await this.blocking.xread(
          'COUNT',
          BATCH,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          this.streamKey,
          this.lastId,
        )) as Array<[string, Array<[string, string[]]>]> | null;
        for (const [, entries] of result ?? []) {
          for (const [id, fields] of entries) {
            this.lastId = id;
            const entry = parseEntry(id, fields);
            if (!entry) continue;
            for (const listener of [...this.listeners]) {
              try {
                listener(entry);
              } catch (error) {
                this.log.warn({ err: error }, 'realtime listener failed');
              }
            }
          }
        }
        if (result && !this.closed) await new Promise((resolve) => setTimeout(resolve, COALESCE_MS));
      } catch (error) {
        if (this.closed) return;
        this.log.warn({ err: error }, 'realtime stream read failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }
}

function parseEntry(id: string, fields: string[]): LoggedEvent | null {
  const index = fields.indexOf('event');
  const json = index >= 0 ? fields[index + 1] : undefined;
  if (!json) return null;
  try {
    return { id, event: JSON.parse(json) as RealtimeEvent };
  } catch {
    return null;
  }
}
