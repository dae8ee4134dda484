/**
 * The process's shared parts, built once from the configuration: logger, database, Redis,
 * queues, drivers, media storage, bot settings, the realtime publisher and the database's
 * reachability. API, workers and CLI all start from here; use cases take the parts they need
 * (`Pick<Deps, …>`), passed explicitly.
 */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { ConfigError, type Config } from './config';
import type { BotSettings } from './domain/bot';
import { botTextsSchema, DEFAULT_BOT_TEXTS } from './domain/bot-texts';
import { DatabaseHealth } from './store/database-health';
import { createDatabase, createPool, type Database, type Pool } from './store/database';
import { ReportConnections } from './store/report-connections';
import { createLogger, type Logger } from './infra/logger';
import { createRedis } from './infra/redis';
import { SecretBox } from './infra/secret-box';
import { MediaStorage } from './infra/storage';
import { createQueues, outboundJobMaxMessagesFor, type Queues } from './jobs/queues';
import { RedisRealtimePublisher, realtimeStreamKey, type RealtimePublisher } from './realtime/publish';
import { createDrivers, type DriverRegistry } from './whatsapp';
import { AutoReplyDirectory } from './whatsapp/auto-reply-directory';
import { ChannelDirectory } from './whatsapp/channel-directory';

/** Everything a use case, job or route may depend on: every part always exists. */
export interface Deps {
  config: Config;
  log: Logger;
  /** The Prisma client (agents' API, admin work). */
  db: Database;
  /** The connection pool under `db`, for the hot paths' plain SQL. */
  pool: Pool;
  /** The period report's statements' own connections (store/report-connections.ts). */
  reportConnections: ReportConnections;
  /** Redis for enqueuing: fails fast when Redis is down. */
  redis: Redis;
  queues: Queues;
  drivers: DriverRegistry;
  /**
   * The channels (WhatsApp numbers) in memory, secrets decrypted; re-read every 10 s and after the
   * API's own writes (`reload()`).
   */
  channels: ChannelDirectory;
  /** The auto-reply rules in memory; re-read every 10 s and after the API's own writes (`reload()`). */
  autoReplies: AutoReplyDirectory;
  /** Seals and opens channels' secrets (CHANNEL_SECRETS_KEY). */
  secretBox: SecretBox;
  storage: MediaStorage;
  bot: BotSettings;
  /** Publishes realtime events to the agents' consoles (best effort; never throws). */
  realtime: RealtimePublisher;
  /** Whether PostgreSQL is reachable (probed by the API once started; see infra/database-health.ts). */
  databaseHealth: DatabaseHealth;
}

/** The shared parts and how to release them. */
export interface Context extends Deps {
  close(): Promise<void>;
}

/** @throws ConfigError when the bot texts file is invalid; Error when the provider has no driver. */
export function createContext(config: Config, log: Logger = createLogger(config.logLevel)): Context {
  const bot = loadBotSettings(config);
  const pool = createPool(config.databaseUrl, config.databasePoolSize, log);
  const reportConnections = ReportConnections.open(config.databaseUrl, log);
  const secretBox = new SecretBox(config.channels.secretsKey);
  const channels = new ChannelDirectory(
    pool,
    secretBox,
    { bot, businessHours: config.businessHours, businessTimeZone: config.businessTimeZone },
    log,
  );
  channels.startReloading();
  const autoReplies = new AutoReplyDirectory(pool, log);
  autoReplies.startReloading();
  const drivers = createDrivers(config, channels);
  const db = createDatabase(pool);
  const redis = createRedis(config.redisUrl, 'producer');
  redis.on('error', (error) => log.debug({ err: error }, 'redis (producer) error'));
  const queues = createQueues(redis, {
    prefix: config.queuePrefix,
    attempts: config.jobs.attempts,
    backoffMs: config.jobs.backoffMs,
    outboundJobMaxMessages: outboundJobMaxMessagesFor(config.provider),
    inboundShards: config.jobs.inboundShards,
  });
  const realtime = new RedisRealtimePublisher(
    redis,
    pool,
    realtimeStreamKey(config.queuePrefix),
    config.agentsApi.realtimeMaxEvents,
    log,
  );
  return {
    config,
    log,
    db,
    pool,
    reportConnections,
    redis,
    queues,
    drivers,
    channels,
    autoReplies,
    secretBox,
    storage: new MediaStorage(config.uploadsDir),
    bot,
    realtime,
    databaseHealth: new DatabaseHealth(config.databaseUrl),
    async close() {
      channels.close();
      autoReplies.close();
      await queues.close().catch(() => {});
      redis.disconnect();
      await db.$disconnect();
      await Promise.all([pool.end(), reportConnections.end()]);
    },
  };
}

/**
 * What a script (the admin CLI) works with: the database only, and a realtime publisher that
 * publishes nothing (`silentRealtimePublisher`). Built by the script itself so that it starts
 * without loading the drivers and queues.
 */
export interface ScriptDeps extends Pick<Deps, 'db' | 'pool' | 'realtime'> {
  close(): Promise<void>;
}

/**
 * Loads the bot's texts (defaults, or BOT_TEXTS_FILE) into the settings the bot rules take.
 * @throws ConfigError when BOT_TEXTS_FILE cannot be read or does not match the texts' shape.
 */
export function loadBotSettings(config: Config): BotSettings {
  let texts = DEFAULT_BOT_TEXTS;
  if (config.bot.textsFile) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(config.bot.textsFile, 'utf8'));
    } catch (error) {
      throw new ConfigError([`BOT_TEXTS_FILE cannot be read as JSON: ${(error as Error).message}`]);
    }
    const parsed = botTextsSchema.partial().safeParse(json);
    if (!parsed.success) {
      throw new ConfigError(
        parsed.error.issues.map((issue) => `BOT_TEXTS_FILE ${issue.path.join('.')}: ${issue.message}`),
      );
    }
    texts = { ...DEFAULT_BOT_TEXTS, ...parsed.data };
  }
  return {
    texts,
    language: config.bot.language,
    menuMaxAttempts: config.bot.menuMaxAttempts,
    welcomeAfterSilenceMs: config.bot.welcomeAfterSilenceMs,
    csat: config.bot.csatEnabled,
  };
}
