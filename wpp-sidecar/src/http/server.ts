/**
 * The sidecar's HTTP server (fastify): thin routes over the session, sender, media store and outbox.
 * `createServer` builds it, `startServer` listens (port 0 = any free port, used by tests), `stopServer` closes.
 *
 * Authentication rule: every route declared under the `/api` scope is authenticated. The scope is one
 * encapsulated plugin (prefix `/api`) whose onRequest hook checks `X-API-Key`; it runs on the route the
 * router matched (after percent-decoding), never on the raw URL, so `/%61pi/...` cannot skip it. A route
 * whose path starts with `/api` declared anywhere else stops the server from starting.
 */
import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { MediaStore } from '../media/media-store';
import { MAX_MEDIA_BYTES } from '../media/size-limits';
import type { SidecarMetrics } from '../metrics';
import type { OutboxStats, RetrySelection } from '../outbox/outbox';
import type { MessageSender } from '../send/message-sender';
import type { SessionManager } from '../session/session-manager';
import { apiKeyChecker } from './auth';
import { registerMediaRoutes } from './routes/media';
import { registerMetricsRoutes } from './routes/metrics';
import { registerOutboxRoutes } from './routes/outbox';
import { registerSendRoutes } from './routes/send';
import { registerHealthRoute, registerStatusRoutes } from './routes/status';

export interface ServerDeps {
  apiKey: string;
  session: SessionManager;
  sender: MessageSender;
  mediaStore: MediaStore;
  outboxStats(): Promise<OutboxStats>;
  /** Re-drives dead letters (`POST /api/outbox/retry`); see `Outbox.retryDeadLetters`. */
  outboxRetry(selection: RetrySelection): Promise<{ retried: string[] }>;
  logger: Logger;
  /** Served at GET /metrics when given. */
  metrics?: SidecarMetrics;
  /** METRICS_TOKEN: when set, GET /metrics requires it as a bearer token. */
  metricsToken?: string | null;
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The authenticated scope: every route under it needs `X-API-Key`. */
const API_PREFIX = '/api';

/** Build the fastify app (not listening yet). */
export function createServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    bodyLimit: 1024 * 1024,
    // The helpdesk's X-Request-Id (one id per customer message, across both services) when sane,
    // else a fresh UUID; request log lines carry it as `requestId` (logController above).
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const checkKey = apiKeyChecker(deps.apiKey);

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  // Refuses, at start-up, an /api route declared outside the authenticated scope below (any case:
  // such a route would be an unauthenticated twin of the real one).
  app.addHook('onRoute', (route) => {
    const underApi = route.prefix === API_PREFIX || route.prefix.startsWith(`${API_PREFIX}/`);
    if (/^\/api(\/|$)/i.test(route.url) && !underApi) {
      throw new Error(
        `route ${route.url} must be declared in the ${API_PREFIX} scope (server.ts) to be authenticated`,
      );
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug(
      { method: request.method, url: request.routeOptions.url, status: reply.statusCode },
      'http',
    );
  });

  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      return reply.status(error.status).send({ error: error.code, message: error.message });
    }
    const status = error.statusCode ?? 500;
    if (status === 413 || error.code === 'FST_REQ_FILE_TOO_LARGE') {
      return reply.status(413).send({ error: 'payload_too_large', message: error.message });
    }
    if (status >= 400 && status < 500) {
      return reply.status(status).send({ error: 'invalid_request', message: error.message });
    }
    request.log.error({ err: error.message }, 'http: unhandled error');
    return reply.status(500).send({ error: 'internal', message: 'internal error; see the sidecar logs' });
  });
  const noRoute = (request: FastifyRequest, reply: FastifyReply) =>
    reply.status(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url}` });
  app.setNotFoundHandler(noRoute);

  void app.register(multipart, {
    limits: { fileSize: MAX_MEDIA_BYTES, files: 1, fields: 10, fieldSize: 64 * 1024 },
  });
  registerHealthRoute(app, deps.session);
  void app.register(
    async (api) => {
      api.addHook('onRequest', async (request) => checkKey(request.headers['x-api-key']));
      // Unknown paths under /api answer 401 without the key too (the hook above runs first).
      api.setNotFoundHandler(noRoute);
      registerStatusRoutes(api, deps.session);
      registerSendRoutes(api, deps.sender);
      registerMediaRoutes(api, deps.mediaStore);
      registerOutboxRoutes(api, { stats: deps.outboxStats, retry: deps.outboxRetry });
    },
    { prefix: API_PREFIX },
  );
  if (deps.metrics) registerMetricsRoutes(app, deps.metrics, deps.metricsToken ?? null);
  return app;
}

/**
 * @param host - bind address. @param port - 0 for any free port.
 * @returns the base URL, e.g. `http://127.0.0.1:43123`.
 */
export async function startServer(app: FastifyInstance, host: string, port: number): Promise<string> {
  await app.listen({ host, port });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shownHost}:${actualPort}`;
}

/** Close the server (waits for in-flight requests). */
export async function stopServer(app: FastifyInstance): Promise<void> {
  await app.close();
}
