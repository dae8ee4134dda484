/**
 * In-process entry point: wire config, outbox, media store, session and HTTP server.
 *
 * ```ts
 * import { startSidecar } from 'wpp-sidecar/src/app';
 * import { FakeWppClient } from 'wpp-sidecar/test/fake-wppconnect-client';
 * const fake = new FakeWppClient();
 * const sidecar = await startSidecar({ config, clientFactory: fake.factory() });
 * await sidecar.waitForState('connected');
 * fake.emitMessage({ ... });        // -> signed webhook to config.helpdeskWebhookUrl
 * // helpdesk calls `${sidecar.url}/api/send-message` -> fake.sent
 * await sidecar.stop();
 * ```
 * Production (`main.ts`) passes `createWppconnectFactory()`; tests pass a fake (see test/fake-wppconnect-client.ts).
 */
import path from 'node:path';
import type { SidecarConfig } from './config';
import { InboundHandler } from './inbound/inbound-handler';
import { createServer, startServer, stopServer } from './http/server';
import { createLogger } from './logger';
import type { Logger } from './logger';
import { MediaStore } from './media/media-store';
import { SidecarMetrics } from './metrics';
import { Outbox } from './outbox/outbox';
import { MessageSender } from './send/message-sender';
import type { ClientFactory } from './session/client';
import { LidResolver } from './session/lid-resolver';
import { printQr } from './session/qr-printer';
import { SessionManager } from './session/session-manager';
import type { SessionStatus } from './session/session-manager';
import type { SessionState } from './session/session-state';

export interface StartSidecarOptions {
  config: SidecarConfig;
  /** The WPPConnect seam: `createWppconnectFactory(...)` in production, `FakeWppClient#factory()` in tests. */
  clientFactory: ClientFactory;
  /** Defaults to a pino logger at `config.logLevel`. */
  logger?: Logger;
  /** Start the WhatsApp session immediately (default true). */
  startSession?: boolean;
  /** Print pairing QRs to the terminal (default true). */
  printQrToTerminal?: boolean;
}

/** A running sidecar. */
export interface RunningSidecar {
  /** Base URL of the HTTP API, e.g. `http://127.0.0.1:43123`. */
  url: string;
  config: SidecarConfig;
  session: SessionManager;
  outbox: Outbox;
  inbound: InboundHandler;
  mediaStore: MediaStore;
  /** Resolves when the session reaches `state` (rejects after `timeoutMs`, default 10 s). */
  waitForState(state: SessionState, timeoutMs?: number): Promise<SessionStatus>;
  /** Graceful stop: close the browser (tokens kept), flush inbound work, stop the outbox, close HTTP. */
  stop(): Promise<void>;
}

/**
 * Start the whole sidecar in this process.
 * @param options.config - validated config (`loadConfig(env)`); `port: 0` picks a free port.
 * @returns the running sidecar. @throws if the port cannot be bound or Redis options are invalid.
 */
export async function startSidecar(options: StartSidecarOptions): Promise<RunningSidecar> {
  const config = { ...options.config };
  const logger = options.logger ?? createLogger(config.logLevel);
  const mediaStore = new MediaStore(config.mediaDir);
  const lidResolver = new LidResolver();
  const metrics = new SidecarMetrics();
  const outbox = new Outbox({
    redisUrl: config.redisUrl,
    prefix: config.outboxPrefix,
    queueName: `outbox-${config.sessionName}`,
    webhookUrl: config.helpdeskWebhookUrl,
    webhookSecret: config.webhookSecret,
    timeoutMs: config.outbox.timeoutMs,
    maxAttempts: config.outbox.maxAttempts,
    backoffBaseMs: config.outbox.backoffBaseMs,
    backoffMaxMs: config.outbox.backoffMaxMs,
    logger: logger.child({ component: 'outbox' }),
    metrics,
  });
  let publicUrl = config.publicUrl;
  const inbound = new InboundHandler({
    channel: config.sessionName,
    forwardGroups: config.forwardGroups,
    publicUrl: () => publicUrl,
    mediaStore,
    lidResolver,
    enqueue: (event, requestId) => outbox.enqueue(event, requestId),
    logger: logger.child({ component: 'inbound' }),
    metrics,
    webhookMaxBytes: config.webhookMaxBytes,
  });
  const session = new SessionManager({
    session: config.sessionName,
    profileDir: path.join(config.tokensDir, config.sessionName),
    factory: options.clientFactory,
    reconnect: config.reconnect,
    settleTimeoutMs: config.browserCloseTimeoutMs,
    logger: logger.child({ component: 'session' }),
    onClient: (client) => inbound.attach(client),
    printQr: options.printQrToTerminal === false ? undefined : (code, attempt) => printQr(code, attempt),
    metrics,
  });
  const sender = new MessageSender({
    defaultCountry: config.defaultCountry,
    client: () => session.connectedClient(),
    logger: logger.child({ component: 'send' }),
    metrics,
  });
  metrics.bind({ sessionState: () => session.status().state, outboxCounts: () => outbox.counts() });
  const app = createServer({
    apiKey: config.apiKey,
    session,
    sender,
    mediaStore,
    outboxStats: () => outbox.stats(),
    outboxRetry: (selection) => outbox.retryDeadLetters(selection),
    logger,
    uploadDir: config.uploadTmpDir,
    metrics,
    metricsToken: config.metricsToken,
  });
  const url = await startServer(app, config.host, config.port);
  if (/:0$/.test(publicUrl)) publicUrl = url;
  config.publicUrl = publicUrl;
  outbox.start();
  if (options.startSession !== false) void session.start();
  logger.info({ url, session: config.sessionName }, 'wpp-sidecar listening');

  let stopping: Promise<void> | null = null;
  return {
    url,
    config,
    session,
    outbox,
    inbound,
    mediaStore,
    waitForState: (state, timeoutMs = 10_000) => waitForState(session, state, timeoutMs),
    stop: () => {
      stopping ??= (async () => {
        await session.stop();
        await inbound.close(5000); // logs, loudly, any event that never reached the outbox
        await outbox.close();
        await stopServer(app);
        logger.info('wpp-sidecar stopped');
      })();
      return stopping;
    },
  };
}

function waitForState(
  session: SessionManager,
  state: SessionState,
  timeoutMs: number,
): Promise<SessionStatus> {
  const current = session.status();
  if (current.state === state) return Promise.resolve(current);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      session.off('state', onState);
      reject(
        new Error(`session did not reach "${state}" within ${timeoutMs} ms (now ${session.status().state})`),
      );
    }, timeoutMs);
    const onState = (status: SessionStatus) => {
      if (status.state !== state) return;
      clearTimeout(timer);
      session.off('state', onState);
      resolve(status);
    };
    session.on('state', onState);
  });
}
