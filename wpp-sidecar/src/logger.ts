/**
 * The sidecar's single pino root logger (JSON to stdout). Message bodies, captions and vcards are never
 * logged at info level: log ids, types and sizes; put content at `debug` or below only.
 */
import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';

export type { Logger };

/**
 * Create the root logger. The line format is the helpdesk's too (helpdesk/src/infra/logger.ts):
 * `service`, `pid`, an ISO 8601 `time`, pino's numeric `level`, `msg`.
 * @param level - pino level name (`info`, `debug`, ... or `silent`).
 * @param destination - where lines go (stdout by default; tests pass a stream).
 * @returns a pino logger with `service: "wpp-sidecar"` on every line.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'wpp-sidecar', pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers["x-api-key"]', '*.body', '*.text', '*.caption'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
