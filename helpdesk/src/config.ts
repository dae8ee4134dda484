/**
 * The helpdesk's configuration: environment variables validated with zod at start-up.
 * `.env.example` documents every variable; `loadConfig` fails with one line per bad variable,
 * naming it, the problem and an example.
 */
import { z } from 'zod';
import { parseBusinessHours, type WeeklySchedule } from './domain/business-hours';

const isTimeZone = (value: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Each variable with its rule and default; `examples` feeds the error messages. */
const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
      .default('postgresql://postgres@127.0.0.1:5432/helpdesk'),
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
    HELPDESK_PORT: z.coerce.number().int().min(0).max(65535).default(8000),
    WHATSAPP_PROVIDER: z.enum(['wppconnect', 'cloud']).default('wppconnect'),
    DEFAULT_COUNTRY: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code in capitals')
      .default('EG'),
    SIDECAR_URL: z.url({ message: 'must be a URL' }).default('http://127.0.0.1:21465'),
    SIDECAR_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
    SIDECAR_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    SIDECAR_TIMEOUT_MS: positiveInt(15000),
    WEBHOOK_MAX_BYTES: positiveInt(1024 * 1024),
    WEBHOOK_TOLERANCE_SECONDS: positiveInt(300),
    ADMIN_EMAIL: z.email({ message: 'must be an email address' }).optional(),
    ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
    UPLOADS_DIR: z.string().min(1).default('uploads'),
    MEDIA_MAX_BYTES: positiveInt(100 * 1024 * 1024),
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
    WORKER_CONCURRENCY: positiveInt(8),
    JOB_ATTEMPTS: positiveInt(10),
    JOB_BACKOFF_MS: positiveInt(1000),
    JOB_LOCK_MS: positiveInt(30000),
  })
  .superRefine((env, context) => {
    for (const name of ['SIDECAR_API_KEY', 'SIDECAR_WEBHOOK_SECRET', 'ADMIN_PASSWORD'] as const) {
      if (env[name]?.startsWith('replace-with-')) {
        context.addIssue({ code: 'custom', path: [name], message: 'is still the example value from .env.example' });
      }
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
  ADMIN_EMAIL: 'admin@pharmacy.example',
  ADMIN_PASSWORD: 'a long passphrase',
  BUSINESS_HOURS: 'sat-thu 09:00-23:00, fri 14:00-23:00',
  BUSINESS_TIMEZONE: 'Africa/Cairo',
  BOT_LANGUAGE: 'auto',
};

type Env = z.infer<typeof schema>;

export interface Config {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  databaseUrl: string;
  databasePoolSize: number;
  redisUrl: string;
  queuePrefix: string;
  host: string;
  port: number;
  provider: Env['WHATSAPP_PROVIDER'];
  defaultCountry: string;
  sidecar: { url: string; apiKey: string; webhookSecret: string; timeoutMs: number };
  webhook: { maxBytes: number; toleranceSeconds: number };
  admin: { email: string; password: string } | null;
  uploadsDir: string;
  mediaMaxBytes: number;
  businessHours: WeeklySchedule | null;
  businessTimeZone: string;
  bot: {
    language: Env['BOT_LANGUAGE'];
    textsFile: string | null;
    menuMaxAttempts: number;
    welcomeAfterSilenceMs: number;
  };
  reopenWindowMs: number;
  jobs: { concurrency: number; attempts: number; backoffMs: number; lockMs: number };
}

/** Thrown by `loadConfig` with every problem on its own line. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((line) => `  - ${line}`).join('\n')}`);
    this.name = 'ConfigError';
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
    port: env.HELPDESK_PORT,
    provider: env.WHATSAPP_PROVIDER,
    defaultCountry: env.DEFAULT_COUNTRY,
    sidecar: {
      url: env.SIDECAR_URL.replace(/\/+$/, ''),
      apiKey: env.SIDECAR_API_KEY ?? '',
      webhookSecret: env.SIDECAR_WEBHOOK_SECRET ?? '',
      timeoutMs: env.SIDECAR_TIMEOUT_MS,
    },
    webhook: { maxBytes: env.WEBHOOK_MAX_BYTES, toleranceSeconds: env.WEBHOOK_TOLERANCE_SECONDS },
    admin:
      env.ADMIN_EMAIL && env.ADMIN_PASSWORD ? { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD } : null,
    uploadsDir: env.UPLOADS_DIR,
    mediaMaxBytes: env.MEDIA_MAX_BYTES,
    businessHours,
    businessTimeZone: env.BUSINESS_TIMEZONE,
    bot: {
      language: env.BOT_LANGUAGE,
      textsFile: env.BOT_TEXTS_FILE ?? null,
      menuMaxAttempts: env.BOT_MENU_MAX_ATTEMPTS,
      welcomeAfterSilenceMs: env.WELCOME_AFTER_SILENCE_HOURS * 3_600_000,
    },
    reopenWindowMs: env.TICKET_REOPEN_WINDOW_MINUTES * 60_000,
    jobs: {
      concurrency: env.WORKER_CONCURRENCY,
      attempts: env.JOB_ATTEMPTS,
      backoffMs: env.JOB_BACKOFF_MS,
      lockMs: env.JOB_LOCK_MS,
    },
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
