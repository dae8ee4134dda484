/**
 * The helpdesk's configuration: environment variables validated with zod at start-up.
 * `.env.example` documents every variable; `loadConfig` fails with one line per bad variable,
 * naming it, the problem and an example.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { SECRET_MIN_LENGTH, secretProblem } from '@whatsapp-helpdesk/contract/secret-strength';
import { isTimeZone, parseBusinessHours, type WeeklySchedule } from './domain/business-hours';
import { DEFAULT_INBOUND_SHARDS, MAX_INBOUND_SHARDS } from './jobs/inbound-shards';
import {
  DEFAULT_OPT_IN_WORDS,
  DEFAULT_OPT_OUT_WORDS,
  parseOptOutWords,
  type OptOutWords,
} from './domain/opt-out';

/**
 * The repository root: a relative UPLOADS_DIR is resolved against it, as the sidecar does, so both
 * services share one folder whichever directory npm started them in.
 */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The local database, used when DATABASE_URL is unset. */
export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/helpdesk';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** A TCP port; one message for every way a value can fail to be one ("abc", 70000, 8.5). */
const port = () => {
  const message = 'must be a port number from 0 to 65535';
  return z.coerce.number({ message }).int({ message }).min(0, message).max(65535, message);
};

/** The Cloud API settings without a default: required when WHATSAPP_PROVIDER=cloud. */
const CLOUD_API_REQUIRED = [
  'CLOUD_API_VERSION',
  'CLOUD_API_TOKEN',
  'CLOUD_API_PHONE_NUMBER_ID',
  'CLOUD_API_APP_SECRET',
  'CLOUD_API_VERIFY_TOKEN',
] as const;

/** Secrets machines exchange: refused when a placeholder or guessable (secret-strength.ts). */
const MACHINE_SECRETS = [
  'SIDECAR_API_KEY',
  'SIDECAR_WEBHOOK_SECRET',
  'METRICS_TOKEN',
  'CLOUD_API_APP_SECRET',
  'CLOUD_API_VERIFY_TOKEN',
  'CHANNEL_SECRETS_KEY',
] as const;

/** CHANNEL_SECRETS_KEY's minimum length, characters (the key of the channels' secrets at rest). */
export const CHANNEL_SECRETS_KEY_MIN_LENGTH = 32;

/** Each variable with its rule and default; `examples` feeds the error messages. */
const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
      .default(DEFAULT_DATABASE_URL),
    DATABASE_POOL_SIZE: positiveInt(10),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// URL')
      .default('redis://127.0.0.1:6379'),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
      .default('helpdesk'),
    HELPDESK_HOST: z.string().default('0.0.0.0'),
    TRUST_PROXY: z
      .string()
      .regex(
        /^(true|false|[0-9a-fA-F.:/, ]*[.:/][0-9a-fA-F.:/, ]*)$/,
        "must be true, false, or the proxies' addresses/CIDRs",
      )
      .default('false'),
    HELPDESK_PORT: port().default(8000),
    WHATSAPP_PROVIDER: z.enum(['wppconnect', 'cloud']).default('wppconnect'),
    DEFAULT_COUNTRY: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code in capitals')
      .default('EG'),
    SIDECAR_URL: z.url({ message: 'must be a URL' }).default('http://127.0.0.1:21465'),
    SIDECAR_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
    SIDECAR_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    SIDECAR_TIMEOUT_MS: positiveInt(15000),
    // --- channels (the WhatsApp numbers; SPEC section 9) ---
    // Required (checked below, so that every other problem is reported with it).
    CHANNEL_SECRETS_KEY: z
      .string()
      .min(CHANNEL_SECRETS_KEY_MIN_LENGTH, `must be at least ${CHANNEL_SECRETS_KEY_MIN_LENGTH} characters`)
      .optional(),
    CHANNEL_NAME: z.string().trim().min(1).max(100, 'must be at most 100 characters').default('WhatsApp'),
    SESSION_NAME: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only (at most 64)')
      .default('default'),
    WEBHOOK_MAX_BYTES: positiveInt(1024 * 1024),
    WEBHOOK_TOLERANCE_SECONDS: positiveInt(300),
    ADMIN_EMAIL: z.email({ message: 'must be an email address' }).optional(),
    ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
    UPLOADS_DIR: z.string().min(1).default('uploads'),
    MEDIA_MAX_BYTES: positiveInt(100 * 1024 * 1024),
    MEDIA_DOWNLOAD_TIMEOUT_MS: positiveInt(120_000),
    BUSINESS_HOURS: z.string().default(''),
    BUSINESS_TIMEZONE: z
      .string()
      .refine(isTimeZone, 'must be an IANA time zone such as Africa/Cairo')
      .default('Africa/Cairo'),
    BOT_LANGUAGE: z.enum(['auto', 'ar', 'en']).default('auto'),
    BOT_TEXTS_FILE: z.string().optional(),
    BOT_MENU_MAX_ATTEMPTS: positiveInt(3),
    WELCOME_AFTER_SILENCE_HOURS: positiveInt(24),
    TICKET_REOPEN_WINDOW_MINUTES: z.coerce.number().int().min(0).default(1440),
    /** Comma-separated words that opt a customer out of reminders and broadcasts (domain/opt-out.ts). */
    OPT_OUT_WORDS: z.string().default(DEFAULT_OPT_OUT_WORDS),
    /** Comma-separated words that opt a customer in again. */
    OPT_IN_WORDS: z.string().default(DEFAULT_OPT_IN_WORDS),
    /** Outgoing webhooks (issue 17): attempts of a delivery, and the first backoff wait (doubling), ms. */
    OUTGOING_WEBHOOK_ATTEMPTS: positiveInt(8),
    OUTGOING_WEBHOOK_BACKOFF_MS: positiveInt(5000),
    /** For tests and closed networks only: allow outgoing webhook URLs on private addresses. */
    ALLOW_PRIVATE_WEBHOOK_URLS: z
      .enum(['true', 'false'], { message: 'must be true or false' })
      .default('false'),
    CSAT_ENABLED: z.enum(['true', 'false'], { message: 'must be true or false' }).default('true'),
    WORKER_CONCURRENCY: positiveInt(8),
    INBOUND_BATCH_SIZE: positiveInt(32),
    INBOUND_SHARDS: z.coerce
      .number({ message: 'must be a whole number from 1 to 16' })
      .int('must be a whole number from 1 to 16')
      .min(1, 'must be a whole number from 1 to 16')
      .max(MAX_INBOUND_SHARDS, 'must be a whole number from 1 to 16')
      .default(DEFAULT_INBOUND_SHARDS),
    JOB_ATTEMPTS: positiveInt(10),
    JOB_BACKOFF_MS: positiveInt(1000),
    JOB_LOCK_MS: positiveInt(30000),
    JOB_INFRASTRUCTURE_RETRY_MAX_MS: positiveInt(60000),
    DATABASE_PROBE_INTERVAL_MS: positiveInt(1000),
    DATABASE_PROBE_TIMEOUT_MS: positiveInt(1000),
    WORKER_NICE: z.coerce.number().int().min(0, 'must be 0 to 19').max(19, 'must be 0 to 19').default(10),
    // --- agents' API ---
    SESSION_TTL_HOURS: positiveInt(12),
    SESSION_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
    LOGIN_RATE_LIMIT_PER_MINUTE: positiveInt(10),
    LOGIN_ADDRESS_RATE_LIMIT_PER_MINUTE: positiveInt(30),
    REALTIME_MAX_EVENTS: positiveInt(10000),
    AGENT_PRESENCE_GRACE_MS: z.coerce
      .number({ message: 'must be a whole number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .min(1000, 'must be at least 1000 (1 second)')
      .max(86_400_000, 'must be at most 86400000 (one day)')
      .default(120_000),
    // --- WhatsApp Cloud API (required when WHATSAPP_PROVIDER=cloud) ---
    CLOUD_API_BASE_URL: z.url({ message: 'must be a URL' }).default('https://graph.facebook.com'),
    CLOUD_API_VERSION: z
      .string()
      .regex(/^v\d+\.\d+$/, 'must be a Graph API version such as v23.0')
      .optional(),
    CLOUD_API_TOKEN: z.string().min(20, 'must be at least 20 characters').optional(),
    CLOUD_API_PHONE_NUMBER_ID: z
      .string()
      .regex(/^\d{5,32}$/, 'must be the digits of the phone number id (not the phone number)')
      .optional(),
    CLOUD_API_BUSINESS_ACCOUNT_ID: z
      .string()
      .regex(/^\d{5,32}$/, 'must be the digits of the WhatsApp Business Account id')
      .optional(),
    CLOUD_API_APP_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    CLOUD_API_VERIFY_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    CLOUD_API_MAX_MPS: positiveInt(80),
    CLOUD_API_TIMEOUT_MS: positiveInt(15000),
    // --- metrics (GET /metrics, Prometheus) ---
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    METRICS_PORT: port().optional(),
  })
  .superRefine((env, context) => {
    if (env.ADMIN_PASSWORD?.startsWith('replace-with-')) {
      context.addIssue({
        code: 'custom',
        path: ['ADMIN_PASSWORD'],
        message: 'is still the example value from .env.example',
      });
    }
    // Machine secrets: no placeholder and nothing guessable (secret-strength.ts). Shorter values
    // already have their own "at least N characters" message.
    for (const name of MACHINE_SECRETS) {
      const value = env[name];
      const problem = value && value.length >= SECRET_MIN_LENGTH ? secretProblem(value) : null;
      if (problem) context.addIssue({ code: 'custom', path: [name], message: problem });
    }
    if (!env.CHANNEL_SECRETS_KEY) {
      context.addIssue({
        code: 'custom',
        path: ['CHANNEL_SECRETS_KEY'],
        message: 'is required (scripts/setup-env.mjs creates it in .env)',
      });
    }
    if (env.WHATSAPP_PROVIDER === 'wppconnect') {
      for (const name of ['SIDECAR_API_KEY', 'SIDECAR_WEBHOOK_SECRET'] as const) {
        if (!env[name]) {
          context.addIssue({
            code: 'custom',
            path: [name],
            message: 'is required when WHATSAPP_PROVIDER=wppconnect',
          });
        }
      }
    }
    if (env.WHATSAPP_PROVIDER === 'cloud') {
      for (const name of CLOUD_API_REQUIRED) {
        if (!env[name]) {
          context.addIssue({
            code: 'custom',
            path: [name],
            message: 'is required when WHATSAPP_PROVIDER=cloud',
          });
        } else if (
          env[name].startsWith('replace-with-') &&
          !(MACHINE_SECRETS as readonly string[]).includes(name)
        ) {
          context.addIssue({
            code: 'custom',
            path: [name],
            message: 'is still the example value from .env.example',
          });
        }
      }
    }
    if (env.ADMIN_EMAIL && !env.ADMIN_PASSWORD) {
      context.addIssue({
        code: 'custom',
        path: ['ADMIN_PASSWORD'],
        message: 'is required when ADMIN_EMAIL is set',
      });
    }
  });

const examples: Record<string, string> = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/helpdesk',
  REDIS_URL: 'redis://127.0.0.1:6379',
  HELPDESK_PORT: '8000',
  WHATSAPP_PROVIDER: 'wppconnect',
  DEFAULT_COUNTRY: 'EG',
  SIDECAR_URL: 'http://127.0.0.1:21465',
  SIDECAR_API_KEY: 'a random string of 32 characters',
  SIDECAR_WEBHOOK_SECRET: 'a random string of 32 characters',
  CHANNEL_SECRETS_KEY: 'a random string of 64 characters (openssl rand -hex 32)',
  CHANNEL_NAME: 'Nasr City branch',
  SESSION_NAME: 'default',
  ADMIN_EMAIL: 'admin@pharmacy.example',
  ADMIN_PASSWORD: 'a long passphrase',
  BUSINESS_HOURS: 'sat-thu 09:00-23:00, fri 14:00-23:00',
  BUSINESS_TIMEZONE: 'Africa/Cairo',
  BOT_LANGUAGE: 'auto',
  CLOUD_API_BASE_URL: 'https://graph.facebook.com',
  CLOUD_API_VERSION: 'v23.0',
  CLOUD_API_TOKEN: 'the access token of a system user with whatsapp_business_messaging',
  CLOUD_API_PHONE_NUMBER_ID: '106540352242922',
  CLOUD_API_BUSINESS_ACCOUNT_ID: '102290129340398',
  CLOUD_API_APP_SECRET: 'the app secret from the Meta app dashboard',
  CLOUD_API_VERIFY_TOKEN: 'a random string of 32 characters',
  CLOUD_API_MAX_MPS: '80',
  AGENT_PRESENCE_GRACE_MS: '120000',
};

type Env = z.infer<typeof schema>;

/**
 * Settings only tests set, read only under NODE_ENV=test (so they are neither documented in
 * .env.example nor passed by docker-compose.yml, and a deployment cannot shorten a day by mistake).
 */
const testOnlySchema = z.object({
  /** The length of a "day" of reminders (inDays, refill intervals), ms. */
  REMINDER_DAY_MS: positiveInt(86_400_000),
});

/** The names of every environment variable the helpdesk reads (checked against .env.example by a test). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

export interface Config {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  databaseUrl: string;
  databasePoolSize: number;
  redisUrl: string;
  queuePrefix: string;
  host: string;
  /** Which reverse proxies to believe for the client address (Express's `trust proxy`): rate limits use it. */
  trustProxy: boolean | string;
  port: number;
  provider: Env['WHATSAPP_PROVIDER'];
  defaultCountry: string;
  sidecar: { url: string; apiKey: string; webhookSecret: string; timeoutMs: number };
  /**
   * The channels (WhatsApp numbers, SPEC section 9). The environment describes one, created or
   * updated on start (use-cases/channels/ensure-configured-channel.ts); admins add the others.
   */
  channels: {
    /** CHANNEL_SECRETS_KEY: keys the encryption of the channels' secrets at rest (infra/secret-box.ts). */
    secretsKey: string;
    /** CHANNEL_NAME: the configured channel's name. */
    name: string;
    /** SESSION_NAME: the sidecar session of the configured channel (WHATSAPP_PROVIDER=wppconnect). */
    session: string;
  };
  webhook: { maxBytes: number; toleranceSeconds: number };
  admin: { email: string; password: string } | null;
  /** Absolute: a relative UPLOADS_DIR is taken from the repository root. */
  uploadsDir: string;
  mediaMaxBytes: number;
  /** MEDIA_DOWNLOAD_TIMEOUT_MS: longest time an inbound media item's body may take to arrive, ms. */
  mediaDownloadTimeoutMs: number;
  businessHours: WeeklySchedule | null;
  businessTimeZone: string;
  bot: {
    language: Env['BOT_LANGUAGE'];
    textsFile: string | null;
    menuMaxAttempts: number;
    welcomeAfterSilenceMs: number;
    /** Ask for a satisfaction rating (CSAT) when an agent resolves a ticket (CSAT_ENABLED). */
    csatEnabled: boolean;
  };
  reopenWindowMs: number;
  /** Scheduled messages and opt-out (issue 17). */
  reminders: {
    /** OPT_OUT_WORDS and OPT_IN_WORDS, folded. */
    optOut: OptOutWords;
    /** A day of reminders, ms: 86 400 000 (REMINDER_DAY_MS shortens it under NODE_ENV=test only). */
    dayMs: number;
  };
  /** Outgoing webhooks (issue 17, jobs/webhook-jobs.ts). */
  outgoingWebhooks: {
    /** OUTGOING_WEBHOOK_ATTEMPTS: attempts of one delivery (BullMQ, exponential backoff). */
    attempts: number;
    /** OUTGOING_WEBHOOK_BACKOFF_MS: the first wait between attempts, ms (doubling). */
    backoffMs: number;
    /** ALLOW_PRIVATE_WEBHOOK_URLS: accept URLs on loopback and private addresses (tests). */
    allowPrivateUrls: boolean;
  };
  jobs: {
    /** Outbound jobs at once per worker process. */
    concurrency: number;
    /**
     * Most inbound jobs (an event or a shard's batch) stored in one transaction, and taken at once
     * from one shard (1: one at a time).
     */
    inboundBatchSize: number;
    /**
     * The inbound shards events are routed to (1 … 16): each runs one job at a time, so fewer mean
     * larger batches under load and more mean a slow media download holds fewer customers back.
     */
    inboundShards: number;
    attempts: number;
    backoffMs: number;
    lockMs: number;
    /**
     * Longest wait between retries of a job stopped by an infrastructure error (database or Redis
     * unreachable, disk full), ms. Such retries never run out and do not count as attempts.
     */
    infrastructureRetryMaxMs: number;
    /** CPU priority (nice, 0-19) of a worker-only process: above 0 it yields to the API. */
    workerNice: number;
  };
  /** The API's database reachability probe (`SELECT 1`): webhooks answer 503 while it fails. */
  databaseProbe: { intervalMs: number; timeoutMs: number };
  /** The agents' API (helpdesk/src/http/routes/api) and its realtime stream. */
  agentsApi: {
    /** How long a login session lasts, ms. */
    sessionTtlMs: number;
    /** The session cookie's Secure flag: `auto` sets it on HTTPS requests only. */
    cookieSecure: 'auto' | 'true' | 'false';
    /** Login attempts per minute for one address and email. */
    loginAttemptsPerMinute: number;
    /** Login attempts per minute from one client address, whatever the email. */
    loginAttemptsPerAddressPerMinute: number;
    /** Realtime events kept in Redis for reconnecting streams to catch up on (approximate). */
    realtimeMaxEvents: number;
    /**
     * An `online` agent with no open console stream (`GET /api/stream`) for longer than this
     * becomes `away` and gets no new tickets, ms.
     */
    presenceGraceMs: number;
  };
  /** Meta's WhatsApp Cloud API (WHATSAPP_PROVIDER=cloud); empty strings for another provider. */
  cloud: {
    /** Graph API base URL, without a trailing slash. */
    baseUrl: string;
    /** Graph API version, e.g. v23.0. */
    version: string;
    token: string;
    /** The business phone number id: the channel of every ticket on this number. */
    phoneNumberId: string;
    /** The WhatsApp Business Account id (its message templates are synced from it); '' when unset. */
    businessAccountId: string;
    /** Signs the webhooks (X-Hub-Signature-256). */
    appSecret: string;
    /** Echoed in the webhook verification handshake. */
    verifyToken: string;
    /** Most messages sent per second from the number (Meta's default throughput is 80). */
    maxMps: number;
    /** Wait for a Graph API answer, ms. */
    timeoutMs: number;
  };
  /** Prometheus metrics (see docs/operations.md). */
  metrics: {
    /** GET /metrics requires `Authorization: Bearer <token>`; without a token it answers 401 to all. */
    token: string | null;
    /** The worker role's own metrics server port (GET /metrics, GET /health), or null for none. */
    port: number | null;
  };
}

/** Thrown by `loadConfig` with every problem on its own line. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((line) => `  - ${line}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Thrown at start for a problem only the environment can cure (a busy HELPDESK_PORT, Redis not
 * answering at REDIS_URL, a password missing from DATABASE_URL); the message is one line naming
 * the variable and what to do.
 */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/**
 * Reads and validates the configuration.
 * @param source environment variables (default `process.env`); empty strings count as unset.
 * @returns the typed configuration.
 * @throws ConfigError naming each bad variable, the problem and an example value.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(cleaned);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'configuration');
      const example = examples[name] ? ` (example: ${name}=${examples[name]})` : '';
      problems.push(`${name} ${issue.message}${example}`);
    }
    throw new ConfigError(problems);
  }
  const env = parsed.data;
  const testOnly = testOnlySchema.safeParse(env.NODE_ENV === 'test' ? cleaned : {});
  if (!testOnly.success) {
    throw new ConfigError(
      testOnly.error.issues.map((issue) => `${String(issue.path[0] ?? 'configuration')} ${issue.message}`),
    );
  }
  let businessHours: WeeklySchedule | null = null;
  try {
    businessHours = parseBusinessHours(env.BUSINESS_HOURS);
  } catch (error) {
    throw new ConfigError([
      `BUSINESS_HOURS ${(error as Error).message} (example: ${examples.BUSINESS_HOURS})`,
    ]);
  }
  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    redisUrl: env.REDIS_URL,
    queuePrefix: env.QUEUE_PREFIX,
    host: env.HELPDESK_HOST,
    // An address list is passed as written (Express's `trust proxy`).
    trustProxy: env.TRUST_PROXY === 'true' ? true : env.TRUST_PROXY === 'false' ? false : env.TRUST_PROXY,
    port: env.HELPDESK_PORT,
    provider: env.WHATSAPP_PROVIDER,
    defaultCountry: env.DEFAULT_COUNTRY,
    sidecar: {
      url: env.SIDECAR_URL.replace(/\/+$/, ''),
      apiKey: env.SIDECAR_API_KEY ?? '',
      webhookSecret: env.SIDECAR_WEBHOOK_SECRET ?? '',
      timeoutMs: env.SIDECAR_TIMEOUT_MS,
    },
    channels: {
      secretsKey: env.CHANNEL_SECRETS_KEY ?? '',
      name: env.CHANNEL_NAME,
      session: env.SESSION_NAME,
    },
    webhook: { maxBytes: env.WEBHOOK_MAX_BYTES, toleranceSeconds: env.WEBHOOK_TOLERANCE_SECONDS },
    admin:
      env.ADMIN_EMAIL && env.ADMIN_PASSWORD ? { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD } : null,
    uploadsDir: resolve(REPOSITORY_ROOT, env.UPLOADS_DIR),
    mediaMaxBytes: env.MEDIA_MAX_BYTES,
    mediaDownloadTimeoutMs: env.MEDIA_DOWNLOAD_TIMEOUT_MS,
    businessHours,
    businessTimeZone: env.BUSINESS_TIMEZONE,
    bot: {
      language: env.BOT_LANGUAGE,
      textsFile: env.BOT_TEXTS_FILE ?? null,
      menuMaxAttempts: env.BOT_MENU_MAX_ATTEMPTS,
      welcomeAfterSilenceMs: env.WELCOME_AFTER_SILENCE_HOURS * 3_600_000,
      csatEnabled: env.CSAT_ENABLED === 'true',
    },
    reopenWindowMs: env.TICKET_REOPEN_WINDOW_MINUTES * 60_000,
    reminders: {
      optOut: parseOptOutWords(env.OPT_OUT_WORDS, env.OPT_IN_WORDS),
      dayMs: testOnly.data.REMINDER_DAY_MS,
    },
    outgoingWebhooks: {
      attempts: env.OUTGOING_WEBHOOK_ATTEMPTS,
      backoffMs: env.OUTGOING_WEBHOOK_BACKOFF_MS,
      allowPrivateUrls: env.ALLOW_PRIVATE_WEBHOOK_URLS === 'true',
    },
    jobs: {
      concurrency: env.WORKER_CONCURRENCY,
      inboundBatchSize: env.INBOUND_BATCH_SIZE,
      inboundShards: env.INBOUND_SHARDS,
      attempts: env.JOB_ATTEMPTS,
      backoffMs: env.JOB_BACKOFF_MS,
      lockMs: env.JOB_LOCK_MS,
      infrastructureRetryMaxMs: env.JOB_INFRASTRUCTURE_RETRY_MAX_MS,
      workerNice: env.WORKER_NICE,
    },
    databaseProbe: { intervalMs: env.DATABASE_PROBE_INTERVAL_MS, timeoutMs: env.DATABASE_PROBE_TIMEOUT_MS },
    agentsApi: {
      sessionTtlMs: env.SESSION_TTL_HOURS * 3_600_000,
      cookieSecure: env.SESSION_COOKIE_SECURE,
      loginAttemptsPerMinute: env.LOGIN_RATE_LIMIT_PER_MINUTE,
      loginAttemptsPerAddressPerMinute: env.LOGIN_ADDRESS_RATE_LIMIT_PER_MINUTE,
      realtimeMaxEvents: env.REALTIME_MAX_EVENTS,
      presenceGraceMs: env.AGENT_PRESENCE_GRACE_MS,
    },
    cloud: {
      baseUrl: env.CLOUD_API_BASE_URL.replace(/\/+$/, ''),
      version: env.CLOUD_API_VERSION ?? '',
      token: env.CLOUD_API_TOKEN ?? '',
      phoneNumberId: env.CLOUD_API_PHONE_NUMBER_ID ?? '',
      businessAccountId: env.CLOUD_API_BUSINESS_ACCOUNT_ID ?? '',
      appSecret: env.CLOUD_API_APP_SECRET ?? '',
      verifyToken: env.CLOUD_API_VERIFY_TOKEN ?? '',
      maxMps: env.CLOUD_API_MAX_MPS,
      timeoutMs: env.CLOUD_API_TIMEOUT_MS,
    },
    metrics: { token: env.METRICS_TOKEN ?? null, port: env.METRICS_PORT ?? null },
  };
}

/**
 * Loads `.env` from the repository root into `process.env` when the file exists; variables
 * already set in the environment win. Skipped under NODE_ENV=test so tests see only what they set.
 */
export function loadDotEnv(path = new URL('../../.env', import.meta.url)): void {
  if (process.env.NODE_ENV === 'test') return;
  try {
    process.loadEnvFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** How DATABASE_URL carries a password, quoted by the messages below. */
const DATABASE_URL_WITH_PASSWORD = 'DATABASE_URL=postgresql://user:password@host:5432/helpdesk';

/**
 * Explains a PostgreSQL connection error that only a different DATABASE_URL can cure: the server
 * asks for a password the URL does not carry (node-postgres then fails with "SASL:
 * SCRAM-SERVER-FIRST-MESSAGE: client password must be a string", pg/lib/crypto/sasl.js), or refuses
 * the one it carries (SQLSTATE 28P01).
 * @returns one line naming DATABASE_URL and what to do, or null for any other error.
 */
export function databaseUrlProblem(error: unknown): string | null {
  const { message = '', code } = (error ?? {}) as { message?: string; code?: unknown };
  if (/client password must be a string|password must be a string/i.test(message)) {
    return (
      'DATABASE_URL has no password but PostgreSQL asks for one: put the password in it, ' +
      `e.g. ${DATABASE_URL_WITH_PASSWORD}`
    );
  }
  if (code === '28P01') {
    return (
      `DATABASE_URL: PostgreSQL refused its user or password (${message}): ` +
      `put the right ones in it, e.g. ${DATABASE_URL_WITH_PASSWORD}`
    );
  }
  return null;
}

/** `url` with its password hidden, for messages: `postgresql://user:***@host:5432/helpdesk`. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
