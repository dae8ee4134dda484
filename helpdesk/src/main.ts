/**
 * The helpdesk process. `tsx src/main.ts [all|api|worker]`: `api` serves HTTP, `worker` runs the
 * queues' workers, `all` (the default, what `npm start` runs) both. SIGTERM and SIGINT stop
 * gracefully: the server stops accepting, jobs in progress finish, connections close.
 */
import { setPriority } from 'node:os';
import {
  ConfigError,
  databaseUrlProblem,
  loadConfig,
  loadDotEnv,
  redactedUrl,
  StartupError,
  type Config,
} from './config';
import { createContext, type Context } from './context';
import { startApi } from './http/server';
import { startMetricsServer } from './infra/metrics';
import { redisUnreachable } from './infra/redis';
import { startContextWorkers } from './jobs/workers';
import { ensureFirstAdmin } from './use-cases/agents/ensure-first-admin';
import { ensureConfiguredChannel } from './use-cases/channels/ensure-configured-channel';
import { applyDeploymentBusinessHours } from './use-cases/sla/apply-deployment-business-hours';

const role = process.argv[2] ?? 'all';
if (!['all', 'api', 'worker'].includes(role)) {
  console.error(`unknown role "${role}": use all, api or worker`);
  process.exit(1);
}

let config: Config;
try {
  loadDotEnv();
  config = loadConfig();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

/** How long the start-up checks wait for PostgreSQL and Redis, ms. */
const DEPENDENCY_CHECK_MS = 5000;

/**
 * Fails at start, in one line naming the variable, on what waiting cannot cure: Redis not
 * answering at REDIS_URL (else the process would report itself started and log reconnections
 * for ever) and a DATABASE_URL without the password PostgreSQL asks for. A database that is
 * merely down is left to the reachability probe (webhooks answer 503 until it is back).
 * @throws StartupError naming REDIS_URL or DATABASE_URL.
 */
async function checkDependencies(context: Context): Promise<void> {
  const redisProblem = await redisUnreachable(context.config.redisUrl, DEPENDENCY_CHECK_MS);
  if (redisProblem) {
    throw new StartupError(
      `REDIS_URL: Redis does not answer at ${redactedUrl(context.config.redisUrl)} (${redisProblem}): ` +
        'start Redis or set REDIS_URL to where it runs',
    );
  }
  const connected = context.pool.connect().then(
    (client) => {
      client.release();
      return null;
    },
    (error: unknown) => error,
  );
  const timedOut = new Promise<null>((resolve) => setTimeout(resolve, DEPENDENCY_CHECK_MS, null).unref());
  const problem = databaseUrlProblem(await Promise.race([connected, timedOut]));
  if (problem) throw new StartupError(problem);
}

let context: Context;
const stops: Array<() => Promise<void>> = [];
try {
  context = createContext(config);
  await checkDependencies(context);
} catch (error) {
  exitOnStartupProblem(error);
}
const { log } = context;

/** Ends the process with the one line a StartupError or ConfigError carries; rethrows anything else. */
function exitOnStartupProblem(error: unknown): never {
  if (error instanceof StartupError || error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

try {
  if (role !== 'worker') {
    if (await ensureFirstAdmin(context.db, config.admin))
      log.info({ email: config.admin?.email }, 'first admin created');
    // The channel the environment describes, before the first webhook can arrive.
    await ensureConfiguredChannel(context);
    // BUSINESS_HOURS changed since the last start: the response-time targets' due times follow.
    await applyDeploymentBusinessHours(context);
    const api = await startApi(context);
    stops.push(api.close);
    log.info({ url: api.url, provider: config.provider }, 'helpdesk API listening');
  }
  if (role === 'worker' && config.jobs.workerNice > 0) {
    // On a host shared with the API, webhooks are answered first and the queue absorbs the wait.
    setPriority(config.jobs.workerNice);
  }
  if (role !== 'api') {
    // A worker-only process reads the channels (the API seeds the configured one); a database not
    // answering yet is left to the reload timer and to each job's lookup.
    if (role === 'worker') {
      await context.channels
        .reload()
        .catch((error: unknown) => log.warn({ err: error }, 'channels not read yet; retrying'));
    }
    const workers = startContextWorkers(context);
    stops.push(() => workers.close());
    log.info({ concurrency: config.jobs.concurrency }, 'helpdesk workers started');
  }
  // A worker-only process serves no API: METRICS_PORT gives it GET /metrics and GET /health.
  if (role === 'worker' && config.metrics.port !== null) {
    const metricsPort = config.metrics.port;
    const metrics = await startMetricsServer({
      host: config.host,
      port: metricsPort,
      token: config.metrics.token,
      log,
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') throw error;
      throw new StartupError(
        `METRICS_PORT ${metricsPort} is already in use on ${config.host}: stop the other process or set METRICS_PORT to a free port`,
      );
    });
    stops.push(metrics.close);
    log.info({ url: `${metrics.url}/metrics` }, 'worker metrics listening');
  }
} catch (error) {
  exitOnStartupProblem(error);
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  for (const stop of stops) await stop().catch((error) => log.error({ err: error }, 'error while stopping'));
  await context.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
