/**
 * The sidecar's single pino root logger (JSON to stdout). Message bodies, captions and vcards are never
 * logged at info level: log ids, types and sizes; put content at `debug` or below only.
 */
import { pino } from 'pino';
import type { Logger } from 'pino';

export type { Logger };

/**
 * Create the root logger.
 * @param level - pino level name (`info`, `debug`, ... or `silent`).
 * @returns a pino logger with `service: "wpp-sidecar"` on every line.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'wpp-sidecar' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers["x-api-key"]', '*.body', '*.text', '*.caption'], censor: '[redacted]' },
  });
}
