/**
 * Whether PostgreSQL is reachable, known without a database round trip: the webhooks read it on
 * every request (answering 503 while it is down, so the sidecar's outbox and Meta keep the event),
 * `/health` reports it. Kept up to date by a cheap periodic probe (`SELECT 1` on a connection of its
 * own, so a busy pool never looks like an outage) and by the workers, which report the connection
 * errors they meet and their successes. A refused or broken connection makes it unreachable at
 * once; a probe without an answer within its timeout only when the one before timed out too.
 */
import pg from 'pg';

/** The shortest time between probes asked for by readers while the database is down, ms. */
const RECHECK_MS = 100;

/** A probe that got no answer within its timeout (DatabaseProbeOptions.timeoutMs). */
class ProbeTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`no answer to SELECT 1 within ${timeoutMs} ms`);
    this.name = 'ProbeTimeout';
  }
}

/** What `/health` shows of the database's reachability. */
export interface DatabaseReachability {
  reachable: boolean;
  /** When `reachable` last changed (ISO 8601). */
  since: string;
  /** The last probe's end (ISO 8601), or null before the first. */
  checkedAt: string | null;
  /** The last successful probe's round trip, ms. */
  latencyMs: number | null;
  /** Why the database was last found unreachable (kept while it is), or null. */
  lastError: string | null;
}

export interface DatabaseProbeOptions {
  /** Time between probes, ms. */
  intervalMs: number;
  /** A probe without an answer within this timed out, ms (two in a row: unreachable). */
  timeoutMs: number;
  log?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

/** One pool's reachability state and probe; context.ts builds the process's one (`Deps.databaseHealth`). */
export class DatabaseHealth {
  #reachable = true;
  #since = new Date();
  #checkedAt: Date | null = null;
  #latencyMs: number | null = null;
  #lastError: string | null = null;
  #client: pg.Client | null = null;
  #inFlight: Promise<boolean> | null = null;
  #timer: NodeJS.Timeout | null = null;
  /** Probes in a row without an answer within the timeout (0 again after any other outcome). */
  #timeoutsInRow = 0;
  /** When the last probe started (epoch ms). */
  #probedAt = 0;
  #options: DatabaseProbeOptions = { intervalMs: 1000, timeoutMs: 1000 };

  /** The database server's TCP port (from the connection string; 5432 by default). */
  readonly port: number;

  /** @param connectionString the pool's postgresql:// URL (the probe opens its own connection). */
  constructor(private readonly connectionString: string) {
    let port = 5432;
    try {
      port = Number(new URL(connectionString).port) || 5432;
    } catch {
      // Not a URL (a socket path or key=value string): the default port.
    }
    this.port = port;
  }

  /**
   * The last known state: true until a probe or a worker finds the database unreachable. While it
   * is down and probing runs, reading it asks for a fresh probe (one at a time, at most every
   * RECHECK_MS), so events are accepted again soon after the database is back, not an interval later.
   */
  get reachable(): boolean {
    if (!this.#reachable && this.#timer && !this.#inFlight && Date.now() - this.#probedAt >= RECHECK_MS) {
      void this.probe();
    }
    return this.#reachable;
  }

  /** @returns the state as `/health` shows it. */
  snapshot(): DatabaseReachability {
    return {
      reachable: this.#reachable,
      since: this.#since.toISOString(),
      checkedAt: this.#checkedAt?.toISOString() ?? null,
      latencyMs: this.#latencyMs,
      lastError: this.#lastError,
    };
  }

  /** Records that the database answered (a probe, or a worker's job that used it). */
  markReachable(): void {
    this.#timeoutsInRow = 0;
    if (this.#reachable) return;
    this.#reachable = true;
    this.#since = new Date();
    this.#options.log?.info({ unreachableFor: this.#lastError }, 'database reachable again');
    this.#lastError = null;
  }

  /** Records that the database could not be reached. @param error what failed (its message is kept). */
  markUnreachable(error: unknown): void {
    this.#lastError = error instanceof Error ? error.message || error.name : String(error);
    if (!this.#reachable) return;
    this.#reachable = false;
    this.#since = new Date();
    this.#options.log?.warn({ reason: this.#lastError }, 'database unreachable: webhooks answer 503');
  }

  /**
   * Probes now (`SELECT 1` within the timeout), updating the state; concurrent calls share one probe.
   * @returns whether the database answered.
   */
  probe(): Promise<boolean> {
    if (!this.#inFlight) this.#probedAt = Date.now();
    this.#inFlight ??= this.#probeOnce().finally(() => (this.#inFlight = null));
    return this.#inFlight;
  }

  async #probeOnce(): Promise<boolean> {
    const started = performance.now();
    const timeoutMs = this.#options.timeoutMs;
    let client = this.#client;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      // Judged after the event loop's next read of its sockets: when this process itself was busy
      // past the timeout (a burst of requests), its timers run before the answer that came meanwhile
      // is read, and a database that answered in time would count as silent.
      timer = setTimeout(() => setImmediate(() => reject(new ProbeTimeout(timeoutMs))), timeoutMs);
    });
    try {
      if (!client) {
        client = new pg.Client({
          connectionString: this.connectionString,
          // pg's own limits only free a socket left hanging: the probe's deadline comes first, by a
          // margin this process's own stalls do not cross (pg's error would count as an outage).
          connectionTimeoutMillis: timeoutMs * 10,
          query_timeout: timeoutMs * 10,
        });
        // A connection cut by the server must not crash the process; the next probe reconnects.
        client.on('error', () => {});
        this.#client = client;
        await Promise.race([client.connect(), deadline]);
      }
      await Promise.race([client.query('SELECT 1'), deadline]);
      this.#latencyMs = Math.round((performance.now() - started) * 10) / 10;
      this.#checkedAt = new Date();
      this.markReachable();
      return true;
    } catch (error) {
      // A broken or timed-out connection is never reused.
      if (this.#client === client) this.#client = null;
      client?.end().catch(() => {});
      this.#checkedAt = new Date();
      // One answer later than the timeout is a busy server (a loaded host, a checkpoint), not an
      // outage: webhooks keep being accepted until a second probe in a row times out. A refused
      // or broken connection is an outage at once.
      this.#timeoutsInRow = error instanceof ProbeTimeout ? this.#timeoutsInRow + 1 : 0;
      if (this.#timeoutsInRow === 1 && this.#reachable) {
        this.#options.log?.warn({ reason: String(error) }, 'database slow to answer the probe');
      } else {
        this.markUnreachable(error);
      }
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Starts probing every `intervalMs` (the first at once); calling it again changes nothing. */
  start(options: DatabaseProbeOptions): this {
    if (this.#timer) return this;
    this.#options = options;
    void this.probe();
    this.#timer = setInterval(() => void this.probe(), options.intervalMs);
    this.#timer.unref();
    return this;
  }

  /** Stops probing and closes the probe's connection. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#inFlight?.catch(() => {});
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => {});
  }
}
