/**
 * The auto-reply rules in memory, so the inbound hot path reads no extra row: re-read every
 * AUTO_REPLY_RELOAD_MS (another process's writes) and after the API's own writes (`reload()`),
 * like the channel directory (channel-directory.ts).
 */
import type { AutoReplyRule } from '../domain/auto-reply';
import type { Logger } from '../infra/logger';
import { readAutoReplyRules } from '../store/auto-replies';
import type { Queryable } from '../store/sql';

/** How often the rules are re-read (ms). */
export const AUTO_REPLY_RELOAD_MS = 10_000;

export class AutoReplyDirectory {
  private current: readonly AutoReplyRule[] = [];
  private timer: NodeJS.Timeout | null = null;
  private reloading: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(
    private readonly pool: Queryable,
    private readonly log: Logger,
  ) {}

  /** The rules as last read, by position (empty before the first read). */
  rules(): readonly AutoReplyRule[] {
    return this.current;
  }

  /** Reads the rules now, then every `intervalMs`; `close()` stops it. */
  startReloading(intervalMs = AUTO_REPLY_RELOAD_MS): void {
    if (this.timer) return;
    const reload = () =>
      this.reload().catch((error: unknown) => this.log.warn({ err: error }, 'auto-replies not reloaded'));
    void reload();
    this.timer = setInterval(reload, intervalMs);
    this.timer.unref();
  }

  /** Stops the reload timer. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Re-reads the rules (calls made while one is in progress read once more after it, so a caller's
   * own write is seen).
   * @throws when the database cannot be read (the rules in memory stay as they were).
   */
  reload(): Promise<void> {
    if (this.reloading) {
      this.queued ??= this.reloading
        .catch(() => {})
        .then(() => {
          this.queued = null;
          return this.reload();
        });
      return this.queued;
    }
    this.reloading = readAutoReplyRules(this.pool)
      .then((rows) => {
        this.current = rows;
      })
      .finally(() => {
        this.reloading = null;
      });
    return this.reloading;
  }
}
