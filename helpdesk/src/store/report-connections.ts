/**
 * The connections the period report's statements run on: a small pool of its own per statement
 * (the breakdown's groups, its message counts, the series, the business-hours durations), so
 * that each statement runs again on a server process that has run it before.
 *
 * A statement's first run on a PostgreSQL connection costs more than the next: its parse and plan
 * (a named statement's, kept per connection: store/sql.ts), the server process's catalog caches
 * for the tables, functions and types it touches, and the memory its hashing takes (new pages,
 * each a costly fault on a virtual machine). For the 30 days' report on a year's data that was 15 –
 * 80 ms more per statement. Run on the process's shared pool, whose ten connections rotate among
 * every request, a team lead's reports kept landing on connections that had never run them: 33 –
 * 297 ms for repeated 30 days' reports, against 23 – 58 ms with a pool per statement (BENCHMARKS.md,
 * "2026-12-02, mid-morning").
 *
 * A pool opens its first connection at its statement's first run, a second only while two reports
 * run at once, and closes them after 30 idle minutes (`IDLE_MS`); the connections are named in
 * `pg_stat_activity.application_name` (`helpdesk report <statement>`). So an API process holds up
 * to 2 × 4 connections more while reports are used, and a worker none.
 */
import type pg from 'pg';
import { createPool } from './database';

/** The period report's statements (store/reports-period.ts), each with a pool of its own. */
export type ReportStatement = 'groups' | 'messages' | 'series' | 'durations';

/** Connections of one statement's pool: a second serves a second report running at once. */
const CONNECTIONS_PER_STATEMENT = 2;

/**
 * How long an idle report connection stays open, ms: a team lead reading one report for a while
 * before the next still finds warm connections. Longer than the shared pool's five minutes, since
 * a new connection's first report costs about 100 ms more than on the shared pool (the server
 * process is new too: its connection, memory and catalog caches).
 */
const IDLE_MS = 30 * 60_000;

/** Where each report statement runs. */
export class ReportConnections {
  private readonly pools = new Map<ReportStatement, pg.Pool>();

  /**
   * @param openPool makes the pool of a statement, called once per statement at its first run.
   * @param owned whether `end()` closes the pools made (not a pool shared with its owner).
   */
  private constructor(
    private readonly openPool: (statement: ReportStatement) => pg.Pool,
    private readonly owned: boolean,
  ) {}

  /**
   * A pool of its own per statement on `databaseUrl`, 2 connections at most each.
   * @param log warns of a connection lost (a PostgreSQL restart), as the shared pool does.
   */
  static open(databaseUrl: string, log?: Parameters<typeof createPool>[2]): ReportConnections {
    return new ReportConnections(
      (statement) =>
        createPool(databaseUrl, CONNECTIONS_PER_STATEMENT, log, {
          applicationName: `helpdesk report ${statement}`,
          idleMs: IDLE_MS,
        }),
      true,
    );
  }

  /** Every statement on `pool` (tests that watch one pool's statements). */
  static sharing(pool: pg.Pool): ReportConnections {
    return new ReportConnections(() => pool, false);
  }

  /** The pool `statement` runs on, opened at its first use. */
  pool(statement: ReportStatement): pg.Pool {
    let pool = this.pools.get(statement);
    if (!pool) {
      pool = this.openPool(statement);
      this.pools.set(statement, pool);
    }
    return pool;
  }

  /** Closes the pools opened (a shared pool is closed by its owner, not here). */
  async end(): Promise<void> {
    const opened = [...this.pools.values()];
    this.pools.clear();
    if (this.owned) await Promise.all(opened.map((pool) => pool.end()));
  }
}
