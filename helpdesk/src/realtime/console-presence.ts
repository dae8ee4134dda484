/**
 * When each agent's console was last seen, shared by every process in Redis: a sorted set
 * `<QUEUE_PREFIX>:presence:console` (member: agent id, score: epoch ms). API processes mark the
 * agents of their open event streams as seen (`ConsoleHeartbeat`); the presence job
 * (use-cases/agents/mark-absent-agents-away.ts) reads it to set absent agents away. The rules are
 * in domain/presence.ts.
 *
 * An online agent never seen gets a grace start instead, in `<QUEUE_PREFIX>:presence:grace-start`
 * (same shape): kept apart, so the consoles the live queue and the agents page show open are only
 * those really seen.
 *
 * Beside them, `<QUEUE_PREFIX>:presence:api-up-since` holds since when at least one API process has
 * been up without a break (it expires when none refreshes it): while no API runs, consoles cannot
 * connect, so nobody is judged absent, and once one runs again everyone gets a fresh grace period.
 *
 * Only the agents' presence is kept here, nothing that must survive Redis: an empty set makes every
 * online agent "never seen", whose grace period then starts afresh.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logger';

/** Reads and writes when agents' consoles were last seen. Methods throw when Redis fails. */
export class ConsolePresence {
  /** The sorted set of last visits. */
  readonly key: string;
  /** The sorted set of grace starts of agents never seen. */
  readonly graceKey: string;
  private readonly upKey: string;

  /** @param prefix the key prefix (QUEUE_PREFIX). */
  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}:presence:console`;
    this.graceKey = `${prefix}:presence:grace-start`;
    this.upKey = `${prefix}:presence:api-up-since`;
  }

  /**
   * Records that an API process is up at `atMs`: starts the "up since" time unless one is running,
   * and keeps it for `ttlMs` more (it lapses when no API process refreshes it).
   */
  async markApiUp(atMs: number, ttlMs: number): Promise<void> {
    await this.redis
      .multi()
      .set(this.upKey, String(atMs), 'PX', ttlMs, 'NX')
      .pexpire(this.upKey, ttlMs)
      .exec();
  }

  /** @returns since when API processes have been up without a break (epoch ms), or null: none is. */
  async apiUpSince(): Promise<number | null> {
    const value = await this.redis.get(this.upKey);
    return value === null ? null : Number(value);
  }

  /** Marks agents as seen at `atMs` (epoch ms); a later time never goes back. */
  async markSeen(agentIds: readonly string[], atMs: number): Promise<void> {
    if (agentIds.length === 0) return;
    // GT: a slow process's older heartbeat never overwrites a newer one.
    await this.redis.zadd(this.key, 'GT', ...agentIds.flatMap((id) => [atMs, id]));
  }

  /**
   * Starts the grace period of agents never seen at `atMs` (epoch ms); a grace already started is
   * left as it is. Not a visit: `lastSeen` does not show it.
   */
  async startGrace(agentIds: readonly string[], atMs: number): Promise<void> {
    if (agentIds.length === 0) return;
    await this.redis.zadd(this.graceKey, 'NX', ...agentIds.flatMap((id) => [atMs, id]));
  }

  /** @returns when each agent's console was last seen (epoch ms); agents never seen are missing. */
  async lastSeen(agentIds: readonly string[]): Promise<Map<string, number>> {
    return this.scores(this.key, agentIds);
  }

  /**
   * @returns for each agent the later of their last visit and their grace start (epoch ms), what
   *   the presence job judges by; agents with neither are missing.
   */
  async lastSeenOrGraceStart(agentIds: readonly string[]): Promise<Map<string, number>> {
    const seen = await this.lastSeen(agentIds);
    for (const [id, graceStart] of await this.scores(this.graceKey, agentIds)) {
      seen.set(id, Math.max(seen.get(id) ?? graceStart, graceStart));
    }
    return seen;
  }

  private async scores(key: string, agentIds: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    if (agentIds.length === 0) return found;
    const scores = await this.redis.zmscore(key, ...agentIds);
    agentIds.forEach((id, index) => {
      const score = scores[index];
      if (score !== null && score !== undefined) found.set(id, Number(score));
    });
    return found;
  }

  /**
   * Forgets every agent but `keepAgentIds` (the online ones): an agent who goes online again
   * later starts a fresh grace period instead of being judged by an old visit.
   */
  async forgetAllBut(keepAgentIds: readonly string[]): Promise<void> {
    const keep = new Set(keepAgentIds);
    for (const key of [this.key, this.graceKey]) {
      const members = await this.redis.zrange(key, 0, -1);
      const gone = members.filter((id) => !keep.has(id));
      if (gone.length) await this.redis.zrem(key, ...gone);
    }
  }
}

/**
 * One API process's open consoles: marks their agents as seen every `intervalMs` while their
 * session holds (a signed-out or expired session stops counting at once, before its stream is
 * ended), and marks the API as up. The timer only keeps the Redis record fresh; deciding who is
 * away is the presence job's.
 */
export class ConsoleHeartbeat {
  private readonly streams = new Map<symbol, { agentId: string; sessionId: string }>();
  private timer: NodeJS.Timeout | null = null;
  private beating = false;

  /**
   * @param presence the shared record.
   * @param intervalMs how often to mark (domain/presence.ts `presenceRefreshMs`).
   * @param liveSessions which of the given sessions still hold.
   */
  constructor(
    private readonly presence: ConsolePresence,
    private readonly intervalMs: number,
    private readonly liveSessions: (sessionIds: readonly string[]) => Promise<Set<string>>,
    private readonly log: Logger,
  ) {}

  /** Starts beating (now, then every interval) until `close()`. */
  start(): void {
    if (this.timer) return;
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops beating (the server closes; its streams have ended). */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Counts an open stream (its agent is marked seen now and then every interval).
   * @returns a function that stops counting it (call when the stream closes).
   */
  open(agentId: string, sessionId: string): () => void {
    const handle = Symbol(agentId);
    this.streams.set(handle, { agentId, sessionId });
    void this.presence
      .markSeen([agentId], Date.now())
      .catch((error: unknown) => this.log.warn({ err: error }, 'console presence not recorded'));
    return () => {
      this.streams.delete(handle);
    };
  }

  /** Number of streams counted. */
  get size(): number {
    return this.streams.size;
  }

  private async beat(): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    try {
      const now = Date.now();
      // Lapses after three missed beats: the presence job then judges nobody.
      await this.presence.markApiUp(now, this.intervalMs * 3);
      const open = [...this.streams.values()];
      const live = await this.liveSessions([...new Set(open.map((stream) => stream.sessionId))]);
      const present = new Set(open.filter((stream) => live.has(stream.sessionId)).map((s) => s.agentId));
      await this.presence.markSeen([...present], now);
    } catch (error) {
      this.log.warn({ err: error }, 'console presence not recorded');
    } finally {
      this.beating = false;
    }
  }
}
