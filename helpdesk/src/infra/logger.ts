/**
 * The one pino root logger (JSON to stdout). Children carry the request or job id. Message bodies
 * are logged only at debug level. The line format is the sidecar's too (wpp-sidecar/src/logger.ts):
 * `service`, `pid`, an ISO 8601 `time`, pino's numeric `level`, `msg`, so one log pipeline reads
 * both services.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Creates the root logger.
 * @param level pino level name, e.g. `info`.
 * @param service the `service` field of every line.
 * @param destination where lines go (stdout by default; tests pass a stream).
 */
export function createLogger(level: string, service = 'helpdesk', destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers["x-api-key"]', 'req.headers.authorization', '*.password', '*.passwordHash'],
      remove: true,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
