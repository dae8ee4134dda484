/**
 * The process's shared parts, built once from the configuration: logger, database, Redis,
 * queues, drivers, media storage and bot settings. API, workers and CLI all start from here.
 */
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Config } from './config';
import type { BotSettings } from './domain/bot';
import { createDatabase, createPool, type Database } from './infra/db';
import { createLogger, type Logger } from './infra/logger';
import { createRedis } from './infra/redis';
import { MediaStorage } from './infra/storage';
import { createQueues, type Queues } from './jobs/queues';
import { loadBotSettings } from './services/bot-settings';
import { createDrivers, type DriverRegistry } from './whatsapp';

export interface Context {
  config: Config;
  log: Logger;
  /** The Prisma client (agents' API, admin work). */
  db: Database;
  /** The connection pool under `db`, for the hot paths' plain SQL. */
  pool: pg.Pool;
  /** Redis for enqueuing: fails fast when Redis is down. */
  redis: Redis;
  queues: Queues;
  drivers: DriverRegistry;
  storage: MediaStorage;
  bot: BotSettings;
  close(): Promise<void>;
}

/** @throws ConfigError when the bot texts file is invalid; Error when the provider has no driver. */
export function createContext(config: Config, log: Logger = createLogger(config.logLevel)): Context {
  const bot = loadBotSettings(config);
  const drivers = createDrivers(config);
  const pool = createPool(config.databaseUrl, config.databasePoolSize, log);
  const db = createDatabase(pool);
  const redis = createRedis(config.redisUrl, 'producer');
  redis.on('error', (error) => log.debug({ err: error }, 'redis (producer) error'));
  const queues = createQueues(redis, {
    prefix: config.queuePrefix,
    attempts: config.jobs.attempts,
    backoffMs: config.jobs.backoffMs,
  });
  return {
    config,
    log,
    db,
    pool,
    redis,
    queues,
    drivers,
    storage: new MediaStorage(config.uploadsDir),
    bot,
    async close() {
      await queues.close().catch(() => {});
      redis.disconnect();
      await db.$disconnect();
      await pool.end();
    },
  };
}
