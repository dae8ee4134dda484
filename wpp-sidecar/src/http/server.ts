/**
 * The sidecar's HTTP server (fastify): thin routes over the session, sender, media store and outbox.
 * `createServer` builds it, `startServer` listens (port 0 = any free port, used by tests), `stopServer` closes.
 */
import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { MediaStore } from '../media/media-store';
import { MAX_MEDIA_BYTES } from '../media/size-limits';
import type { SidecarMetrics } from '../metrics';
import type { OutboxStats } from '../outbox/outbox';
import type { MessageSender } from '../send/message-sender';
import type { SessionManager } from '../session/session-manager';
import { apiKeyChecker } from './auth';
import { registerMediaRoutes } from './routes/media';
import { registerMetricsRoutes } from './routes/metrics';
import { registerOutboxRoutes } from './routes/outbox';
import { registerSendRoutes } from './routes/send';
import { registerStatusRoutes } from './routes/status';

export interface ServerDeps {
  apiKey: string;
  session: SessionManager;
  sender: MessageSender;
  mediaStore: MediaStore;
  outboxStats(): Promise<OutboxStats>;
  logger: Logger;
  /** Served at GET /metrics when given. */
  metrics?: SidecarMetrics;
  /** METRICS_TOKEN: when set, GET /metrics requires it as a bearer token. */
  metricsToken?: string | null;
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

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
    if (request.url.startsWith('/api/') || request.url === '/api') checkKey(request.headers['x-api-key']);
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
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url}` }),
  );

  void app.register(multipart, {
    limits: { fileSize: MAX_MEDIA_BYTES, files: 1, fields: 10, fieldSize: 64 * 1024 },
  });
  registerStatusRoutes(app, deps.session);
  registerSendRoutes(app, deps.sender);
  registerMediaRoutes(app, deps.mediaStore);
  registerOutboxRoutes(app, deps.outboxStats);
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
