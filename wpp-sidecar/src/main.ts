/**
 * `npm start -w wpp-sidecar`: load config, start the sidecar with the real WPPConnect client, and shut down
 * gracefully on SIGINT/SIGTERM (browser closed, tokens kept, outbox left in Redis for the next start).
 */
import { startSidecar } from './app';
import { ConfigError, DOTENV_PATH, loadConfig, loadDotEnv } from './config';
import { createLogger } from './logger';
import { createWppconnectFactory } from './session/wppconnect-client-factory';

async function main(): Promise<void> {
  let config;
  let dotEnv: string | null = null;
  try {
    // The repository's `.env` (not the cwd's: `npm run sidecar` runs in wpp-sidecar/); real
    // environment variables win over it.
    dotEnv = loadDotEnv();
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      const source = dotEnv
        ? `Read from the environment and ${dotEnv} (environment variables win).`
        : `No ${DOTENV_PATH}: read from the environment only.`;
      process.stderr.write(`${error.message}\n${source}\nSee .env.example for every variable.\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const clientFactory = createWppconnectFactory({
    chromiumPath: config.chromiumPath,
    closeTimeoutMs: config.browserCloseTimeoutMs,
    logger,
  });
  const sidecar = await startSidecar({ config, clientFactory, logger });

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    sidecar.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: String(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('unhandledRejection', (reason) => logger.error({ err: String(reason) }, 'unhandled rejection'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `wpp-sidecar failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
