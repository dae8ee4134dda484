/**
 * Sidecar configuration: read from environment variables, validated with zod at start-up.
 *
 * Every variable is documented in the repository's `.env.example` (section `# --- wpp-sidecar ---`).
 * Errors name the variable, the problem and an example of a valid value.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { secretProblem } from '@whatsapp-helpdesk/contract/secret-strength';
import { z } from 'zod';
import { DEFAULT_WEBHOOK_MAX_BYTES } from './events/webhook-limits';

/** Repository root (two levels above this file: wpp-sidecar/src -> repo). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The `.env` both services read (README: one `.env` at the repository root serves both). */
export const DOTENV_PATH = path.join(REPO_ROOT, '.env');

/**
 * Loads a `.env` file into `process.env`, as the helpdesk does (`process.loadEnvFile`): variables
 * already set in the environment win over the file. A missing file is not an error (Compose and
 * systemd pass real variables). Unlike the helpdesk it is not skipped under NODE_ENV=test: only
 * main.ts calls it, and the tests build their configuration with `loadConfig(env)` instead.
 * @param file - the file to read; the repository root's `.env` by default, whatever the cwd.
 * @returns the path read, or null when there is no such file.
 * @throws when the file exists but cannot be read or parsed.
 */
export function loadDotEnv(file: string = DOTENV_PATH): string | null {
  try {
    process.loadEnvFile(file);
    return file;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** A secret: refused when short, a placeholder or guessable (the contract's secret-strength.ts states the rule). */
const secret = z.string().superRefine((value, context) => {
  const problem = secretProblem(value);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});

/** Examples shown in error messages, one per variable. */
const EXAMPLES: Record<string, string> = {
  SIDECAR_PORT: '21465',
  SIDECAR_API_KEY: 'a long random string, e.g. `openssl rand -hex 32`',
  SIDECAR_WEBHOOK_SECRET: 'a long random string shared with the helpdesk, e.g. `openssl rand -hex 32`',
  HELPDESK_WEBHOOK_URL: 'http://127.0.0.1:8000/webhooks/wppconnect',
  SESSION_NAME: 'default',
  TOKENS_DIR: '/srv/helpdesk/tokens',
  UPLOADS_DIR: '/srv/helpdesk/uploads',
  PUPPETEER_EXECUTABLE_PATH: '/usr/bin/chromium',
  DEFAULT_COUNTRY: 'EG',
  FORWARD_GROUPS: 'false',
  REDIS_URL: 'redis://127.0.0.1:6379',
  OUTBOX_PREFIX: 'wpp-sidecar',
  LOG_LEVEL: 'info',
  SIDECAR_PUBLIC_URL: 'http://127.0.0.1:21465',
  METRICS_TOKEN: 'a long random string, e.g. `openssl rand -hex 32`',
  WEBHOOK_MAX_BYTES: '1048576',
};

const schema = z.object({
  SIDECAR_HOST: z.string().min(1).default('0.0.0.0'),
  SIDECAR_PORT: int(0, 65535).default(21465),
  SIDECAR_API_KEY: secret,
  SIDECAR_WEBHOOK_SECRET: secret,
  HELPDESK_WEBHOOK_URL: z.url().default('http://127.0.0.1:8000/webhooks/wppconnect'),
  SESSION_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "_" or "-"')
    .default('default'),
  TOKENS_DIR: z.string().min(1).default(path.join(REPO_ROOT, 'tokens')),
  UPLOADS_DIR: z.string().min(1).default(path.join(REPO_ROOT, 'uploads')),
  PUPPETEER_EXECUTABLE_PATH: z.string().min(1).default('/usr/bin/chromium'),
  DEFAULT_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code in capitals')
    .default('EG'),
  FORWARD_GROUPS: bool.default(false),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .default('redis://127.0.0.1:6379'),
  OUTBOX_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, ".", "_" or "-"')
    .default('wpp-sidecar'),
  // Budget for rejecting answers only: a helpdesk outage (connection refused, 502/503/504, 429) uses none.
  OUTBOX_MAX_ATTEMPTS: int(1, 1000).default(5),
  OUTBOX_BACKOFF_BASE_MS: int(1, 3_600_000).default(1000),
  OUTBOX_BACKOFF_MAX_MS: int(1, 3_600_000).default(60_000),
  WEBHOOK_TIMEOUT_MS: int(100, 300_000).default(10_000),
  WEBHOOK_MAX_BYTES: int(16 * 1024, 1024 * 1024 * 1024).default(DEFAULT_WEBHOOK_MAX_BYTES),
  RECONNECT_BASE_MS: int(1, 3_600_000).default(2000),
  RECONNECT_MAX_MS: int(1, 3_600_000).default(300_000),
  BROWSER_CLOSE_TIMEOUT_MS: int(100, 120_000).default(10_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SIDECAR_PUBLIC_URL: z.url().optional(),
  METRICS_TOKEN: secret.optional(),
});

/** The names of every environment variable the sidecar reads (checked against .env.example by a test). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

/** Validated, typed sidecar configuration. Durations are in milliseconds, sizes in bytes. */
export interface SidecarConfig {
  /** Interface the HTTP server binds to (SIDECAR_HOST, default 0.0.0.0). */
  host: string;
  /** HTTP port (SIDECAR_PORT, default 21465; 0 = any free port, used by tests). */
  port: number;
  /** Secret every `/api/*` caller sends in `X-API-Key`. */
  apiKey: string;
  /** HMAC-SHA256 key for the webhook signature. */
  webhookSecret: string;
  /** Where events are POSTed. */
  helpdeskWebhookUrl: string;
  /** WPPConnect session name; also the `channel` of every event. */
  sessionName: string;
  /** Parent of the Chromium profile dirs; the profile is `<tokensDir>/<sessionName>`. */
  tokensDir: string;
  /** Directory where inbound media files are written (`<uploadsDir>/sidecar`). */
  mediaDir: string;
  /**
   * Directory for `send-media` uploads while their request runs (`<uploadsDir>/sidecar-incoming`); on the
   * uploads volume rather than /tmp, which may be a small tmpfs. Emptied at start-up.
   */
  uploadTmpDir: string;
  /** Chromium binary launched by puppeteer. */
  chromiumPath: string;
  /** Default country (ISO alpha-2) for national phone numbers. */
  defaultCountry: string;
  /** Forward group messages too. */
  forwardGroups: boolean;
  redisUrl: string;
  /** BullMQ key prefix; the queue is named `outbox-<sessionName>`. */
  outboxPrefix: string;
  /**
   * Webhook delivery: `maxAttempts` rejecting answers (4xx, 500...) before dead-lettering (outages are
   * retried without limit), retry delay doubling from `backoffBaseMs` up to `backoffMaxMs`, POST timeout.
   */
  outbox: { maxAttempts: number; backoffBaseMs: number; backoffMaxMs: number; timeoutMs: number };
  /** The helpdesk's WEBHOOK_MAX_BYTES (same variable): larger events are shrunk to fit, in bytes. */
  webhookMaxBytes: number;
  reconnect: { baseMs: number; maxMs: number };
  browserCloseTimeoutMs: number;
  logLevel: string;
  /** Base URL the helpdesk uses to fetch media (`<publicUrl>/api/media/<id>`), no trailing slash. */
  publicUrl: string;
  /** When set, `GET /metrics` requires `Authorization: Bearer <token>` (METRICS_TOKEN). */
  metricsToken: string | null;
}

/** Thrown when the environment is invalid; `message` lists every problem, one per line. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Parse and validate the sidecar's environment.
 * @param env - variables to read (defaults to `process.env`).
 * @returns the typed config.
 * @throws ConfigError naming each bad variable, the problem and an example value.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): SidecarConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const problem =
        issue.code === 'invalid_type' && cleaned[name] === undefined ? 'is required' : issue.message;
      const example = EXAMPLES[name];
      return `${name} ${problem}${example ? ` (example: ${example})` : ''}`;
    });
    throw new ConfigError(`Invalid wpp-sidecar configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const publicUrl = (e.SIDECAR_PUBLIC_URL ?? `http://127.0.0.1:${e.SIDECAR_PORT}`).replace(/\/+$/, '');
  return {
    host: e.SIDECAR_HOST,
    port: e.SIDECAR_PORT,
    apiKey: e.SIDECAR_API_KEY,
    webhookSecret: e.SIDECAR_WEBHOOK_SECRET,
    helpdeskWebhookUrl: e.HELPDESK_WEBHOOK_URL,
    sessionName: e.SESSION_NAME,
    tokensDir: path.resolve(REPO_ROOT, e.TOKENS_DIR),
    mediaDir: path.join(path.resolve(REPO_ROOT, e.UPLOADS_DIR), 'sidecar'),
    uploadTmpDir: path.join(path.resolve(REPO_ROOT, e.UPLOADS_DIR), 'sidecar-incoming'),
    chromiumPath: e.PUPPETEER_EXECUTABLE_PATH,
    defaultCountry: e.DEFAULT_COUNTRY,
    forwardGroups: e.FORWARD_GROUPS,
    redisUrl: e.REDIS_URL,
    outboxPrefix: e.OUTBOX_PREFIX,
    outbox: {
      maxAttempts: e.OUTBOX_MAX_ATTEMPTS,
      backoffBaseMs: e.OUTBOX_BACKOFF_BASE_MS,
      backoffMaxMs: e.OUTBOX_BACKOFF_MAX_MS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
    },
    webhookMaxBytes: e.WEBHOOK_MAX_BYTES,
    reconnect: { baseMs: e.RECONNECT_BASE_MS, maxMs: e.RECONNECT_MAX_MS },
    browserCloseTimeoutMs: e.BROWSER_CLOSE_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
    publicUrl,
    metricsToken: e.METRICS_TOKEN ?? null,
  };
}
