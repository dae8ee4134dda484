/**
 * The helpdesk process. `tsx src/main.ts [all|api|worker]`: `api` serves HTTP, `worker` runs the
 * queues' workers, `all` (the default, what `npm start` runs) both. SIGTERM and SIGINT stop
 * gracefully: the server stops accepting, jobs in progress finish, connections close.
 */
import { setPriority } from 'node:os';
import { ConfigError, loadConfig, loadDotEnv } from './config';
import { createContext } from './context';
import { startApi } from './http/server';
import { startMetricsServer } from './infra/metrics';
import { startContextWorkers } from './jobs/workers';
import { ensureFirstAdmin } from './use-cases/agents/ensure-first-admin';

const role = process.argv[2] ?? 'all';
if (!['all', 'api', 'worker'].includes(role)) {
  console.error(`unknown role "${role}": use all, api or worker`);
  process.exit(1);
}

let config;
try {
  loadDotEnv();
  config = loadConfig();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

const context = createContext(config);
const { log } = context;
const stops: Array<() => Promise<void>> = [];

if (role !== 'worker') {
  if (await ensureFirstAdmin(context.db, config.admin))
    log.info({ email: config.admin?.email }, 'first admin created');
  const api = await startApi(context);
  stops.push(api.close);
  log.info({ url: api.url, provider: config.provider }, 'helpdesk API listening');
}
if (role === 'worker' && config.jobs.workerNice > 0) {
  // On a host shared with the API, webhooks are answered first and the queue absorbs the wait.
  setPriority(config.jobs.workerNice);
}
if (role !== 'api') {
  const workers = startContextWorkers(context);
  stops.push(() => workers.close());
  log.info({ concurrency: config.jobs.concurrency }, 'helpdesk workers started');
}
// A worker-only process serves no API: METRICS_PORT gives it GET /metrics and GET /health.
if (role === 'worker' && config.metrics.port !== null) {
  const metrics = await startMetricsServer({
    host: config.host,
    port: config.metrics.port,
    token: config.metrics.token,
    log,
  });
  stops.push(metrics.close);
  log.info({ url: `${metrics.url}/metrics` }, 'worker metrics listening');
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
