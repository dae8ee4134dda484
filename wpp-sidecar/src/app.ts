/**
 * In-process entry point: wire config, outbox, media store, sessions and HTTP server.
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
 * Sessions: the default one (SESSION_NAME) and every profile found under TOKENS_DIR start at once; more are
 * added through `POST /api/sessions`. One outbox and one inbound handler serve them all; each session's state
 * changes are forwarded to the helpdesk as `session` events.
 * `GET /health` pings the outbox's Redis on a connection of its own (redis-probe.ts) and answers 503 once
 * `stop()` began; a session that cannot start says why on the terminal (stderr, as the QR codes), in
 * words, when the kind of failure is new.
 */
import type { SidecarConfig } from './config';
import { InboundHandler } from './inbound/inbound-handler';
import { createServer, startServer, stopServer } from './http/server';
import { createLogger } from './logger';
import type { Logger } from './logger';
import { MediaStore } from './media/media-store';
import { SidecarMetrics } from './metrics';
import { Outbox } from './outbox/outbox';
import type { ClientFactory } from './session/client';
import { LidResolver } from './session/lid-resolver';
import { RedisProbe } from './redis-probe';
import { printProblem, printQr } from './session/qr-printer';
import type { SessionManager, SessionStatus } from './session/session-manager';
import type { SessionState } from './session/session-state';
import { Sessions } from './session/sessions';

export interface StartSidecarOptions {
  config: SidecarConfig;
  /** The WPPConnect seam: `createWppconnectFactory(...)` in production, `FakeWppClient#factory()` in tests. */
  clientFactory: ClientFactory;
  /** Defaults to a pino logger at `config.logLevel`. */
  logger?: Logger;
  /** Start the WhatsApp sessions immediately (default true): the default one and those under TOKENS_DIR. */
  startSession?: boolean;
  /** Print pairing QRs, and why a session cannot start, to the terminal (stderr; default true). */
  printQrToTerminal?: boolean;
  /** Forward every session state change to the helpdesk as a `session` event (default true). */
  sessionEvents?: boolean;
}

/** A running sidecar. */
export interface RunningSidecar {
  /** Base URL of the HTTP API, e.g. `http://127.0.0.1:43123`. */
  url: string;
  config: SidecarConfig;
  /** Every session (the sessions API's). */
  sessions: Sessions;
  /** The default session's state machine (SESSION_NAME). */
  session: SessionManager;
  outbox: Outbox;
  inbound: InboundHandler;
  mediaStore: MediaStore;
  /**
   * Resolves when the session (default: the default one) reaches `state` (rejects after `timeoutMs`,
   * default 10 s, or at once for an unknown session).
   */
  waitForState(state: SessionState, timeoutMs?: number, session?: string): Promise<SessionStatus>;
  /** Graceful stop: close the browsers (tokens kept), flush inbound work, stop the outbox, close HTTP. */
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
  // Lids are WhatsApp-wide ids: one cache serves every session.
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
    forwardGroups: config.forwardGroups,
    publicUrl: () => publicUrl,
    mediaStore,
    lidResolver,
    enqueue: (event, requestId, lane) => outbox.enqueue(event, requestId, lane),
    logger: logger.child({ component: 'inbound' }),
    metrics,
    webhookMaxBytes: config.webhookMaxBytes,
  });
  const sessions = new Sessions({
    tokensDir: config.tokensDir,
    defaultSession: config.sessionName,
    factory: options.clientFactory,
    reconnect: config.reconnect,
    settleTimeoutMs: config.browserCloseTimeoutMs,
    defaultCountry: config.defaultCountry,
    logger: logger.child({ component: 'session' }),
    onClient: (name, client) => inbound.attach(client, name),
    printQr:
      options.printQrToTerminal === false
        ? undefined
        : (code, attempt, name) => printQr(code, attempt, undefined, name),
    printProblem: options.printQrToTerminal === false ? undefined : (text) => printProblem(text),
    metrics,
  });
  if (options.sessionEvents !== false) {
    sessions.on('state', (status: SessionStatus) => void inbound.handleSessionState(status));
  }
  const session = sessions.default.manager;
  metrics.bind({
    sessionStates: () => sessions.list().map((s) => ({ session: s.name, state: s.manager.status().state })),
    outboxCounts: () => outbox.counts(),
  });
  const redisProbe = new RedisProbe(config.redisUrl);
  let stopping: Promise<void> | null = null;
  const app = createServer({
    apiKey: config.apiKey,
    sessions,
    mediaStore,
    outboxStats: () => outbox.stats(),
    outboxRetry: (selection) => outbox.retryDeadLetters(selection),
    logger,
    uploadDir: config.uploadTmpDir,
    metrics,
    metricsToken: config.metricsToken,
    health: { redis: () => redisProbe.check(), stopping: () => stopping !== null },
  });
  let url: string;
  try {
    url = await startServer(app, config.host, config.port);
  } catch (error) {
    redisProbe.close();
    void outbox.close().catch(() => undefined);
    throw error;
  }
  if (/:0$/.test(publicUrl)) publicUrl = url;
  config.publicUrl = publicUrl;
  outbox.start();
  const started = options.startSession !== false ? await sessions.restore() : [config.sessionName];
  logger.info({ url, session: config.sessionName, sessions: started }, 'wpp-sidecar listening');

  return {
    url,
    config,
    sessions,
    session,
    outbox,
    inbound,
    mediaStore,
    waitForState: (state, timeoutMs = 10_000, name = config.sessionName) => {
      const target = sessions.get(name);
      if (!target) return Promise.reject(new Error(`no session named "${name}"`));
      return waitForState(target.manager, state, timeoutMs);
    },
    stop: () => {
      stopping ??= (async () => {
        await sessions.stop();
        await inbound.close(5000); // logs, loudly, any event that never reached the outbox
        await outbox.close();
        await stopServer(app);
        redisProbe.close();
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
