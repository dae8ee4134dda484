/**
 * The one pino root logger (JSON to stdout). Children carry the request or job id. Message bodies
 * are logged only at debug level.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

/** Creates the root logger. @param level pino level name, e.g. `info`. */
export function createLogger(level: string, name = 'helpdesk'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['req.headers["x-api-key"]', 'req.headers.authorization', '*.password', '*.passwordHash'],
      remove: true,
    },
  });
}
