/**
 * WPPConnect's log lines through the sidecar's pino logger, as JSON like every other line.
 *
 * WPPConnect logs through a winston logger: its `defaultLogger` prints coloured, padded text to the
 * console (`[session:client] Initializing...`, `Version not available for 2.3000.10305x, using latest
 * as fallback`), and `create({ logger })` takes another. It calls only (WPPConnect 2.3.x, dist/):
 * - `logger.log({ level, message, session, type, ...meta })` (api/layers/host.layer.js `log`), where
 *   `message` may be an Error (`this.log('error', error)`);
 * - `logger.error|warn|info|http(message, { session, type })` (controllers/initializer.js,
 *   controllers/browser.js).
 * `createWppconnectLogger` answers exactly those (winston's npm levels), writing one pino line each
 * with `component: "wppconnect"`, WPPConnect's `session` and `type`, and its level as `wppLevel`.
 * Levels are lowered one step (WPPConnect's `info` chatter is `debug` here; its `error` lines are
 * `warn`, since the session manager reports the failures they belong to in its own line); the
 * `Version not available … using latest as fallback` line (WPPConnect's pinned WhatsApp Web version is
 * not in @wppconnect/wa-version, and it loads the current one, as intended) is `debug`.
 * `silenceDefaultLogger` stops the console output of WPPConnect's `defaultLogger`, which the sidecar
 * never uses (welcome screen and update check are off; unhandled rejections are logged by main.ts).
 */
import type { CreateConfig } from '@wppconnect-team/wppconnect';
import type { Logger } from '../logger';
import { firstLine } from './start-failure';

/** winston's npm levels, as WPPConnect uses them. */
type WinstonLevel = 'error' | 'warn' | 'info' | 'http' | 'verbose' | 'debug' | 'silly';

const PINO_LEVEL: Record<WinstonLevel, 'warn' | 'debug' | 'trace'> = {
  error: 'warn',
  warn: 'warn',
  info: 'debug',
  http: 'debug',
  verbose: 'debug',
  debug: 'trace',
  silly: 'trace',
};

/** WPPConnect lines that are noise, not problems: logged at debug whatever their level. */
const NOISE = [/^Version not available for .*, using latest as fallback/];

/** What a WPPConnect line carries besides its message. */
interface Meta {
  session?: unknown;
  type?: unknown;
  [key: string]: unknown;
}

/** Called with every WPPConnect `error` line (text only): a possible cause of a failing start. */
export type ErrorLineListener = (
  message: string,
  meta: { session: string | null; type: string | null },
) => void;

/** The winston-shaped logger WPPConnect's `create({ logger })` gets. */
export type WppconnectLogger = NonNullable<CreateConfig['logger']>;

function text(message: unknown): string {
  if (message instanceof Error) return message.message;
  if (typeof message === 'string') return message;
  try {
    return JSON.stringify(message);
  } catch {
    return String(message);
  }
}

function levelOf(value: unknown): WinstonLevel {
  return typeof value === 'string' && value in PINO_LEVEL ? (value as WinstonLevel) : 'info';
}

/**
 * @param logger - the pino logger lines go to (its bindings, e.g. `session`, are kept).
 * @param onError - told of each `error` line (e.g. to keep it as the cause of a failing start).
 * @returns an object WPPConnect can use as its winston logger.
 */
export function createWppconnectLogger(logger: Logger, onError?: ErrorLineListener): WppconnectLogger {
  const write = (level: WinstonLevel, message: unknown, meta: Meta = {}) => {
    const { session, type, level: _level, message: _message, ...rest } = meta;
    const line = firstLine(text(message), 2000);
    const noise = NOISE.some((pattern) => pattern.test(line));
    const fields = {
      component: 'wppconnect',
      wppLevel: level,
      ...(typeof type === 'string' ? { type } : {}),
      ...(typeof session === 'string' ? { wppSession: session } : {}),
      ...(level === 'error' && message instanceof Error && message.stack ? { stack: message.stack } : {}),
      ...(Object.keys(rest).length ? { meta: rest } : {}),
    };
    logger[noise ? 'debug' : PINO_LEVEL[level]](fields, line);
    if (level === 'error' && !noise) {
      onError?.(line, {
        session: typeof session === 'string' ? session : null,
        type: typeof type === 'string' ? type : null,
      });
    }
  };
  const at = (level: WinstonLevel) => (message: unknown, meta?: Meta) => {
    write(level, message, meta);
    return adapter;
  };
  const adapter = {
    level: 'silly',
    /** `log({ level, message, ...meta })` or `log(level, message, meta)`, as winston takes it. */
    log(levelOrInfo: unknown, message?: unknown, meta?: Meta) {
      if (levelOrInfo && typeof levelOrInfo === 'object') {
        const info = levelOrInfo as Meta & { level?: unknown; message?: unknown };
        write(levelOf(info.level), info.message, info);
      } else {
        write(levelOf(levelOrInfo), message, meta);
      }
      return adapter;
    },
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    http: at('http'),
    verbose: at('verbose'),
    debug: at('debug'),
    silly: at('silly'),
    isLevelEnabled: () => true,
    child: () => adapter,
  };
  return adapter as unknown as WppconnectLogger;
}

/** The part of a winston logger `silenceDefaultLogger` touches. */
export interface SilenceableLogger {
  silent?: boolean;
}

/** Stops a winston logger (WPPConnect's `defaultLogger`) from writing anything. */
export function silenceDefaultLogger(defaultLogger: SilenceableLogger): void {
  defaultLogger.silent = true;
}
